"""Helpers for the browser tests: Debian's Chromium, and what the page shows.

What a figure shows is read through the page's own `window.bodymap` (the one
place that knows how plotly draws), so the tests count exactly the markers a
reader can see.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
# For WebGL (the 3D view): SwiftShader draws it in software, in place of --disable-gpu.
WEBGL_FLAGS = ["--headless", "--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    return path


def listed(page) -> list[str]:
    return page.locator("#results-list li:not([hidden])").evaluate_all("items => items.map(i => i.dataset.code)")


def wait_listed(page, expected) -> None:
    page.wait_for_function("expected => JSON.stringify(Array.from(document.querySelectorAll("
                           "'#results-list li:not([hidden])')).map(i => i.dataset.code)) === JSON.stringify(expected)",
                           arg=list(expected))


def shown(page, view: str) -> int:
    """Markers a reader can see on ``view`` (-1 while it is hidden or not yet drawn)."""
    return page.evaluate("view => window.bodymap ? window.bodymap.shown(view) : -1", view)


def wait_shown(page, view: str, expected: int, timeout: float = 30_000) -> None:
    page.wait_for_function("([view, n]) => window.bodymap && window.bodymap.shown(view) === n",
                           arg=[view, expected], timeout=timeout)


def placed_on(atlas, codes, view: str) -> int:
    return sum(1 for code in codes for p in atlas.points[code].placements if p.view == view)
