"""Lessons and quizzes in a real headless Chromium (Debian's): clicks scored in cun,
"name this point" from the keyboard, lesson links and files, Back and Forward, a phone, axe.

Where a point is on screen is found through the page's own `window.bodymap`
(the view's SVG position -> pixels, the same mapping that turns a click into
an answer), and checked against where plotly really draws the answer's marker.
"""

import csv
import io
import json
import urllib.parse
from pathlib import Path

import pytest

from bodymap import query
from bodymap.app.state import catalogue_order
from bodymap.lesson import cun_distance, decode_lesson, lesson_url, load_lesson, parse_lesson, LessonError
from browser import placed_on, wait_listed, wait_shown
from conftest import running_server
from test_classroom import axe_violations

pytestmark = pytest.mark.browser

LESSONS = Path(__file__).resolve().parent / "lessons"
QUIZ = "?mode=quiz&points=BL40,GB30&view=back"


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture
def lesson(atlas):
    return load_lesson(atlas, LESSONS / "good.toml")


def right_side(atlas, code, view):
    """The placement on the viewer's right, so a click is never near the other side's."""
    return max((p for p in atlas.points[code].placements if p.view == view), key=lambda p: p.x)


def wait_question(page, text, view):
    page.locator("#quiz-question").get_by_text(text).wait_for()
    page.wait_for_function("view => window.bodymap && window.bodymap.quizView() === view", arg=view)


def screen(page, x, y):
    return page.evaluate("([x, y]) => window.bodymap.toScreen('quiz', x, y)", [x, y])


def flat(positions) -> list[float]:
    return [c for position in sorted(positions) for c in position]


def quiz_state(page):
    """The quiz in progress, as the page keeps it (session storage, by quiz)."""
    saved = json.loads(page.evaluate("() => sessionStorage.getItem('quiz-saved')"))
    return list(saved.values())[-1]


def feedback(page, text):
    page.locator("#quiz-feedback").get_by_text(text).wait_for()
    return page.locator("#quiz-feedback").inner_text()


@pytest.mark.parametrize("throttle", [1, 4], ids=["cpu", "cpu-slowed-4x"])
def test_a_click_where_the_point_is_is_correct(page, bundle_server, atlas, throttle):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    _, url = bundle_server
    page.goto(url + QUIZ)
    wait_question(page, "Find BL40 (Wei Zhong) on the back view", "back")
    target = right_side(atlas, "BL40", "back")
    x, y = screen(page, target.x, target.y)
    page.mouse.click(x, y)
    assert feedback(page, "Correct").startswith("✓ Correct: 0.0 cun from BL40")
    # The true position is drawn by plotly where the page's mapping says it is:
    # the click was turned into the view's units the same way, so it landed on the point.
    page.wait_for_function("() => window.bodymap.quizMarks('truth').length === 2")
    drawn = page.evaluate("() => window.bodymap.quizMarks('truth')")
    expected = [screen(page, p.x, p.y) for p in atlas.points["BL40"].placements if p.view == "back"]
    assert flat(drawn) == pytest.approx(flat(expected), abs=1.5)
    assert "How to find it" in page.locator("#quiz-details").inner_text()
    assert "illustrative, not anatomical" in page.locator("#quiz-details").inner_text()
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def test_a_click_far_away_gives_the_distance_in_cun(page, server, atlas):
    page.goto(server + QUIZ)
    wait_question(page, "Find BL40", "back")
    x, y = screen(page, 200.0, 120.0)  # the head, far from the knee
    page.mouse.click(x, y)
    text = feedback(page, "cun away")
    expected = cun_distance(atlas, "back", "BL40", 200.0, 120.0)
    shown = float(text.split("✗ ")[1].split(" cun away")[0])
    assert shown == pytest.approx(expected, abs=0.11)
    assert "BL40 is marked" in text and "comes back later" in text
    answer, = page.evaluate("() => window.bodymap.quizMarks('answer')")
    assert answer == pytest.approx([x, y], abs=1.5)  # the cross is where the click was
    assert quiz_state(page)["tries"][0][0]["d"] == pytest.approx(expected, abs=0.02)


def test_clicks_beside_the_body_and_on_the_zoom_buttons_are_no_answer(page, server, atlas):
    page.goto(server + QUIZ)
    wait_question(page, "Find BL40", "back")
    page.locator("#quiz-graph .modebar-btn").first.click()
    page.mouse.click(5, 5)  # outside the figure
    page.wait_for_timeout(800)
    assert page.locator("#quiz-feedback").inner_text() == ""
    assert quiz_state(page)["tries"] == [[], []]


