"""Start the app and save screenshots of it: docs/screenshot.png (a desktop),
docs/screenshot-phone.png (a 390 x 844 phone), docs/screenshot-lesson.png (a
lesson's link with its panel), docs/screenshot-quiz-phone.png (a quiz answered
on a phone) and docs/screenshot-3d.png (the 3D view, WebGL drawn in software);
and the first page of a framed handout, docs/handout-lower-back.png.

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

from bodymap import load_atlas
from bodymap.lesson import lesson_url, load_lesson

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parent / "screenshot.png"
PHONE = Path(__file__).resolve().parent / "screenshot-phone.png"
LESSON = Path(__file__).resolve().parent / "screenshot-lesson.png"
QUIZ_PHONE = Path(__file__).resolve().parent / "screenshot-quiz-phone.png"
SCENE = Path(__file__).resolve().parent / "screenshot-3d.png"
HANDOUT = Path(__file__).resolve().parent / "handout-lower-back.png"
WEBGL_FLAGS = ["--headless", "--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
LESSON_FILE = Path(__file__).resolve().parent.parent / "tests" / "lessons" / "good.toml"


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

            atlas = load_atlas()
            page.set_viewport_size({"width": 1280, "height": 1450})
            page.goto(lesson_url(load_lesson(atlas, LESSON_FILE), url))
            page.locator("#lesson-points li").first.wait_for()
            page.wait_for_timeout(2000)
            page.screenshot(path=str(LESSON), full_page=False)

            phone.goto(url + "?mode=quiz&points=BL40,GB30&view=back")
            phone.wait_for_function("() => window.bodymap && window.bodymap.quizView() === 'back'")
            for code, offset in (("BL40", 0.0), ("GB30", 6.0)):
                phone.locator("#quiz-question").get_by_text(code).wait_for()
                placement = max((p for p in atlas.points[code].placements if p.view == "back"), key=lambda p: p.x)
                x, y = phone.evaluate("([x, y]) => window.bodymap.toScreen('quiz', x, y)",
                                      [placement.x + offset, placement.y])
                phone.touchscreen.tap(x, y)
                phone.locator("#quiz-next:not([hidden])").wait_for()
                if code == "BL40":
                    phone.locator("#quiz-next").tap()
            phone.wait_for_timeout(800)
            phone.screenshot(path=str(QUIZ_PHONE), full_page=False)
            browser.close()

            webgl = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=WEBGL_FLAGS)
            page = webgl.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "?view=3d,back&condition=lower-back-pain&point=BL23&channels=1")
            page.wait_for_function("() => { const d = document.getElementById('scene-plot');"
                                   " return d && d.dataset.applied; }", timeout=120_000)
            page.locator("[data-camera='back']").click()
            page.wait_for_timeout(1500)
            page.locator("#view-grid").screenshot(path=str(SCENE))
            webgl.close()
    finally:
        server.terminate()
        server.wait()
    # A handout framed on its points (the default), its crowded lower back as a close-up.
    subprocess.run([sys.executable, "-m", "bodymap", "export", "--condition", "lower-back-pain", "--format", "png",
                    "--output", str(HANDOUT.with_name("handout-lower-back-full.png"))], check=True)
    from PIL import Image

    pages = list(HANDOUT.parent.glob("handout-lower-back-full*.png"))
    with Image.open(HANDOUT.with_name("handout-lower-back-full.png")) as first:
        first.resize((first.width // 3, first.height // 3), Image.LANCZOS).save(HANDOUT, optimize=True)
    for path in pages:
        path.unlink()
    print(f"wrote {OUTPUT}, {PHONE}, {LESSON}, {QUIZ_PHONE}, {SCENE} and {HANDOUT}")


if __name__ == "__main__":
    main()
