"""The quiz as a student meets it: the first visit of a quiz link, and each answer
and "next" timed from the press until the page shows it, against the frame floor.

Headless Chromium (Debian's, through Playwright) opens
`/?mode=quiz&points=...&view=back` and, round after round, clicks where the
asked point is (an answer: scored on the server, then the feedback and the
true position drawn) and presses "Next point" (the next question and a
cleared figure). The floor is a click on the quiz's title, which changes
nothing, timed the same way (two animation frames after the press). Rounds
interleave the cases so machine noise hits them alike. Prints one JSON line
per case, then one with the first-visit bytes.

    python benchmarks/quiz.py [--rounds 20] [--throttle 1]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics

from _server import BODYMAP, start
from playwright.sync_api import sync_playwright

from bodymap import load_atlas

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
POINTS = ["BL23", "GV4", "GB30", "BL40", "BL57", "BL60"]
PAGE = f"?mode=quiz&points={','.join(POINTS)}&view=back&within=2"

# Sets a promise of the milliseconds from the next press until `ready()` holds and
# that frame is painted (for the floor: two frames after the press).
TIMED = """kind => { window.bodymapTimed = new Promise(resolve => {
    const feedback = () => document.querySelector('#quiz-feedback').textContent;
    const marks = () => window.bodymap.quizMarks('truth').length;
    const before = document.querySelector('#quiz-question').textContent;
    const ready = {
        floor: () => true,
        answer: () => feedback().includes('Correct') && marks() > 0,
        next: () => feedback() === '' && marks() === 0 && document.querySelector('#quiz-question').textContent !== before,
    }[kind];
    let start = null, done = false;
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    const check = () => { if (!done && start !== null && ready()) { done = true; observer.disconnect(); painted(); } };
    const observer = new MutationObserver(check);
    observer.observe(document.getElementById('quiz'), {subtree: true, childList: true, characterData: true,
                                                        attributes: true});
    window.addEventListener('pointerdown', () => { start = performance.now(); if (kind === 'floor') { check(); } },
                            {capture: true, once: true});
}); }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--throttle", type=float, default=1, help="CPU slow-down factor (devtools protocol)")
    args = parser.parse_args()
    atlas = load_atlas()
    process, url, ready_s = start(BODYMAP, "bodymap")
    samples = {"floor": [], "answer": [], "next": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            received = []
            cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
            page.goto(url + PAGE)
            page.wait_for_function("() => window.bodymap && window.bodymap.quizView() === 'back'")
            page.wait_for_timeout(2000)
            first_visit = sum(received)
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
            if args.throttle != 1:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})

            def timed(kind, press):
                page.evaluate(TIMED, kind)
                press()
                samples[kind].append(page.evaluate("() => window.bodymapTimed"))
                page.wait_for_timeout(200)

            for _ in range(args.rounds):
                if page.locator("#quiz-summary h3").count():
                    page.locator("#quiz-again").click()
                    page.locator("#quiz-feedback").get_by_text("Correct").wait_for(state="detached")
                    page.wait_for_timeout(500)
                timed("floor", lambda: page.locator("#quiz-title").click())
                code = page.locator("#quiz-question").inner_text().split()[1]
                placement = max((p for p in atlas.points[code].placements if p.view == "back"), key=lambda p: p.x)
                x, y = page.evaluate("([x, y]) => window.bodymap.toScreen('quiz', x, y)", [placement.x, placement.y])
                timed("answer", lambda: page.mouse.click(x, y))
                timed("next", lambda: page.locator("#quiz-next").click())
            browser.close()
    finally:
        process.terminate()
    floor = statistics.median(samples["floor"])
    for case, times in samples.items():
        ordered = sorted(times)
        print(json.dumps({"case": case, "median_ms": round(statistics.median(times), 1),
                          "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
                          "to_floor": round(statistics.median(times) / floor, 2)}))
    print(json.dumps({"first_visit_bytes": first_visit, "ready_s": round(ready_s, 2), "throttle": args.throttle,
                      "rounds": args.rounds}))


if __name__ == "__main__":
    main()