def test_a_double_click_answers_once_and_keeps_the_body_in_place(page, server, atlas):
    page.goto(server + QUIZ)
    wait_question(page, "Find BL40", "back")
    head = screen(page, 200.0, 60.0)
    page.mouse.dblclick(*head)
    feedback(page, "cun away")
    page.wait_for_timeout(500)
    assert len(quiz_state(page)["tries"][0]) == 1
    assert screen(page, 200.0, 60.0) == pytest.approx(head, abs=1)  # not reset to an empty figure's axes
    page.locator("#quiz-next").click()
    wait_question(page, "Find GB30", "back")
    assert screen(page, 200.0, 60.0) == pytest.approx(head, abs=1)


def test_finishing_a_quiz_shows_the_summary_and_downloads_it(page, server, atlas):
    page.goto(server + QUIZ)
    wait_question(page, "Find BL40", "back")
    page.mouse.click(*screen(page, 200.0, 120.0))  # BL40 missed: it comes back after GB30
    feedback(page, "cun away")
    page.locator("#quiz-next").click()
    wait_question(page, "Find GB30", "back")
    gb30 = right_side(atlas, "GB30", "back")
    page.mouse.click(*screen(page, gb30.x, gb30.y))
    feedback(page, "Correct")
    page.locator("#quiz-next").click()
    wait_question(page, "Find BL40", "back")
    page.locator("#quiz-progress").get_by_text("1 found · 2 tries").wait_for()
    bl40 = right_side(atlas, "BL40", "back")
    page.mouse.click(*screen(page, bl40.x, bl40.y))
    feedback(page, "Correct")
    page.locator("#quiz-next").click()
    summary = page.locator("#quiz-summary")
    summary.get_by_text("1 of 2 found on the first try; 3 tries").wait_for()
    rows = summary.locator("tbody tr").all_inner_texts()
    assert rows[0].split("\t")[:3] == ["1", "BL40 Wei Zhong 委中", "2"]
    assert rows[1].split("\t")[:3] == ["2", "GB30 Huan Tiao 环跳", "1"]
    with page.expect_download() as download_info:
        page.locator("#quiz-csv").click()
    download = download_info.value
    assert download.suggested_filename == "quiz-results.csv"
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [(r["code"], r["attempts"], r["first_try_correct"]) for r in table] == [("BL40", "2", "no"),
                                                                                    ("GB30", "1", "yes")]
    assert float(table[0]["first_distance_cun"]) == pytest.approx(cun_distance(atlas, "back", "BL40", 200, 120),
                                                                  abs=0.11)
    assert table[0]["found_distance_cun"] == "0.00"
    page.locator("#quiz-again").click()
    wait_question(page, "Find BL40", "back")
    page.locator("#quiz-progress").get_by_text("Point 1 of 2 · 0 found · 0 tries").wait_for()


def test_name_this_point_from_the_keyboard_alone(page, server, atlas):
    page.goto(server + "?mode=quiz&points=BL40,GB30,BL60&view=back&ask=name")
    wait_question(page, "Which point is ringed", "back")
    answered_wrong = False
    for _ in range(8):
        page.wait_for_function("() => document.querySelector('#quiz-summary h3') || "
                               "document.querySelector('#quiz-choices button:not([disabled])')")
        if page.locator("#quiz-summary h3").count():
            break
        page.wait_for_function("() => document.activeElement && document.activeElement.matches('#quiz-choices button')")
        state = quiz_state(page)
        answer = state["questions"][state["queue"][0]][0]
        options = page.locator("#quiz-choices button").evaluate_all("bs => bs.map(b => b.dataset.code)")
        assert len(options) == 4 and len(set(options)) == 4 and answer in options
        wanted = next(c for c in options if c != answer) if not answered_wrong else answer
        for _ in range(options.index(wanted)):
            page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.dataset.code") == wanted
        page.keyboard.press("Enter")
        verdict = feedback(page, "✓" if wanted == answer else "✗")
        assert (f"Not {wanted}: this is {answer}" in verdict) if wanted != answer else answer in verdict
        answered_wrong = True
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'quiz-next'")
        page.keyboard.press("Enter")
    page.locator("#quiz-summary").get_by_text("2 of 3 found on the first try; 4 tries").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'quiz-summary-heading'")


