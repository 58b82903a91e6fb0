"""Start the app and save screenshots of it: docs/screenshot.png (a desktop)
and docs/screenshot-phone.png (a 390 x 844 phone).

Uses Debian's Chromium through Playwright; nothing downloads a browser.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parent / "screenshot.png"
PHONE = Path(__file__).resolve().parent / "screenshot-phone.png"


def main() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "bodymap", "serve", "--port", str(port)])
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "?view=back,side&condition=sciatica,lower-back-pain&point=BL40&channels=1")
            page.wait_for_timeout(2500)
            page.screenshot(path=str(OUTPUT), full_page=False)
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                        device_scale_factor=2).new_page()
            phone.goto(url + "?view=back&condition=sciatica&point=BL40")
            phone.wait_for_timeout(2500)
            phone.screenshot(path=str(PHONE), full_page=False)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"wrote {OUTPUT} and {PHONE}")


if __name__ == "__main__":
    main()
