"""Click-to-repaint times on the page a user really has, against the frame
floor measured in the same page and against the plain baseline app.

The page: back and side views shown, a condition chosen
(`/?view=back,side&condition=sciatica`). Headless Chromium (Debian's, through
Playwright) clicks like a user and times each click until the figures show
the change and the browser has painted it (two animation frames after the
change, as a click that changes nothing is timed: the floor). Cases:

- floor: a click on the results heading, which changes nothing;
- meridian: the Bladder meridian's checkbox;
- condition: a second condition's checkbox (added, then removed);
- view: the Side view's checkbox (hidden, then shown);
- labels: the point-labels switch;
- baseline: the same meridian toggle in `baseline_app.py`, which answers each
  change with whole new figures.

Rounds are interleaved so machine noise hits every case alike. Prints one
JSON line per case, then one with the first-visit bytes and start-up time.

    python benchmarks/interaction.py [--rounds 20] [--throttle 1]
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
PAGE = "?view=back,side&condition=sciatica"
# What the figures show: for every drawn marker and label of the back and side
# views whether it can be seen, and whether each panel is shown. bodymap hides by
# opacity, the baseline by leaving markers out.
SHOWN = """() => Array.from(document.querySelectorAll('#graph-back, #graph-side')).map(graph => {
    const panel = graph.closest('.view-panel');
    const hidden = panel && panel.classList.contains('is-hidden');
    const seen = Array.from(graph.querySelectorAll('.scatterlayer .points path[transform], .scatterlayer .text text'))
        .filter(n => n.style.opacity !== '0').length;
    return (hidden ? 'h' : 's') + seen;
}).join('|')"""
# Resolves with the milliseconds from the click until what SHOWN sees has
# changed and that frame is painted; for the floor, until two frames after it.
CLICK_TO_PAINT = """([selector, changes]) => new Promise(resolve => {
    const shown = %s;
    const before = shown();
    let start, done = false;
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    const observer = new MutationObserver(() => {
        if (!done && shown() !== before) { done = true; observer.disconnect(); painted(); }
    });
    if (changes) {
        document.querySelectorAll('#graph-back, #graph-side').forEach(g =>
            observer.observe(g.closest('.view-panel') || g, {subtree: true, childList: true, attributes: true}));
    }
    start = performance.now();
    document.querySelector(selector).click();
    if (!changes) { painted(); }
})""" % SHOWN

CASES = {
    "floor": ("#results-count", False),
    "meridian": ('#meridian-select input[value="BL"]', True),
    "condition": ('#condition-select input[value="acute-lumbar-pain"]', True),
    "view": ('#view-select input[value="side"]', True),
    "labels": ("#labels-switch", True),
}


class Session:
    """One browser page on one app, counting the bytes its network moves."""

    def __init__(self, browser, url: str, throttle: float):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.cdp = self.page.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.received = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.page.goto(url + PAGE)
        self.page.wait_for_function(
            "document.querySelectorAll('#graph-back .scatterlayer .points path').length > 0")
        self.page.wait_for_timeout(2000)
        self.first_load = self.received
        # Later changes are measured as a returning visitor's: with the browser cache on.
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        if throttle != 1:
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})

    def _finished(self, event):
        self.received += event["encodedDataLength"]

    def click(self, case: str) -> float:
        selector, changes = CASES[case] if case in CASES else (CASES["meridian"][0], True)
        elapsed = self.page.evaluate(CLICK_TO_PAINT, [selector, changes])
        self.page.wait_for_timeout(400)  # let the URL update and any trailing request finish
        return elapsed


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--throttle", type=float, default=1, help="CPU slow-down factor (devtools protocol)")
    args = parser.parse_args()
    apps = {"bodymap": BODYMAP, "baseline": [sys.executable, str(HERE / "baseline_app.py"), "{port}"]}
    processes, sessions, ready = {}, {}, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        try:
            for name, command in apps.items():
                processes[name], url, ready[name] = start(command, name)
                sessions[name] = Session(browser, url, args.throttle)
            samples = {case: [] for case in [*CASES, "baseline"]}
            for _ in range(args.rounds):
                for case in CASES:
                    samples[case].append(sessions["bodymap"].click(case))
                samples["baseline"].append(sessions["baseline"].click("baseline"))
            floor = statistics.median(samples["floor"])
            for case, times in samples.items():
                line = {"case": case, **summary(times), "to_floor": round(statistics.median(times) / floor, 2)}
                if case != "baseline":
                    line["baseline_over_this"] = round(statistics.median(samples["baseline"]) /
                                                       statistics.median(times), 2)
                print(json.dumps(line))
            print(json.dumps({"first_load_bytes": {n: s.first_load for n, s in sessions.items()},
                              "ready_s": {n: round(r, 2) for n, r in ready.items()}, "throttle": args.throttle,
                              "rounds": args.rounds}))
        finally:
            browser.close()
            for process in processes.values():
                process.terminate()


if __name__ == "__main__":
    main()
