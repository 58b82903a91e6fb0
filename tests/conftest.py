import contextlib
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bodymap import load_atlas
from bodymap.resources import default_data_dir, default_svg_dir

REPO = Path(__file__).resolve().parent.parent

# Parsed silhouettes are cached on disk; tests keep theirs out of the user's cache.
os.environ.setdefault("BODYMAP_CACHE_DIR", tempfile.mkdtemp(prefix="bodymap-test-cache-"))


@pytest.fixture(scope="session")
def atlas():
    return load_atlas()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the built-in data folder, safe to break."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


@pytest.fixture
def svg_copy(data_copy) -> Path:
    """The copied data folder's own svg/ folder, seeded with the built-in silhouettes."""
    target = data_copy / "svg"
    shutil.copytree(default_svg_dir(), target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def row_line(rows: list[dict], predicate) -> int:
    """File line of the first row matching ``predicate`` (header is line 1)."""
    for index, row in enumerate(rows):
        if predicate(row):
            return index + 2
    raise AssertionError("no such row")


@contextlib.contextmanager
def running_server(*options: str, timeout: float = 60, env: dict | None = None):
    """`python -m bodymap serve` on a free loopback port; yields its URL once it answers.

    ``env`` adds variables to the server's environment (e.g. ``BODYMAP_PLOTLY=full``).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The server's output goes to a file: a pipe nobody reads fills up after a few
    # hundred logged requests and then blocks the server mid-test.
    output = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "bodymap", "serve", "--port", str(port), *options],
                               stdout=output, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait(timeout=30)
                    output.seek(0)
                    raise AssertionError("bodymap serve did not start:\n" + output.read())
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        output.close()


@pytest.fixture(scope="module", params=["basic", "full"])
def bundle_server(request):
    """(bundle, url): the app once with plotly.js's basic bundle (what `make` fetches) and once
    with dash's full bundle (a machine without npm)."""
    from bodymap.app import PLOTLY_BASIC

    if request.param == "basic" and not PLOTLY_BASIC.is_file():
        message = "plotly.js's basic bundle was not fetched (make needs npm)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must test both bundles")
        pytest.skip(message)
    with running_server(env={"BODYMAP_PLOTLY": request.param}) as url:
        yield request.param, url


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright for the whole run (two at once would clash over the event loop)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    """Debian's headless Chromium through Playwright; never a downloaded browser."""
    from browser import CHROMIUM_FLAGS, chromium

    launched = playwright_session.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def webgl(playwright_session):
    """The same Chromium drawing WebGL in software (SwiftShader), as the 3D view needs."""
    from browser import WEBGL_FLAGS, chromium

    launched = playwright_session.chromium.launch(executable_path=chromium(), args=WEBGL_FLAGS)
    yield launched
    launched.close()


@contextlib.contextmanager
def _watched_page(browser, **options):
    """A page in its own context that fails its test on any uncaught script error."""
    context = browser.new_context(**options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def page(browser):
    """A desktop-sized page that fails its test on any uncaught script error."""
    with _watched_page(browser, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def phone(browser):
    """A 390 x 844 touch phone, likewise."""
    from browser import PHONE

    with _watched_page(browser, **PHONE) as page:
        yield page


@pytest.fixture
def page3d(webgl):
    """A desktop-sized page drawing WebGL (the 3D view), likewise."""
    with _watched_page(webgl, viewport={"width": 1280, "height": 900}) as page:
        yield page
