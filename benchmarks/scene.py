"""The 3D view's cost: what a first visit downloads, how long a link to the 3D
view takes to draw the body, and how long a filter change takes to repaint it.

Headless Chromium (Debian's, through Playwright) draws WebGL in software
(SwiftShader), as on these machines. Every case runs in the same session,
round by round, so machine noise hits them alike:

- first visit, 2D (`/?view=back&condition=sciatica`): bytes on the wire with
  an empty cache, and the time from navigation to the back view painted: the
  baseline;
- first visit, 3D (`/?view=3d&condition=sciatica`): bytes, the time from
  navigation to the body on the screen (drawn bare, before the page's filters are
  known), and to the body with the matching points (the 3D view has set what it
  shows);
- in 3D: a click on the Bladder meridian's checkbox, timed until the scene
  shows the change and two frames are painted, against the frame floor (a
  click on the results heading, which changes nothing, timed the same way).

    python benchmarks/scene.py [--rounds 5] [--throttle 1]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics

from _server import BODYMAP, start
from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE_2D = "?view=back&condition=sciatica"
PAGE_3D = "?view=3d&condition=sciatica"
# When the page first shows what was asked for, in ms since navigation started: the 3D view's
# plot gets data-applied, a 2D panel the is-painted class.
WATCH = """(() => {
    window.__drawnAt = {};
    new MutationObserver(() => {
        const scene = document.getElementById('scene-plot');
        if (scene && scene.dataset.applied && !window.__drawnAt.scene) { window.__drawnAt.scene = performance.now(); }
        if (scene && scene.dataset.body && !window.__drawnAt.bodySeen) {
            window.__drawnAt.bodySeen = true;
            requestAnimationFrame(() => requestAnimationFrame(() => { window.__drawnAt.body = performance.now(); }));
        }
        const back = document.querySelector('#panel-back.is-painted:not(.is-hidden)');
        if (back && !window.__drawnAt.back) {
            requestAnimationFrame(() => { window.__drawnAt.back = window.__drawnAt.back || performance.now(); });
        }
    }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-applied', 'data-body', 'class']});
})();"""
CLICK_TO_PAINT = """([selector, changes]) => new Promise(resolve => {
    const scene = document.getElementById('scene-plot');
    const before = scene.dataset.applied;
    let start, done = false;
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    const observer = new MutationObserver(() => {
        if (!done && scene.dataset.applied !== before) { done = true; observer.disconnect(); painted(); }
    });
    if (changes) { observer.observe(scene, {attributes: true, attributeFilter: ['data-applied']}); }
    start = performance.now();
    document.querySelector(selector).click();
    if (!changes) { painted(); }
})"""


def first_visit(browser, url: str, throttle: float, key: str) -> tuple[int, float, object]:
    """(bytes received with an empty cache, ms until ``key`` is drawn, the page)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle != 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    received = [0]
    cdp.on("Network.loadingFinished", lambda event: received.__setitem__(0, received[0] + event["encodedDataLength"]))
    page.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_function(f"() => window.__drawnAt && window.__drawnAt.{key}", timeout=120_000)
    page.wait_for_timeout(1500)  # anything still on its way (the URL update, details)
    if key == "scene":
        page.wait_for_function("() => window.__drawnAt.body", timeout=120_000)
    return received[0], page.evaluate(f"() => window.__drawnAt.{key}"), page


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median": round(statistics.median(values), 1), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--throttle", type=float, default=1, help="CPU slow-down factor (devtools protocol)")
    args = parser.parse_args()
    process, url, _ = start(BODYMAP)
    samples = {"bytes_2d": [], "bytes_3d": [], "drawn_2d_ms": [], "body_3d_ms": [], "drawn_3d_ms": [], "floor_ms": [],
               "filter_ms": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            # One visit first, so the server has built the scene (as a warmed server has) and
            # no round pays for that.
            first_visit(browser, url + PAGE_3D, 1, "scene")[2].close()
            for _ in range(args.rounds):
                size, drawn, page = first_visit(browser, url + PAGE_2D, args.throttle, "back")
                samples["bytes_2d"].append(size)
                samples["drawn_2d_ms"].append(drawn)
                page.close()
                size, drawn, page = first_visit(browser, url + PAGE_3D, args.throttle, "scene")
                samples["bytes_3d"].append(size)
                samples["drawn_3d_ms"].append(drawn)
                samples["body_3d_ms"].append(page.evaluate("() => window.__drawnAt.body"))
                for _ in range(5):  # the meridian off, then on again
                    samples["floor_ms"].append(page.evaluate(CLICK_TO_PAINT, ["#results-count", False]))
                    samples["filter_ms"].append(page.evaluate(CLICK_TO_PAINT, ['#meridian-select input[value="BL"]',
                                                                               True]))
                    page.wait_for_timeout(300)
                page.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    for name, values in samples.items():
        print(json.dumps({"case": name, **summary(values)}))
    print(json.dumps({
        "first_visit_3d_over_2d_bytes": round(statistics.median(samples["bytes_3d"]) /
                                              statistics.median(samples["bytes_2d"]), 2),
        "drawn_3d_over_2d": round(statistics.median(samples["drawn_3d_ms"]) /
                                  statistics.median(samples["drawn_2d_ms"]), 2),
        "body_3d_over_2d": round(statistics.median(samples["body_3d_ms"]) /
                                 statistics.median(samples["drawn_2d_ms"]), 2),
        "filter_to_floor": round(statistics.median(samples["filter_ms"]) / statistics.median(samples["floor_ms"]), 2),
        "rounds": args.rounds, "throttle": args.throttle,
    }))


if __name__ == "__main__":
    main()