def test_a_lesson_link_opens_the_lesson_and_shows_its_points(page, server, atlas, lesson):
    page.goto(lesson_url(lesson, server))
    wait_listed(page, [c for c in catalogue_order(atlas) if c in lesson.codes])
    assert page.locator("#lesson-points li").evaluate_all("items => items.map(i => i.dataset.code)") == list(
        lesson.codes)
    assert page.locator("#lesson-title").input_value() == lesson.title
    assert page.locator("#lesson-intro").input_value() == lesson.intro
    for view in lesson.views:
        wait_shown(page, view, placed_on(atlas, lesson.codes, view))
    assert page.locator("#graph-front").is_hidden()
    assert page.locator("#lesson-only").is_checked()
    link = page.locator("#lesson-link").input_value()
    assert decode_lesson(atlas, urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["lesson"][0]) == lesson
    # The handout is the lesson's while only its points show.
    page.wait_for_function("() => new URL(document.querySelector('#export-link').href).searchParams.get('lesson')")
    href = page.locator("#export-link").get_attribute("href")
    assert set(urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)) == {"lesson", "paper", "format"}
    # Every point can be shown beside the lesson's; the link keeps the choice, and the handout is the map's.
    page.get_by_text("Show only the lesson's points").click()
    wait_listed(page, catalogue_order(atlas))
    page.wait_for_function("() => location.search.includes('show=all')")
    page.wait_for_function("() => !document.querySelector('#export-link').href.includes('lesson=')")


def test_a_bad_lesson_link_says_why_and_the_page_still_works(page, server, atlas):
    page.goto(server + "?lesson=1abcde&view=back")
    note = page.locator("#url-note")
    note.get_by_text("the lesson in the link could not be opened").wait_for()
    with pytest.raises(LessonError) as error:
        decode_lesson(atlas, "1abcde")
    assert error.value.problems[0] in note.inner_text()
    wait_listed(page, catalogue_order(atlas))
    page.goto(server + "?lesson=1abcde&mode=quiz")
    page.locator("#quiz-question").get_by_text("This link holds no quiz").wait_for()
    assert "is damaged" in page.locator("#url-note").inner_text()


def test_back_and_forward_between_a_lesson_and_its_quiz(page, server, atlas, lesson):
    page.goto(lesson_url(lesson, server))
    page.locator("#lesson-points li").first.wait_for()
    page.locator("#lesson-quiz-find").click()
    wait_question(page, "Find BL23", "back")
    assert page.locator("#lesson-panel").is_hidden() and "mode=quiz" in page.url
    bl23 = right_side(atlas, "BL23", "back")
    page.mouse.click(*screen(page, bl23.x, bl23.y))
    feedback(page, "Correct")
    page.locator("#quiz-next").click()
    wait_question(page, "Find BL52", "back")

    page.go_back()
    page.wait_for_function("() => !location.search.includes('mode=quiz')")
    page.locator("#lesson-panel").wait_for(state="visible")
    assert page.locator("#quiz").is_hidden()
    wait_listed(page, [c for c in catalogue_order(atlas) if c in lesson.codes])

    page.go_forward()  # the quiz goes on where it was
    wait_question(page, "Find BL52", "back")
    assert page.locator("#quiz-progress").inner_text() == "Point 2 of 6 · 1 found · 1 try"
    page.locator("#quiz-tasks").get_by_text("Name points").click()
    wait_question(page, "Which point is ringed", "back")
    page.go_back()
    wait_question(page, "Find BL52", "back")
    page.locator("#quiz-leave").click()
    page.locator("#lesson-panel").wait_for(state="visible")
    assert "mode" not in page.url and "lesson=" in page.url


