"""Walks the main path of each page of `zhaocai serve --demo` in headless Chromium (selenium),
as a person would: the hub's public portal and the supervision platform's console. Fails on any
step that does not show what it should, and on any error in the browser's console (a script
error, a resource the Content-Security-Policy blocked, a 4xx/5xx the page itself loaded).

    python3 Tests/browser/walk.py --banner SERVE_LOG [--screenshots DIR]

With --screenshots, each main page is saved as DIR/NAME.png (1280 px wide, Chinese).
Test tooling only (scripts/browser-check runs it).
"""

import argparse
import json
import re
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
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
    }


class Walk:
    def __init__(self, banner, screenshots):
        self.banner = banner
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
        return self.find(css).text

    def expect(self, condition, what):
        if not condition:
            raise Failure(f"{self.driver.current_url}: {what}")

    def submit(self, css, refused=False):
        """Clicks a button or link that loads a page, and waits until the new page is there."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.find(css).click()
        try:
            WebDriverWait(self.driver, LIMIT).until(seen.staleness_of(old))
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
                                   ("draws/verify", "portal-draw", "抽取记录")]:
            self.open(base + path)
            self.expect(marker in self.text("main"), f"the {path} page shows {marker}")
            self.shot(name)
        self.submit("#draw-submit", refused=True)
        self.expect("请粘贴抽取记录" in self.text("#error-summary"), "an empty draw is refused")
        self.step("portal: registry, transparency, open data and the draw check answer")

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--banner", required=True)
    parser.add_argument("--screenshots")
    arguments = parser.parse_args()
    banner = parse_banner(open(arguments.banner, encoding="utf-8").read())
    walk = Walk(banner, arguments.screenshots)
    try:
        walk.portal()
        walk.console()
    except Failure as failure:
        print(f"browser walk FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        walk.close()
    print(f"browser walk: {walk.steps} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
