"""Click-to-repaint time, bytes per change, first-load bytes and start-up time
of the bodymap app against the plain baseline app, side by side.

Both apps run on loopback with the same data; headless Chromium (Debian's,
through Playwright) toggles the same meridian checkbox in each, rounds
interleaved so machine noise hits both alike. Prints one JSON line per app.

    python benchmarks/interaction.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

from _server import BODYMAP, start
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
APPS = {
    "bodymap": BODYMAP,
    "baseline": [sys.executable, str(HERE / "baseline_app.py"), "{port}"],
}
# Resolves with the milliseconds from the click until the front figure shows a
# different number of markers and the browser has painted that frame (the
# second animation frame after the change starts once the first is painted).
CLICK_TO_PAINT = """([selector]) => new Promise(resolve => {
    const graph = document.querySelector('#graph-front .js-plotly-plot');
    // Markers drawn and not made transparent (bodymap hides by opacity, the baseline by omission).
    const count = () => Array.from(graph.querySelectorAll('.scatterlayer .points path[transform]'))
        .filter(p => p.style.opacity !== '0').length;
    const before = count();
    let start;
    const observer = new MutationObserver(() => {
        if (count() !== before) {
            observer.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
        }
    });
    observer.observe(graph, {subtree: true, childList: true, attributes: true});
    start = performance.now();
    document.querySelector(selector).click();
})"""


class Session:
    """One browser page on one app, counting the bytes its network moves."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.cdp = self.page.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.received = 0
        self.sent = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.page.goto(url)
        self.page.wait_for_function("document.querySelectorAll('#graph-front .scatterlayer .points path').length > 0")
        self.page.wait_for_timeout(1500)
        self.first_load = self.received + self.sent
        # Later changes are measured as a returning visitor's: with the browser cache on.
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})

    def _finished(self, event):
        self.received += event["encodedDataLength"]

    def _sent(self, event):
        self.sent += len(event["request"].get("postData") or "")

    def click(self) -> tuple[float, int]:
        before = self.received + self.sent
        elapsed = self.page.evaluate(CLICK_TO_PAINT, ['#meridian-select input[value="BL"]'])
        self.page.wait_for_timeout(300)  # let any trailing request finish before counting
        return elapsed, self.received + self.sent - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    processes, sessions, ready = {}, {}, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        try:
            for name in APPS:
                processes[name], url, ready[name] = start(APPS[name], name)
                sessions[name] = Session(browser, url)
            samples = {name: ([], []) for name in APPS}
            for _ in range(args.rounds):
                for name, session in sessions.items():
                    elapsed, moved = session.click()
                    samples[name][0].append(elapsed)
                    samples[name][1].append(moved)
            for name, (times, moved) in samples.items():
                ordered = sorted(times)
                print(json.dumps({
                    "app": name,
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
                    "bytes_per_change": int(statistics.median(moved)),
                    "first_load_bytes": sessions[name].first_load,
                    "ready_s": round(ready[name], 2),
                }))
        finally:
            browser.close()
            for process in processes.values():
                process.terminate()


if __name__ == "__main__":
    main()