def test_building_a_lesson_from_the_map(page, server, atlas, browser):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server + "?view=back&condition=sciatica")
    wait_listed(page, query(atlas, conditions=["sciatica"]).codes)
    for code in ("BL40", "GB30", "BL23"):
        page.locator(f"#results-list button[data-code='{code}']").click()
        page.locator("#point-details").get_by_role("button", name=f"Add {code} to the lesson").click()
        page.locator(f"#lesson-points li[data-code='{code}']").wait_for()
    assert page.locator("#point-details").get_by_text("Point 3 of the lesson.").is_visible()
    # Reordered from the keyboard: focus stays on the moved point's control.
    page.get_by_role("button", name="Move BL23 up").focus()
    page.keyboard.press("Enter")
    page.locator("#lesson-status").get_by_text("BL23 is now point 2.").wait_for()
    page.wait_for_function("() => document.activeElement.getAttribute('aria-label') === 'Move BL23 up'")
    page.keyboard.press("Enter")
    page.locator("#lesson-status").get_by_text("BL23 is now point 1.").wait_for()
    page.wait_for_function("() => document.activeElement.getAttribute('aria-label') === 'Move BL23 down'")
    order = "() => Array.from(document.querySelectorAll('#lesson-points li')).map(i => i.dataset.code).join()"
    assert page.evaluate(order) == "BL23,BL40,GB30"
    page.get_by_role("button", name="Remove GB30 from the lesson").click()
    page.wait_for_function(f"() => ({order})() === 'BL23,BL40'")
    page.get_by_label("Note for BL23").fill("Both thumbs, level with the navel.")
    page.get_by_label("Note for BL23").press("Tab")
    page.locator("#lesson-title").fill("Sciatica, week 2")
    page.locator("#lesson-title").press("Enter")
    # The page's own link follows the lesson: it carries the same token as the lesson's link.
    page.wait_for_function("() => document.querySelector('#lesson-download').download === 'sciatica-week-2.toml' && "
                           "new URL(document.querySelector('#lesson-link').value).searchParams.get('lesson') === "
                           "new URLSearchParams(location.search).get('lesson')")
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["lesson"][0]
    in_link = decode_lesson(atlas, token)
    assert in_link.codes == ("BL23", "BL40") and in_link.title == "Sciatica, week 2"
    assert in_link.points[0].note == "Both thumbs, level with the navel."
    # The file downloads as the same lesson.
    with page.expect_download() as download_info:
        page.locator("#lesson-download").click()
    download = download_info.value
    assert download.suggested_filename == "sciatica-week-2.toml"
    assert parse_lesson(atlas, Path(download.path()).read_bytes()) == in_link
    # The link is shown as text and copied.
    page.locator("#lesson-copy").click()
    page.locator("#lesson-copied").get_by_text("Link copied.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#lesson-link").input_value() == lesson_url(in_link, server)


def test_opening_lesson_files_checked_as_the_command_line_checks_them(page, server, atlas, lesson, tmp_path):
    page.goto(server)
    wait_listed(page, catalogue_order(atlas))
    upload = page.locator("#lesson-upload input[type=file]")
    upload.set_input_files(str(LESSONS / "good.toml"))
    page.locator("#lesson-status").get_by_text("Opened good.toml: 6 points.").wait_for()
    page.wait_for_function(f"() => document.querySelectorAll('#lesson-points li').length === {len(lesson.points)}")
    wait_shown(page, "side", placed_on(atlas, lesson.codes, "side"))
    for name in ("ambiguous-code.toml", "not-on-views.toml"):
        upload.set_input_files(str(LESSONS / name))
        problems = page.locator("#lesson-problems")
        problems.get_by_text("The lesson file was not opened").wait_for()
        with pytest.raises(LessonError) as error:
            parse_lesson(atlas, (LESSONS / name).read_bytes(), name)
        page.wait_for_function("expected => Array.from(document.querySelectorAll('#lesson-problems li'))"
                               ".map(li => li.textContent).join('\\n') === expected",
                               arg="\n".join(error.value.problems))
        assert page.locator("#lesson-points li").count() == len(lesson.points)  # the open lesson is kept
    huge = tmp_path / "huge.toml"
    huge.write_text('title = "Huge"\n' + "# padding\n" * 9000, encoding="utf-8")
    upload.set_input_files(str(huge))
    page.locator("#lesson-problems").get_by_text(
        f"huge.toml:1: file: is {huge.stat().st_size:,} bytes; a lesson may be at most 65,536 bytes").wait_for()


