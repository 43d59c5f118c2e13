"""Walks the main path of each page of `zhaocai serve --demo` in headless Chromium (selenium),
as a person would: the hub's public portal and the supervision platform's console. Fails on any
step that does not show what it should, and on any error in the browser's console (a script
error, a resource the Content-Security-Policy blocked, a 4xx/5xx the page itself loaded).

    python3 Tests/browser/walk.py --banner SERVE_LOG [--screenshots DIR]

With --screenshots, each main page is saved as DIR/NAME.png (1280 px wide, Chinese).
Test tooling only (scripts/browser-check runs it).
"""

import argparse
import base64
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import zhaocai_keys  # noqa: E402


from selenium import webdriver
from selenium.common.exceptions import (StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

# The longest any step may take to show its effect: asynchronous work (an order the trading
# platform applies and acknowledges, relayed back) is waited for until it shows, never longer.
LIMIT = 30


class Failure(Exception):
    pass


def parse_banner(text):
    def need(pattern, what):
        found = re.search(pattern, text, re.MULTILINE)
        if not found:
            raise Failure(f"the banner does not show {what}")
        return found.group(1)

    return {
        "portal": need(r"portal \(pages\)\s+(http://127\.0\.0\.1:\d+/)", "the portal"),
        "console": need(r"console \(pages\)\s+(http://127\.0\.0\.1:\d+/)", "the console"),
        "trading": need(r"sections\s+(http://127\.0\.0\.1:\d+/api/v1)/sections/", "a trading platform"),
        "section": need(r"sections\s+http://127\.0\.0\.1:\d+/api/v1/sections/(\S+)", "its section"),
        "password": need(r"password ([^\s)]+)\)", "the demo password"),
        "admin_token": need(r"(\S+/supervision-admin\.token)", "the administrator token"),
        "data": need(r"data in (\S+)", "the data directory"),
        "hub": need(r"hub\s+(http://127\.0\.0\.1:\d+/api/v1)/platforms", "the hub"),
        "site": need(r"sections\s+(http://127\.0\.0\.1:\d+)/api/v1/sections/", "a trading site"),
    }


class Walk:
    def __init__(self, banner, screenshots, binary):
        self.banner = banner
        self.binary = binary
        self.screenshots = screenshots
        options = webdriver.ChromeOptions()
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--lang=zh-CN"]:
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        options.binary_location = "/usr/bin/chromium"
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.steps = 0
        self.refused_pages = set()

    def close(self):
        self.driver.quit()

    # What every step uses

    def open(self, url, refused=False):
        self.driver.get(url)
        self.check_console(url, refused)

    def check_console(self, where, refused=False):
        """Fails on any console error; with `refused`, the page itself answering 4xx (a form
        shown again with its refusal) is expected, and only that is let through."""
        if refused:
            self.refused_pages.add(self.driver.current_url)

        def expected(entry):
            # The browser may report a page's own status after the page has been read.
            page = entry["message"].split(" ", 1)[0]
            return page in self.refused_pages and "status of 4" in entry["message"]

        errors = [entry for entry in self.driver.get_log("browser")
                  if entry["level"] == "SEVERE" and not expected(entry)]
        if errors:
            raise Failure(f"the browser's console shows errors at {where}: "
                          + "; ".join(entry["message"] for entry in errors))

    def find(self, css):
        try:
            return WebDriverWait(self.driver, LIMIT).until(
                seen.presence_of_element_located((By.CSS_SELECTOR, css)))
        except TimeoutException:
            raise Failure(f"{self.driver.current_url} shows no {css}")

    def text(self, css):
        # A live page (the opening hall) may redraw a node between finding and reading it.
        for attempt in range(3):
            try:
                return self.find(css).text
            except StaleElementReferenceException:
                if attempt == 2:
                    raise

    def expect(self, condition, what):
        if not condition:
            raise Failure(f"{self.driver.current_url}: {what}")

    @staticmethod
    def gone(element):
        """Whether a page's element belongs to a page no longer shown (however the driver says so)."""
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    def submit(self, css, refused=False):
        """Clicks a button or link that loads a page, and waits until the new page is there."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        for attempt in range(3):
            try:
                self.find(css).click()
                break
            except WebDriverException:
                # A window resize (a screenshot) can leave a found node stale: find it again.
                if attempt == 2:
                    raise
        try:
            WebDriverWait(self.driver, LIMIT).until(lambda _: Walk.gone(old))
        except TimeoutException:
            raise Failure(f"{self.driver.current_url}: clicking {css} loaded no page")
        self.check_console(self.driver.current_url, refused)

    def shot(self, name, width=1280):
        if self.screenshots:
            # The whole page, not just the window (a phone's width for the public pages too).
            self.driver.set_window_size(width, 1000)
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, min(max(height, 900), 2400))
            self.driver.save_screenshot(f"{self.screenshots}/{name}.png")
            self.driver.set_window_size(1280, 1000)

    def step(self, what):
        self.steps += 1
        print(f"  ok {self.steps:2d} {what}", flush=True)

    def until(self, what, probe):
        """Reloads the page until `probe()` is true (an effect another platform applies)."""
        deadline = time.monotonic() + LIMIT
        while not probe():
            if time.monotonic() > deadline:
                raise Failure(f"{self.driver.current_url}: {what} did not show within {LIMIT} s")
            self.driver.refresh()
        self.check_console(self.driver.current_url)

    # The public portal

    def portal(self):
        base = self.banner["portal"]
        self.open(base)
        self.expect("公共服务平台" in self.driver.title, "the home page names the hub")
        self.expect("示范项目" in self.text("main"), "the home page lists the demo's tender notice")
        self.shot("portal-home")
        self.step("portal: the home page lists the latest notices")

        self.open(base + "search")
        box = self.find("#q")
        box.send_keys("示范项目")
        Select(self.find("#region")).select_by_visible_text("福州市")
        self.submit("#search-submit")
        results = self.text("#results")
        self.expect("示范项目 第1标段 主体工程招标公告" in results, "the search finds the demo notice")
        self.expect("示范大道" not in results, "the region filter leaves out 厦门's notice")
        self.shot("portal-search")
        self.driver.set_window_size(390, 1000)
        overflow = self.driver.execute_script(
            "return document.documentElement.scrollWidth > window.innerWidth + 1")
        self.expect(not overflow, "the search page fits a phone's width (390 px)")
        self.shot("portal-search-phone", width=390)
        self.driver.set_window_size(1280, 1000)
        self.step("portal: a search with a region filter finds the demo notice")

        self.submit("#results a")
        self.expect("招标公告" in self.text("#notice-title"), "the notice page shows its title")
        self.expect("福州市" in self.text("main"), "the notice names its region")
        self.shot("portal-notice")
        self.step("portal: the notice page shows the notice in full")

        self.submit("#process-link")
        self.expect("示范项目" in self.text("#process-title"), "the process page names the section")
        self.expect("¥50,000,000.00" in self.text("main"), "the estimate is shown in yuan")
        self.step("portal: the process page gathers the section's notices")

        self.open(base + "search?from=2026-13-40", refused=True)
        self.expect("日期格式" in self.text("#error-summary"), "a bad date is refused in the form")
        self.step("portal: a bad date is refused beside the field, not with a 500")

        self.open(base + "credit")
        self.find("#credit-q").send_keys("武夷示范")
        self.submit("#credit-submit")
        party = self.text(".party")
        self.expect("禁止投标" in party, "the banned demo bidder is shown banned")
        self.expect("70" in self.text(".party .score"), "its credit score is 100 less 30 points")
        self.expect("法54" in party, "its violation record names the article")
        self.shot("portal-credit")
        self.step("portal: the credit lookup shows the banned bidder, its record and score")

        self.open(base + "statistics?by=region")
        table = self.text("#statistics-table")
        self.expect("福州市" in table and "厦门市" in table, "the statistics name regions")
        chart = self.find("#statistics-chart")
        loaded = self.driver.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", chart)
        self.expect(loaded, "the chart image loads")
        self.shot("portal-statistics")
        self.step("portal: the statistics page shows the chart and its figures")

        for path, name, marker in [("registry", "portal-registry", "互认的数字证书认证机构"),
                                   ("transparency", "portal-transparency", "根哈希"),
                                   ("open-data", "portal-open-data", "CC BY 4.0"),
                                   ("red-flags", "portal-red-flags-empty", "离群界限"),
                                   ("draws/verify", "portal-draw", "抽取记录")]:
            self.open(base + path)
            self.expect(marker in self.text("main"), f"the {path} page shows {marker}")
            self.shot(name)
        self.submit("#draw-submit", refused=True)
        self.expect("请粘贴抽取记录" in self.text("#error-summary"), "an empty draw is refused")
        self.step("portal: registry, transparency, open data, red flags and the draw check answer")

        self.submit("#language-switch")
        self.expect(self.text("#language-switch") == "中文", "the switch offers Chinese back")
        self.expect("Verify an expert draw" in self.text("h1"), "the page reads in English")
        self.open(base + "?lang=zh")
        self.step("portal: the language switch shows the page in English and back")

    # The supervisors' console

    def console(self):
        base = self.banner["console"]
        self.open(base)
        self.find("#account").send_keys("fz-zj-1")
        self.find("#password").send_keys("wrong password")
        self.submit("#sign-in", refused=True)
        self.expect("账号或密码错误" in self.text("#error-summary"), "a wrong password is refused")
        self.shot("console-sign-in")
        self.find("#account").clear()
        self.find("#account").send_keys("fz-zj-1")
        self.find("#password").send_keys(self.banner["password"])
        self.submit("#sign-in")
        self.expect("福州市城乡建设局" in self.text(".who"), "the header names the department")
        self.expect(self.text("#process-count") == "1", "the city sees the one process of its remit")
        self.expect(self.text("#open-complaints") == "1", "the demo's complaint waits")
        self.shot("console-dashboard")
        self.step("console: a supervisor signs in and sees the dashboard of the remit")

        self.submit("#processes a")
        timeline = self.text("#timeline")
        self.expect("发布招标公告" in timeline, "the timeline says the notice was published in words")
        self.expect(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", timeline), "times are Beijing times")
        self.expect("{" not in timeline, "the timeline shows no JSON")
        self.shot("console-process")
        self.step("console: the process timeline reads in words")

        self.open(base + "complaints")
        self.submit("#complaints a")
        complaint = self.driver.current_url
        self.shot("console-complaint")
        self.find("#suspendProcess").click()
        self.submit("#accept")
        self.expect("已受理" in self.text("#complaint-status"), "the complaint is accepted")
        self.submit("#rule", refused=True)
        self.expect("处理决定不得为空" in self.text("#error-summary"), "an empty ruling is refused")
        self.find("#ruling").send_keys("经查，投诉事项缺乏事实依据，驳回投诉（条例61）。")
        self.submit("#rule")
        self.expect("已作出处理决定" in self.text("#complaint-status"), "the complaint is ruled on")
        self.open(base + "rulings")
        self.expect("驳回投诉" in self.text("main"), "the ruling is published")
        self.step("console: a complaint accepted (suspending the process) and ruled on")

        self.open(base + "orders")
        Select(self.find("#process")).select_by_index(1)
        self.find("#kind-suspend").click()
        self.find("#reason").send_keys("经查招标文件存在排斥潜在投标人的条款，责令暂停（条例62）")
        self.submit("#check-order")
        self.expect("暂停" in self.text("#check-kind"), "the check page shows the order back")
        self.shot("console-order-check")
        self.submit("#issue")
        self.expect(self.text("#issued"), "the order is issued")
        self.until("the trading platform's acknowledgement",
                   lambda: "已执行" in self.text("#orders tbody tr"))
        self.shot("console-orders")
        section = json.load(urllib.request.urlopen(
            f"{self.banner['trading']}/sections/{self.banner['section']}", timeout=10))
        self.expect(section.get("suspendingOrder"), "the trading platform holds the section suspended")
        self.step("console: a suspension order is issued, applied and acknowledged by the trading platform")

        for path, name, marker in [("alerts", "console-alerts", "规则预警"),
                                   ("violations", "console-violations", "记录不良行为"),
                                   ("filings", "console-filings", "备案"),
                                   ("access-log", "console-access-log", "POST 303")]:
            self.open(base + path)
            self.expect(marker in self.text("main"), f"the {path} page shows {marker}")
            self.shot(name)
        self.step("console: alerts, violations, filings and the access log answer")

        self.submit("#sign-out")
        self.expect(self.find("#sign-in"), "signing out shows the sign-in form")
        self.open(complaint, refused=True)
        self.expect("请先登录" in self.text("#refusal"), "a complaint needs a signed-in supervisor")
        self.step("console: after signing out the console's pages ask to sign in")

        self.open(base + "admin")
        token = open(self.banner["admin_token"], encoding="utf-8").read().strip()
        self.find("#token").send_keys(token)
        self.submit("#admin-sign-in")
        self.expect("福建省住房和城乡建设厅" in self.text("#departments"), "the departments are listed")
        self.expect("fz-zj-1" in self.text("#supervisors"), "the supervisors are listed")
        self.shot("console-admin")
        self.submit("#admin-sign-out")
        self.step("console: the administrator lists departments and supervisors")

    # The trading platform

    def set_value(self, css, value):
        # As a person's choice would, the change is announced to the page's scripts.
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            " arguments[0].dispatchEvent(new Event('change', { bubbles: true }))",
            self.find(css), value)

    def type_into(self, css, value):
        box = self.find(css)
        box.clear()
        box.send_keys(value)

    def certificate_sign_in(self, party, role):
        base = self.banner["site"] + "/"
        self.open(base)
        # Whoever was signed in leaves (its session cookie goes), so the sign-in page shows.
        self.driver.delete_all_cookies()
        self.open(base)
        Select(self.find("#role")).select_by_value(role)
        self.find("#certificateFile").send_keys(os.path.join(self.banner["data"], party + ".pem"))
        self.find("#keyFile").send_keys(os.path.join(self.banner["data"], party + ".key"))
        self.submit("#certificate-sign-in")
        self.expect("工作台" in self.text("h1"), f"{party} signs in with its certificate")

    def browser_bid(self, section, t):
        """bidder1 prepares, seals and submits its bid in the page; a plain file is refused."""
        site = self.banner["site"]
        self.certificate_sign_in("bidder1", "bidder")
        self.expect(self.find("#find-tenders"), "a new bidder's workspace points to the tenders")
        self.open(f"{site}/sections/{section}")
        self.submit("#bid-link")
        self.type_into("#payingAccount", "12")
        self.submit("#pay-bond", refused=True)
        self.expect("6至40位" in self.text("#error-summary"),
                    "a paying account that is no bank account number is refused")
        self.type_into("#payingAccount", "6222 0202 0001 2345 678")
        self.submit("#pay-bond")
        self.expect(self.find("#bond-done") and "¥500,000.00" in self.text("#bond-amount"),
                    "the bid bond is recorded in the notice's amount")
        self.step("bidder: the bid bond recorded on the bid page (a bad account refused)")
        key = os.path.join(self.banner["data"], "bidder1.key")
        plain = os.path.join(t.work, "说明.txt")
        with open(plain, "w", encoding="utf-8") as file:
            file.write("这不是投标文件包")
        self.find("input[name=mode][value=bundle]").click()
        self.find("#bundle").send_keys(plain)
        self.find("#keyFile").send_keys(key)
        self.find("#bid-submit").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: "不是投标文件包" in d.find_element(By.ID, "bid-blockers").text)
        except TimeoutException:
            raise Failure("the page did not refuse to seal a file that is not a bid bundle")
        self.expect(self.driver.execute_script("return !document.body.dataset.bidDone"),
                    "nothing was submitted for the plain file")
        self.step("bidder: the workspace refuses to seal a file that is not a bid bundle")

        documents = []
        for name, text in [("技术标.txt", "施工组织设计：……"), ("商务标.txt", "报价说明：……")]:
            documents.append(os.path.join(t.work, name))
            with open(documents[-1], "w", encoding="utf-8") as file:
                file.write(text)
        self.find("input[name=mode][value=items]").click()
        for css, value in [("#price", "28,800,000.00"), ("#durationDays", "361"),
                           ("#projectManager", "闽135201900001"), ("#keyStaff", "闽135201900101")]:
            self.type_into(css, value)
        self.find("#documents").send_keys("\n".join(documents))
        # The envelope goes in small parts, and the answer to the second part is lost as if the
        # connection were cut after the platform took it: the page must ask where the platform
        # stands and go on from there, neither losing nor repeating a byte.
        self.driver.execute_script("""
            window.zhaocaiUploadPartBytes = 512;
            window.walkParts = 0;
            window.walkCuts = 0;
            const send = XMLHttpRequest.prototype.send;
            XMLHttpRequest.prototype.send = function (body) {
              if (body instanceof Blob && ++window.walkParts === 2) {
                const request = this;
                request.onload = () => { window.walkCuts++; request.onerror(); };
              }
              return send.call(this, body);
            };""")
        self.find("#bid-submit").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: d.execute_script("return document.body.dataset.bidDone || ''"))
        except TimeoutException:
            raise Failure("the sealed bid was not submitted: " + self.text("#bid-status"))
        parts, cuts = self.driver.execute_script("return [window.walkParts, window.walkCuts]")
        self.expect(cuts == 1 and parts >= 3,
                    f"the upload went on after a cut ({parts} parts sent, {cuts} cut)")
        self.expect(self.driver.execute_script("return document.body.dataset.bidDone") == "verified",
                    "the page verified the receipt against the platform's checkpoint")
        self.expect(self.text("#bid-hash").startswith("sha256:"), "the page shows the envelope hash")
        self.expect(not self.find("#bid-unverified").is_displayed()
                    and not self.find("#bid-resend").is_displayed(),
                    "only the verified receipt shows, and no sending again")
        self.check_console("the bidder's workspace")
        self.shot("trading-bid-workspace")
        self.step("bidder: a bid prepared, sealed in the browser, uploaded in parts through a cut "
                  "connection; receipt verified")
        return t.certificate_session("bidder1", "bidder")["account"]["creditCode"]

    def browser_replace(self, section):
        """After an amendment, bidder1 replaces its bid: the page holds sealing until the
        amendment is acknowledged, and the workspace then shows the bid replaced."""
        site = self.banner["site"]
        self.certificate_sign_in("bidder1", "bidder")
        self.open(f"{site}/sections/{section}/bid")
        self.expect(self.find(".amendment-ack"), "the bid page lists the amendment to acknowledge")
        for css, value in [("#price", "28,800,000.00"), ("#durationDays", "360"),
                           ("#projectManager", "闽135201900001"), ("#keyStaff", "闽135201900101")]:
            self.type_into(css, value)
        document = os.path.join(tempfile.mkdtemp(prefix="zhaocai-walk-"), "技术标（修改后）.txt")
        with open(document, "w", encoding="utf-8") as file:
            file.write("施工组织设计：按第1号修改编制")
        self.find("#documents").send_keys(document)
        self.find("#keyFile").send_keys(os.path.join(self.banner["data"], "bidder1.key"))
        self.find("#bid-submit").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: "第1号澄清或修改" in d.find_element(By.ID, "bid-blockers").text)
        except TimeoutException:
            raise Failure("the page sealed a bid before the amendment was acknowledged")
        self.find(".amendment-ack").click()
        self.find("#bid-submit").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: d.execute_script("return document.body.dataset.bidDone || ''"))
        except TimeoutException:
            raise Failure("the replacing bid was not submitted: " + self.text("#bid-status"))
        self.open(f"{site}/")
        self.expect("已替换" in self.text("#my-bids"), "the workspace shows the bid replaced")
        self.shot("trading-bidder-workspace")
        self.step("bidder: after the amendment, the bid replaced in the browser once acknowledged")

    def browser_complaint(self, section):
        """bidder1 complains on the supervision platform, signing in its browser: a complaint
        about the opening without an objection first is refused (条例60), another is filed."""
        console = self.banner["console"]
        self.open(f"{console}complaint?platform=trading.fz&section={section}")
        self.expect(self.find("#section").get_attribute("value") == section,
                    "the complaint form comes filled in with the section")
        Select(self.find("#matter")).select_by_value("opening")
        self.type_into("#facts", "开标时唱标内容与投标文件不一致。")
        self.find("#certificateFile").send_keys(os.path.join(self.banner["data"], "bidder1.pem"))
        self.find("#keyFile").send_keys(os.path.join(self.banner["data"], "bidder1.key"))
        self.find("#file-complaint").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: "先向招标人提出异议" in d.find_element(By.ID, "complaint-problem").text)
        except TimeoutException:
            raise Failure("a complaint about the opening without an objection was not refused: "
                          + self.text("#complaint-problem"))
        self.expect("条例60" in self.text("#complaint-problem"), "the refusal names 条例60")
        Select(self.find("#matter")).select_by_value("other")
        self.type_into("#facts", "评标委员会成员与投标人存在利害关系，请求调查。")
        self.find("#file-complaint").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: d.find_element(By.ID, "complaint-id").text.startswith("TS-"))
        except TimeoutException:
            raise Failure("the complaint was not filed: " + self.text("#complaint-problem"))
        # The refused filing is the API's 422, which the browser reports against its address.
        self.refused_pages.add(f"{console}api/v1/complaints")
        self.check_console("the complaint form")
        self.shot("console-complaint-new")
        self.step("bidder: a complaint signed in the browser, filed with supervision (one refused, 条例60)")
        return self.text("#complaint-id")

    def password_sign_in(self, account):
        self.open(self.banner["site"] + "/")
        # Whoever was signed in leaves (its session cookie goes), so the sign-in page shows.
        self.driver.delete_all_cookies()
        self.open(self.banner["site"] + "/")
        self.type_into("#account", account)
        self.type_into("#password", self.banner["password"])
        self.submit("#sign-in")

    def trading(self):
        site = self.banner["site"]
        api = self.banner["trading"]
        t = Trading(self)
        section = "WALK-2026-001"

        self.open(site + "/")
        self.shot("trading-sign-in")
        self.certificate_sign_in("tenderer", "tenderer")
        self.step("trading: the tenderer signs in with its certificate, signed in the browser")

        self.submit("#new-section")
        for css, value in [("#sectionID", section), ("#name", "浏览器示范项目 第1标段"),
                           ("#project", "浏览器示范项目"), ("#estimate", "30,000,000"),
                           ("#bond", "900000"), ("#industry", "住建"), ("#region", "350102")]:
            self.type_into(css, value)
        self.expect(self.text("#bond-limit") == "超过上限 ¥600,000.00（条例26）",
                    "the bond's cap shows as the tenderer types: " + self.text("#bond-limit"))
        self.submit("#save-section", refused=True)
        self.expect("2%" in self.text("#error-summary"), "a bond over 2% of the estimate is refused")
        self.expect("条例26" in self.text("#bond-error"), "the refusal beside the bond names 条例26")
        self.shot("trading-new-section")
        self.type_into("#bond", "500000")
        self.submit("#save-section")
        self.expect("浏览器示范项目" in self.text("#section-title"), "the draft is saved")
        self.step("trading: a new section, its bond refused beside the field (条例26), saved")

        now = t.now()
        self.set_value("#saleEndsAt", beijing(now, 6, "17:00"))
        self.set_value("#bidDeadline", beijing(now, 10, "09:30"))
        self.expect("法24" in self.text("#deadline-check"),
                    "the form says the deadline is before the earliest legal day as it is chosen")
        self.submit("#publish", refused=True)
        self.expect("法24" in self.text("#error-summary"),
                    "a deadline under 20 days is refused: " + self.text("#error-summary"))
        self.set_value("#saleEndsAt", beijing(now, 6, "17:00"))
        self.set_value("#bidDeadline", beijing(now, 21, "09:30"))
        self.submit("#publish")
        self.expect(self.text("#section-phase") == "投标", "the section is published")
        self.shot("trading-section")
        self.step("trading: publication refused for a short deadline (法24), then published")

        deadline = call("GET", f"{api}/sections/{section}")["schedule"]["bidDeadline"]
        deadline = int(datetime.datetime.fromisoformat(deadline.replace("Z", "+00:00")).timestamp())
        bidders = [self.browser_bid(section, t)] + [
            t.bid(section, number, price, deadline)
            for number, price in [(2, 29_100_000), (3, 29_400_000)]]
        t.advance(deadline - 10 * 86_400 - t.now())
        # Sessions last 12 hours of the platform's clock, which just moved 11 days.
        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}")
        self.submit("#amend")
        moved = call("GET", f"{api}/sections/{section}")["schedule"]["bidDeadline"]
        moved = int(datetime.datetime.fromisoformat(moved.replace("Z", "+00:00")).timestamp())
        self.expect(moved > deadline, "an amendment 10 days before the deadline moves it (法23)")
        self.expect("顺延至" in self.text("#timeline"), "the public record says the deadline moved")
        self.step("trading: three sealed bids; a late amendment moves the deadline")
        self.browser_replace(section)
        self.certificate_sign_in("tenderer", "tenderer")

        self.open(f"{site}/sections/{section}/opening")
        self.driver.execute_script("window.walkStayed = true")
        WebDriverWait(self.driver, LIMIT).until(
            lambda d: int(d.execute_script("return document.getElementById('hall').dataset.updates || '0'")) > 0)
        t.advance(moved + 60 - t.now())
        t.release(section, "platform")
        try:
            WebDriverWait(self.driver, LIMIT).until(lambda d: d.execute_script(
                "return [...document.querySelectorAll('#holders .tag')]"
                ".filter(t => t.textContent === '已释放').length >= 2"
                " && document.getElementById('bid-count').textContent === '3'"))
        except TimeoutException:
            raise Failure("the hall did not show the released shares and the bids without a reload")
        self.expect(self.driver.execute_script("return window.walkStayed === true"),
                    "the hall updated without a reload")
        self.check_console("the live hall")
        self.step("trading: the opening hall shows the deadline pass and shares released, live")

        # The holder that has not yet released sees its share due, with the command that
        # releases it on its own machine.
        self.password_sign_in("tenderer-holder")
        self.expect(self.text(f"#holdings .tag[data-section='{section}']") == "待释放",
                    "the key holder's workspace says its share is due")
        self.expect("zhaocai holder release" in self.text("#holdings")
                    and f"--section {section} --name tenderer-holder" in self.text("#holdings"),
                    "the workspace gives the release command for this section and holder")
        self.shot("trading-key-holder")
        # It releases in its browser: its key file is read in the page, each share opened there.
        self.submit(f"#release-{section}")
        self.find("#holderKey").send_keys(
            os.path.join(self.banner["data"], "fz", "holder-tenderer-holder.key"))
        self.find("#release").click()
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: d.execute_script("return document.body.dataset.released || ''") == "3")
        except TimeoutException:
            raise Failure("the shares were not released in the browser: " + self.text("#release-status"))
        self.check_console("the key holder's release")
        self.shot("trading-holder-release")
        released = call("GET", f"{api}/sections/{section}")["releasedHolders"]
        self.expect("tenderer-holder" in released, "the platform records the browser's release")
        self.step("key holder: the share due after the deadline, released in the browser "
                  "(the key read in the page, each share checked against its commitment)")

        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}/opening")
        self.submit("#open-bids")
        record = self.text("#record")
        self.expect(record.count("已开启") == 3 and "¥28,800,000.00" in record,
                    "the opening record shows the three bids and their prices")
        self.shot("trading-opening-hall")
        t.reread_browser_bid(section, bidders[0])
        self.certificate_sign_in("bidder1", "bidder")
        self.open(f"{site}/sections/{section}/opening")
        # Read in one script: the live hall may redraw the table between two selenium calls.
        links = self.driver.execute_script(
            "return [...document.querySelectorAll('#record a.verify')].map((a) => a.href)")
        self.expect(len(links) == 1 and links[0].endswith(f"/envelopes/{bidders[0]}"),
                    f"the bidder may take back its own sealed envelope only: {links}")
        # On the spot (条例44): an objection with what it says, then the confirmation.
        self.set_value("#objection-statement", "第二家投标人的工期与唱标不符，请当场核对。")
        self.submit("#object-record")
        objections = self.text("#hall-objections")
        self.expect("工期与唱标不符" in objections and "待答复" in objections,
                    "the bidder's objection shows in the hall, awaiting its answer")
        self.submit("#confirm-record")
        self.expect(bidders[0] in self.text("#confirmations"),
                    "the bidder's confirmation of the record shows in the hall")
        self.step("bidder: the browser's bid opened at its price and re-read by the interop reader; "
                  "the bidder objects on the spot and confirms the record in the hall")
        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}/opening")
        # Another bidder objects (over the API) while the tenderer watches: it arrives live.
        updates = int(self.find("#hall").get_attribute("data-updates") or "0")
        other = t.certificate_session("bidder2", "bidder")["token"]
        call("PUT", f"{api}/sections/{section}/opening/objections/OPENING-LIVE-1",
             {"statement": "请公布第三家投标人的质保期。"}, other)
        try:
            WebDriverWait(self.driver, LIMIT).until(
                lambda d: "质保期" in d.find_element(By.ID, "hall-objections").text)
        except TimeoutException:
            raise Failure("the second objection did not arrive in the hall without a reload")
        self.expect(int(self.find("#hall").get_attribute("data-updates") or "0") > updates,
                    "the hall was updated by its stream, not reloaded")
        # The tenderer answers each on the spot, in the hall; closing waits for that.
        for answer in ["已当场核对，工期与投标文件一致。", "质保期为24个月，已记入开标记录。"]:
            self.set_value("#answer-text", answer)
            self.submit("#answer-submit")
            self.expect(answer in self.text("#hall-objections"), "the answer shows in the hall")
        self.expect(self.text("#hall-objections").count("已答复") == 2,
                    "both objections are answered")
        self.shot("trading-opening-objections")
        self.step("trading: objections on the spot arrive live in the hall and are answered there "
                  "(条例44)")
        self.submit("#close-opening")
        self.type_into("#experts", "5")
        self.submit("#draw")
        self.expect(self.find("#evaluation-room"), "the committee is drawn")
        self.expect("三分之二" in self.text("#composition") and self.text("#committee-members") == "5",
                    "the section shows the committee's composition (法37)")
        self.expect(not self.driver.find_elements(By.ID, "draw-record"),
                    "the draw record (with the names) waits for the result (条例49)")
        self.open(f"{site}/sections/{section}/committee-draw", refused=True)
        self.expect("条例49" in self.text("main"), "asked for directly, the record is refused (条例49)")
        self.check_console("the draw record before the result", refused=True)
        self.open(f"{site}/sections/{section}")
        self.step("trading: the bids decrypted in the hall, the opening closed, the committee drawn")

        terms = call("GET", f"{api}/sections/{section}")["terms"]
        # The experts mark the criteria the form left to them; the price is scored by formula.
        criteria = [criterion["name"] for criterion in terms.get("criteria", [])
                    if "priceFormula" not in criterion]
        self.expect(len(criteria) == 2 and any("priceFormula" in c for c in terms["criteria"]),
                    "the section's price criterion is scored by its formula: " + str(terms["criteria"]))
        # The drawn members see each other's names (no one else does before the result).
        tokens = {}
        for number in range(1, 8):
            account = f"expert{number}"
            tokens[account] = call("POST", api + "/sessions",
                                   {"account": account, "password": self.banner["password"]})["token"]

        def committee():
            return next(names for token in tokens.values()
                        if (names := call("GET", f"{api}/sections/{section}", token=token)
                            ["evaluation"].get("memberNames")))

        # One drawn expert is tied to a bidder: it recuses in the room before checking in
        # (条例46), and the tenderer has an expert drawn at the hub in its place.
        recusing = committee()[-1]
        self.submit("#sign-out")
        self.password_sign_in(recusing)
        self.open(f"{site}/sections/{section}/evaluation")
        self.submit("#recuse")
        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}")
        self.expect(self.text("#vacancies") == "1" and self.text("#committee-members") == "4",
                    "the section says one seat waits for a replacement")
        self.shot("trading-committee-vacancy")
        self.submit("#replenish")
        self.expect(not self.driver.find_elements(By.ID, "vacancies")
                    and self.text("#committee-members") == "5" and self.text("#recused-after") == "1",
                    "an expert is drawn in the recused member's place")
        members = committee()
        self.expect(recusing not in members and len(members) == 5,
                    f"the one who recused is off the committee: {members}")
        leader, second = members[0], members[1]
        others = members[1:]

        def each(method, path, body=None, who=None):
            for account in (who if who is not None else others):
                call(method, f"{api}/sections/{section}/evaluation/{path}", body, tokens[account])

        # The leader-to-be checks in in the browser, declaring no tie to the bidders (条例46),
        # and votes for itself; the others check in and vote for it over the API.
        self.submit("#sign-out")
        self.password_sign_in(leader)
        self.open(f"{site}/sections/{section}/evaluation")
        self.expect(not self.driver.find_elements(By.ID, "score-sheet"),
                    "nothing is marked before the member checks in")
        self.expect("条例" in self.text("#check-in-form"), "the check-in states the declaration")
        self.shot("trading-evaluation-check-in")
        self.submit("#check-in")
        Select(self.find("#candidate")).select_by_value(leader)
        self.submit("#vote-leader")
        self.expect(leader in self.text("#my-vote"), "the member's vote shows until one is elected")
        each("POST", "check-in")
        each("PUT", "leader-vote", {"candidate": leader}, who=others[:2])
        self.open(f"{site}/sections/{section}/evaluation")
        self.expect(self.text("#leader") == leader and self.text("#stage") == "资格评审",
                    "the leader is elected and the qualification review begins")
        self.expect(self.text("#checked-in") == "5", "every member has checked in")
        self.shot("trading-evaluation-stages")
        each("PUT", "stages/qualification/conclusion")
        self.submit("#conclude-stage")
        self.expect(self.text("#stage") == "初步评审", "when every member concludes, the next stage begins")
        # In the preliminary review the leader flags a bid (条例51) and finds the time short
        # (条例48): alone, neither rejects the bid nor extends the evaluation.
        Select(self.find("#ground")).select_by_value("notResponsive")
        self.submit("#flag-rejection")
        self.expect("条例51⑥" in self.text("#my-flags"), "the member's flag shows with its ground")
        self.submit("#ask-time")
        self.expect(self.text("#asking") == "1" and not self.driver.find_elements(
            By.ID, "extended"), "one member of five asking does not extend the time")
        # The leader takes the committee back to qualification: not without a reason; with one,
        # the flag made since is kept with the return and the stage is done again.
        Select(self.find("#returnStage")).select_by_value("qualification")
        self.submit("#return-stage", refused=True)
        self.expect("理由" in self.text("#reason-error"), "a return without a reason is refused beside it")
        self.set_value("#reason", "第3家投标人的资质证书有效期需重新核对")
        self.submit("#return-stage")
        self.expect(self.text("#stage") == "资格评审" and "资质证书有效期" in self.text("#returns")
                    and "保留否决意见 1" in self.text("#returns"),
                    "the return shows with its reason and the flag it set aside: "
                    + self.text("#returns")[:200])
        self.shot("trading-evaluation-return")
        each("PUT", "stages/qualification/conclusion")
        self.submit("#conclude-stage")
        Select(self.find("#ground")).select_by_value("notResponsive")
        self.submit("#flag-rejection")
        each("PUT", "stages/preliminary/conclusion")
        self.submit("#conclude-stage")
        self.expect(self.text("#stage") == "详细评审", "the detailed review begins")
        self.submit("#sign-out")

        scored_in_browser = []
        for account in [leader, second]:
            self.password_sign_in(account)
            self.open(f"{site}/sections/{section}/evaluation")
            if not scored_in_browser:
                # The member reads the browser's bid: the platform decrypts it again with the
                # released shares and checks the file against the bid's manifest.
                self.submit(f"a.opened-bid[data-bidder='{bidders[0]}']")
                self.expect("技术标（修改后）.txt" in self.text("#opened-documents"),
                            "the opened bid lists its documents")
                href = self.find("#opened-documents a.document-link").get_attribute("href")
                content = self.driver.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    " fetch(arguments[0]).then((r) => r.text()).then(done);", href)
                self.expect(content == "施工组织设计：按第1号修改编制",
                            f"the document reads as the bidder wrote it: {content[:80]}")
                self.shot("trading-opened-bid")
                self.open(f"{site}/sections/{section}/evaluation")
                # A draft with one mark, kept across a reload and seen by this member only.
                self.find("#score-sheet input[type=text]").send_keys("8.5")
                self.submit("#save-draft")
                self.expect(self.find("#draft-saved") and self.find(
                    "#score-sheet input[type=text]").get_attribute("value") == "8.50",
                    "the draft keeps the mark made so far")
            fields = self.driver.find_elements(By.CSS_SELECTOR, "#score-sheet input[type=text]")
            self.expect(len(fields) == 2 * len(bidders),
                        "the sheet asks only for the criteria the experts mark")
            for field in fields:
                if not field.get_attribute("value"):
                    field.send_keys("8.5")
            if not scored_in_browser:
                # The three bids were bundled on this one machine at 28.8, 29.1 and 29.4
                # million: one preparing machine (条例40(1)), prices in a step (条例40(4)).
                signs = self.text("#collusion-signs")
                self.expect("条例40(1)" in signs and "条例40(4)" in signs and "等差数列" in signs,
                            "the room shows the signs found at the opening: " + signs[:300])
                self.shot("trading-evaluation-room")
            self.submit("#submit-scores")
            self.expect(self.find("#submitted"), f"{account}'s sheet is submitted")
            scored_in_browser.append(account)
            self.submit("#sign-out")
        for account in members[2:]:
            sheet = {"points": {bidder: {name: 700 + 100 * index for name in criteria}
                                for index, bidder in enumerate(bidders)}}
            call("PUT", f"{api}/sections/{section}/evaluation/scores", sheet, tokens[account])
        # The price stage: the formula's benchmark and each bid's score, for every member to check.
        self.password_sign_in(leader)
        self.open(f"{site}/sections/{section}/evaluation")
        self.expect(self.text("#stage") == "价格评审", "every sheet in, the price stage begins")
        formula = self.text("#price-formula")
        self.expect("¥" in self.text("#benchmark") and "%" in formula,
                    "the room shows the benchmark and each bid's deviation: " + formula[:300])
        self.shot("trading-evaluation-price")
        each("PUT", "stages/price/conclusion")
        self.submit("#conclude-stage")
        self.submit("#report-evaluation")
        self.expect(self.find("#report"), "the report names the candidates")
        # The report's arithmetic, for the member to check: the browser's bid had 8.50 from the
        # two members who scored here and 7.00 from the other three; 7.00 and 8.50 are left out.
        working = self.text("#working")
        self.expect("7.00、7.00、7.00、8.50、8.50" in working and "7.50" in working,
                    "the room shows every mark, the extremes left out and the means: "
                    + working[:300])
        self.shot("trading-evaluation-working")
        # The member signs the report with its dissent in writing (条例53); the report notes it.
        self.set_value("#dissent", "第二名的工期偏紧，建议在合同中明确节点工期。")
        self.submit("#sign-report")
        self.expect(self.find("#report-signed") and self.text("#signature-count") == "1 / 5"
                    and "节点工期" in self.text("#dissents"),
                    "the signature is counted and the dissent noted in the report")
        self.submit("#sign-out")
        self.step("trading: a drawn expert recuses (条例46) and another is drawn in its place; "
                  "members check in and elect the leader; the stages in order, "
                  "a rejection flagged (条例51) and more time asked (条例48); the leader goes back "
                  "with a reason (refused without); a member reads an opened bid and keeps a "
                  "draft; two experts score, the rest over the API; the price by formula; the "
                  "report, its arithmetic and a signature with a dissent (条例53)")

        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}")
        self.set_value("#end", beijing(t.now(), 4, "17:00"))
        self.submit("#publicise")
        t.advance(5 * 86_400)
        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}")
        self.submit("#award")
        self.expect(self.text("#section-phase") == "已定标", "the section is awarded")
        self.expect("无人下载" in self.text("#register-panel"),
                    "after the deadline the tenderer sees the download register (法22), empty here")
        self.shot("trading-awarded")
        # Once the result is out, the draw record is the tenderer's to check at the hub: the
        # hub recomputes the draw from its checkpoint and says it is the same.
        records = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            " const links = [document.getElementById('draw-record'),"
            " ...document.querySelectorAll('a.replacement-record')];"
            " Promise.all(links.map((a) => fetch(a.href).then((r) => r.text()))).then(done);")
        self.expect(len(records) == 2, "the first draw's record and the replacement's are offered")
        for record in records:
            self.open(self.banner["portal"] + "draws/verify")
            self.driver.execute_script("document.getElementById('draw').value = arguments[0]", record)
            self.submit("#draw-submit")
            self.expect("result-ok" in self.find("#draw-result").get_attribute("class"),
                        "the hub recomputes the committee's draw and finds it the same: "
                        + self.text("#draw-result")[:200])
        asked = json.loads(base64.b64decode(json.loads(records[1])["request"]["message"]))
        left_out = json.loads(asked["payload"]).get("excluded", [])
        self.expect(len(left_out) == 5,
                    f"the replacement's request leaves out the committee and the recused: {left_out}")
        self.step("trading: candidates publicised, then the award; the committee's draw and its "
                  "replacement draw verified at the hub")
        self.password_sign_in("admin")
        self.submit("nav a[href='/admin']")
        self.expect(self.text("#outbox-pending").isdigit() and "awarded" in self.text("#recent"),
                    "the administrator sees the relay's backlog and the award in the operations record")
        self.shot("trading-administration")
        self.step("administrator: the platform's own work and the latest operations with who did them")
        self.certificate_sign_in("bidder1", "bidder")
        winner = call("GET", f"{api}/sections/{section}")["award"]["bidder"]
        state = self.text(f"#my-bids .tag[data-section='{section}']")
        self.expect(state == ("中标" if winner == bidders[0] else "未中标"),
                    f"the bidder's workspace shows the result ({state})")
        self.step("bidder: the workspace shows the result of its bid")

        # The contract (法46), the written report (法47) and the archive, in the browser; the
        # archive downloaded as the page offers it and checked offline against the platform's
        # own log key.
        self.certificate_sign_in("tenderer", "tenderer")
        self.open(f"{site}/sections/{section}")
        self.set_value("#price", "2980000")
        self.set_value("#performanceBond", "0")
        self.submit("#contract")
        self.expect(self.text("#section-phase") == "已签合同", "the contract is registered")
        self.submit("#file-report")
        self.expect(self.text("#section-phase") == "已提交书面报告", "the written report is filed")
        self.submit("#archive")
        self.expect(self.text("#section-phase") == "已归档", "the section's file is closed")
        archive = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            " fetch(document.getElementById('archive-download').href)"
            ".then((r) => r.text()).then(done);")
        path = os.path.join(t.work, "archive.json")
        with open(path, "w", encoding="utf-8") as out:
            out.write(archive)
        key = call("GET", f"{api}/platform")["logVerifierKey"]
        done = subprocess.run([self.binary, "log", "verify", "--archive", path, "--key", key],
                              capture_output=True, text=True, timeout=120)
        self.expect(done.returncode == 0 and "verified" in done.stderr,
                    "the downloaded archive verifies offline: " + (done.stderr or done.stdout)[-300:])
        self.shot("trading-archived")
        self.step("trading: the contract, the written report and the archive, downloaded and "
                  "verified offline with `zhaocai log verify --archive`")
        complaint = self.browser_complaint(section)


        # The supervisor of the remit sees the opened prices screened (the clock moved past its
        # session, so it signs in again).
        console = self.banner["console"]
        self.open(console)
        self.find("#account").send_keys("fz-zj-1")
        self.find("#password").send_keys(self.banner["password"])
        self.submit("#sign-in")
        try:
            WebDriverWait(self.driver, LIMIT).until(lambda d: (
                d.get(f"{console}processes/trading.fz/{section}"),
                d.find_elements(By.CSS_SELECTOR, "#screen-score"))[1])
        except TimeoutException:
            raise Failure("the console's process page shows no price screens after the opening")
        panel = self.text("#screens")
        self.expect("DIFFP" in panel and "不构成串通认定" in panel,
                    "the screens are shown with the sentence that a score is not a finding")
        self.expect("等差数列" in self.text("#screen-pattern") and "条例40(4)" in panel,
                    "the walk's prices, 300,000 yuan apart, are shown as a regular pattern")
        score = float(self.text("#screen-score"))
        self.expect(0 <= score <= 1, "the score is a probability")
        signs = self.text("#collusion-signs")
        self.expect("条例40(1)" in signs and "编制设备指纹" in signs,
                    "the supervisor sees the signs found at the opening with their evidence")
        self.driver.execute_script("document.getElementById('screens').scrollIntoView()")
        self.shot("console-screens")
        self.open(f"{console}screens")
        self.expect(section in self.text("#screened") and "等差数列" in self.text("#screened"),
                    "the remit's list of screened processes names the section and its pattern")
        self.shot("console-screens-list")
        self.open(f"{console}networks")
        # One opened process: its three bidders drawn, no group yet (that takes two meetings).
        circles = self.driver.find_elements(By.CSS_SELECTOR, "#network-picture svg circle")
        self.expect(len(circles) == 3 and self.find("#no-groups"),
                    f"the remit's co-bidding network draws the 3 bidders ({len(circles)} drawn)")
        self.shot("console-network")
        self.open(f"{console}complaints")
        self.expect(complaint in self.text("main"), "the supervisor sees the bidder's complaint")
        self.step("console: the opened prices' screens, score and signs; the co-bidding network; "
                  "the bidder's complaint in the queue")

        # The hub screens the same prices from its open data, and computes the red flags.
        portal = self.banner["portal"]
        try:
            WebDriverWait(self.driver, LIMIT).until(lambda d: (
                d.get(f"{portal}processes/trading.fz/{section}"),
                d.find_elements(By.CSS_SELECTOR, "#process-screens"))[1])
        except TimeoutException:
            raise Failure("the hub's process page shows no price screens after the opening")
        self.expect("DIFFP" in self.text("#process-screens"),
                    "the hub's process page lists the screens of the opened prices")
        self.expect("条例40(4)" in self.text("#process-screens"),
                    "the hub names the walk's regular prices with their article")
        self.driver.execute_script(
            "document.getElementById('process-red-flags').scrollIntoView()")
        self.shot("portal-process-screens")
        self.open(f"{portal}red-flags")
        counted = int(self.text("#red-flag-process-count"))
        self.expect(counted >= 3, f"the red flags cover every published process ({counted})")
        self.shot("portal-red-flags")
        self.step("portal: the hub screens the opened prices; the red flags over its open data")


# The trading platform, from a new section to the award

SIGN_IN_CONTEXT = "zhaocai-sign-in v1\n"


def call(method, url, body=None, token=None):
    """A JSON request to an API; the answer's JSON (None if empty)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
    except urllib.error.HTTPError as refused:
        raise Failure(f"{method} {url} answered {refused.code}: {refused.read()[:300]!r}")
    return json.loads(text) if text else None



def signing_key(path):
    """The signer of a key file (Tests/python/zhaocai_keys.py)."""
    try:
        return zhaocai_keys.signer(path)
    except ValueError as error:
        raise Failure(str(error))

class Trading:
    """What the walk does outside the browser: bidders seal with the CLI and upload, the sandbox
    clock moves, holders release with the CLI, the other committee members score over the API."""

    def __init__(self, walk):
        self.walk = walk
        self.banner = walk.banner
        self.api = self.banner["trading"]
        self.data = self.banner["data"]
        self.work = tempfile.mkdtemp(prefix="zhaocai-walk-")

    def run(self, *arguments, env=None):
        done = subprocess.run([self.walk.binary, *arguments], capture_output=True, text=True,
                              timeout=120, env={**os.environ, **(env or {})})
        if done.returncode != 0:
            raise Failure(f"zhaocai {' '.join(arguments[:2])} failed: {done.stderr[-400:]}")
        return done.stdout

    def now(self):
        return call("GET", self.banner["hub"] + "/sandbox/clock")["nowSeconds"]

    def advance(self, seconds):
        token = open(os.path.join(self.data, "sandbox-admin.token"), encoding="utf-8").read().strip()
        call("POST", self.banner["hub"] + "/sandbox/clock", {"advanceSeconds": int(seconds)}, token)

    def certificate_session(self, party, role):
        challenge = call("POST", self.api + "/sessions/challenge")
        signature = signing_key(os.path.join(self.data, party + ".key")).sign(
            (SIGN_IN_CONTEXT + challenge["nonce"]).encode())
        certificate = open(os.path.join(self.data, party + ".pem"), encoding="utf-8").read()
        return call("POST", self.api + "/sessions/certificate", {
            "role": role, "certificate": certificate, "nonce": challenge["nonce"],
            "signature": base64.b64encode(signature).decode()})

    def bid(self, section, number, price_yuan, deadline):
        """bidderN bundles, seals and uploads a bid with the CLI and the API, as a bidder would."""
        session = self.certificate_session(f"bidder{number}", "bidder")
        code = session["account"]["creditCode"]
        base = os.path.join(self.work, f"bid{number}")
        with open(base + "-technical.txt", "w", encoding="utf-8") as file:
            file.write(f"投标人{number} 技术标：施工组织设计")
        with open(base + "-manifest.json", "w", encoding="utf-8") as file:
            json.dump({"sectionID": section, "bidderCreditCode": code,
                       "bidderName": session["account"]["name"], "priceFen": price_yuan * 100,
                       "durationDays": 360 + number, "quality": "合格", "warrantyMonths": 24,
                       "projectManagerID": f"闽135201900{number:03d}"}, file, ensure_ascii=False)
        self.run("bid", "bundle", "--manifest", base + "-manifest.json", "--file",
                 base + "-technical.txt", "--out", base + ".bundle")
        opening = datetime.datetime.fromtimestamp(deadline, datetime.timezone.utc).isoformat()
        holders = []
        for name in ["platform", "tenderer-holder", "supervisor"]:
            holders += ["--holder", os.path.join(self.data, "fz", f"holder-{name}.pub")]
        self.run("bid", "seal", "--section", section, "--opening-time", opening, "--signer",
                 os.path.join(self.data, f"bidder{number}.key"), "--in", base + ".bundle",
                 "--out", base + ".sealed", *holders)
        request = urllib.request.Request(
            f"{self.api}/sections/{section}/bids/{code}", method="PUT",
            data=open(base + ".sealed", "rb").read(),
            headers={"content-type": "application/octet-stream",
                     "authorization": "Bearer " + session["token"]})
        with urllib.request.urlopen(request, timeout=60) as answer:
            if answer.status != 201:
                raise Failure(f"bid {number} answered {answer.status}")
        return code

    def reread_browser_bid(self, section, code):
        """The browser's envelope, opened by the platform, opens again with its published key
        in the independent reader written from docs/ENVELOPE.md."""
        record = call("GET", f"{self.api}/sections/{section}/opening/record")
        line = next(entry for entry in record if entry["bidder"] == code)
        if line["outcome"] != "opened" or line.get("priceFen") != 2_880_000_000:
            raise Failure(f"the browser's bid was not opened at its price: {line}")
        holder = call("POST", self.api + "/sessions",
                      {"account": "platform", "password": self.banner["password"]})
        request = urllib.request.Request(
            f"{self.api}/sections/{section}/bids/{code}",
            headers={"authorization": "Bearer " + holder["token"]})
        envelope = os.path.join(self.work, "browser.sealed")
        with urllib.request.urlopen(request, timeout=60) as answer, open(envelope, "wb") as out:
            out.write(answer.read())
        reader = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "interop",
                              "envelope_reader.py")
        done = subprocess.run(
            [sys.executable, reader, envelope, os.path.join(self.data, "bidder1.pub"),
             line["bidKey"], os.path.join(self.work, "browser.zcb")],
            capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise Failure("the interop reader refused the browser's envelope: " + done.stderr[-400:])

    def release(self, section, holder):
        self.run("holder", "release", "--platform", self.api, "--section", section, "--name",
                 holder, "--key", os.path.join(self.data, "fz", f"holder-{holder}.key"),
                 env={"ZHAOCAI_PASSWORD": self.banner["password"]})


def beijing(seconds, days=0, at=None):
    """A datetime-local value in Beijing time, `days` later, at `at` (hh:mm) if given."""
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone(datetime.timedelta(hours=8)))
    moment += datetime.timedelta(days=days)
    if at:
        hours, minutes = at.split(":")
        moment = moment.replace(hour=int(hours), minute=int(minutes), second=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--banner", required=True)
    parser.add_argument("--screenshots")
    parser.add_argument("--bin", required=True)
    arguments = parser.parse_args()
    banner = parse_banner(open(arguments.banner, encoding="utf-8").read())
    walk = Walk(banner, arguments.screenshots, arguments.bin)
    try:
        walk.portal()
        walk.console()
        walk.trading()
    except Failure as failure:
        print(f"browser walk FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        walk.close()
    print(f"browser walk: {walk.steps} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
