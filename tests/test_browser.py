"""The app in a real headless Chromium (Debian's), started as a user would."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bodymap import query

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "bodymap", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("bodymap serve did not start:\n" + (process.stdout.read() if process.stdout else ""))
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


def _markers(page):
    return page.locator(".scatterlayer .trace .points path")


def test_app_draws_points_on_the_body(browser, server, atlas):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server)
    page.get_by_text("Point positions are illustrative, not anatomical.").first.wait_for()
    front = len(atlas.layers["front"].codes)
    page.wait_for_function(f"document.querySelectorAll('.scatterlayer .trace .points path').length == {front}")
    assert page.locator(".shapelayer path").count() >= 1

    page.get_by_text("Back", exact=True).click()
    back = len(atlas.layers["back"].codes)
    page.wait_for_function(f"document.querySelectorAll('.scatterlayer .trace .points path').length == {back}")
    listed = page.locator("#results-list li").evaluate_all("items => items.map(i => i.dataset.code)")
    assert listed == list(query(atlas, views=["back"]).codes)
    assert errors == []
    page.close()