def test_a_phone_taps_the_answer_with_question_and_feedback_in_sight(phone, server, atlas):
    phone.goto(server + QUIZ)
    wait_question(phone, "Find BL40", "back")
    target = right_side(atlas, "BL40", "back")
    x, y = screen(phone, target.x, target.y)
    assert 0 < y < 844, "the point to find is on the first screen"
    top = phone.locator("#quiz-graph").bounding_box()["y"]
    phone.touchscreen.tap(x, y)
    feedback(phone, "Correct")
    # The tap moved nothing: the body is drawn where it was in its figure (and the
    # figure where it was: a line is kept for the verdict), the answer's marker on the point.
    phone.wait_for_function("() => window.bodymap.quizMarks('truth').length === 2")
    assert phone.locator("#quiz-graph").bounding_box()["y"] == pytest.approx(top, abs=1)
    assert screen(phone, target.x, target.y) == pytest.approx([x, y], abs=1)
    assert phone.locator("#quiz-feedback .badge").inner_text().startswith("⚠ caution")  # BL40's cautions
    assert flat(phone.evaluate("() => window.bodymap.quizMarks('truth')")) == pytest.approx(
        flat([screen(phone, p.x, p.y) for p in atlas.points["BL40"].placements if p.view == "back"]), abs=1.5)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    for selector in ("#quiz-question", "#quiz-feedback", "#quiz-next"):
        box = phone.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, selector
    figure = phone.locator("#quiz-graph").bounding_box()
    assert figure["y"] < 844 * 0.6
    truth = phone.evaluate("() => window.bodymap.quizMarks('truth')")
    assert any(0 <= ty <= 844 for _, ty in truth)
    # A finger sliding over the figure is no answer, and does not drag the body away.
    phone.locator("#quiz-next").tap()
    wait_question(phone, "Find GB30", "back")
    box = phone.locator("#quiz-graph").bounding_box()
    anchor = screen(phone, 200.0, 400.0)
    cdp = phone.context.new_cdp_session(phone)
    sx, sy = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": sx, "y": sy}]})
    for step in range(1, 9):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": sx, "y": sy - 20 * step}]})
        phone.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    phone.wait_for_timeout(800)
    assert quiz_state(phone)["tries"][1] == []
    moved = screen(phone, 200.0, 400.0)
    assert moved[0] == pytest.approx(anchor[0], abs=1) and moved[1] - anchor[1] == pytest.approx(
        phone.evaluate("() => -window.scrollY"), abs=1)  # only as far as the page scrolled, if at all
    # The question stays in sight above the figure.
    question = phone.locator("#quiz-question").bounding_box()
    assert 0 <= question["y"] < 200


AXE_STATES = {
    "quiz, find": (QUIZ, "answer"),
    "quiz, name": (QUIZ + "&ask=name", None),
    "quiz summary": ("?mode=quiz&points=BL40&view=back", "finish"),
    "lesson link": ("lesson", None),
    "lesson file with problems": ("", "bad file"),
}


@pytest.mark.parametrize("state", AXE_STATES)
def test_no_accessibility_violation(page, server, atlas, lesson, state):
    search, action = AXE_STATES[state]
    page.goto(lesson_url(lesson, server) if search == "lesson" else server + search)
    if "mode=quiz" in search:
        wait_question(page, "Find" if "ask=name" not in search else "Which", "back")
        if action in ("answer", "finish"):
            target = right_side(atlas, "BL40", "back")
            page.mouse.click(*screen(page, target.x, target.y))
            feedback(page, "Correct")
        if action == "finish":
            page.locator("#quiz-next").click()
            page.locator("#quiz-summary h3").wait_for()
    else:
        page.locator("#results-list li:not([hidden])").first.wait_for()
        page.locator("#results-count").get_by_text("match").wait_for()
        if action == "bad file":
            page.locator("#lesson-upload input[type=file]").set_input_files(str(LESSONS / "unknown-code.toml"))
            page.locator("#lesson-problems li").first.wait_for()
        else:
            page.locator("#lesson-points li").first.wait_for()
    assert axe_violations(page) == []


def test_no_accessibility_violation_in_the_phone_quiz(phone, server, atlas):
    phone.goto(server + QUIZ)
    wait_question(phone, "Find BL40", "back")
    target = right_side(atlas, "BL40", "back")
    phone.touchscreen.tap(*screen(phone, target.x, target.y))
    feedback(phone, "Correct")
    assert axe_violations(phone) == []


def test_question_and_feedback_are_announced(page, server):
    page.goto(server + QUIZ)
    wait_question(page, "Find BL40", "back")
    assert page.locator("#quiz-question").get_attribute("aria-live") == "polite"
    assert page.locator("#quiz-feedback").get_attribute("aria-live") == "polite"
    assert page.locator("#lesson-status").get_attribute("role") == "status"
    assert page.get_by_label("Correct within").is_visible()
    assert page.get_by_text("Point positions are illustrative, not anatomical.").first.is_visible()
