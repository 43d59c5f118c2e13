"""Times bid-workspace.js sealing N MiB in headless Chromium against `zhaocai bid seal --raw`
sealing the same bytes (scripts/bench-browser-seal). Loopback only; bounded in size and time."""
import argparse
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PAGE = """<!doctype html><meta charset="utf-8"><title>seal bench</title>
<script src="/bid-workspace.js"></script>"""

# The same bytes in the page and in the file: byte i is (i * 7) mod 256.
SEAL_IN_PAGE = """
const [mib, holders, done] = arguments;
(async () => {
  const E = globalThis.zhaocaiEnvelope;
  const chunk = new Uint8Array(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7) & 255;
  const blob = new Blob(Array.from({ length: mib }, () => chunk));
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const signer = { code: 1, publicKey,
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, bytes)) };
  const notice = { section: "BENCH-1", bidder: "91350100MA0000001P", openingTime: 1800000000,
    threshold: 2, holders };
  const started = performance.now();
  const sealed = await E.seal(blob, notice, signer, () => {});
  const milliseconds = performance.now() - started;
  done({ milliseconds, size: sealed.envelope.size, hash: sealed.hash });
})().catch((error) => done({ error: String(error) }));
"""


def sealing_key(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith("sealing:"):
            return line.split()[2]
    raise SystemExit(f"no sealing key in {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--mib", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    mib = max(1, min(arguments.mib, 512))
    work = arguments.work
    shutil.copy(arguments.script, os.path.join(work, "bid-workspace.js"))
    with open(os.path.join(work, "index.html"), "w", encoding="utf-8") as page:
        page.write(PAGE)
    payload = os.path.join(work, "payload.bin")
    chunk = bytes((i * 7) & 255 for i in range(1 << 20))
    with open(payload, "wb") as out:
        for _ in range(mib):
            out.write(chunk)
    holders = [{"name": f"h{n}", "sealingKey": sealing_key(os.path.join(work, f"h{n}.pub"))}
               for n in (1, 2, 3)]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=work)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(600)
    browser = []
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        print(f"Chromium {driver.capabilities.get('browserVersion')}, {mib} MiB, "
              f"{arguments.runs} runs each")
        for run in range(arguments.runs):
            result = driver.execute_async_script(SEAL_IN_PAGE, mib, holders)
            if "error" in result:
                raise SystemExit("the page failed to seal: " + result["error"])
            browser.append(result["milliseconds"] / 1000)
            print(f"  browser run {run + 1}: {browser[-1]:.2f} s, envelope {result['size']} bytes")
    finally:
        driver.quit()
        server.shutdown()

    cli = []
    for run in range(arguments.runs):
        command = [arguments.binary, "bid", "seal", "--raw", "--section", "BENCH-1",
                   "--opening-time", "2027-01-15T08:00:00Z", "--bidder", "91350100MA0000001P",
                   "--signer", os.path.join(work, "bidder.key"), "--in", payload,
                   "--out", os.path.join(work, "cli.sealed")]
        for n in (1, 2, 3):
            command += ["--holder", os.path.join(work, f"h{n}.pub")]
        started = time.monotonic()
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        cli.append(time.monotonic() - started)
        print(f"  CLI run {run + 1}: {cli[-1]:.2f} s")
    best_browser, best_cli = min(browser), min(cli)
    print(f"browser: best {best_browser:.2f} s ({mib / best_browser:.0f} MiB/s), "
          f"median {statistics.median(browser):.2f} s")
    print(f"CLI:     best {best_cli:.2f} s ({mib / best_cli:.0f} MiB/s), "
          f"median {statistics.median(cli):.2f} s")
    print(f"ratio browser / CLI (best): {best_browser / best_cli:.2f}")


if __name__ == "__main__":
    main()
