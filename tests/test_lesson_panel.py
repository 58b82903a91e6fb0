"""The lesson panel's pure functions, and lessons in the page's link."""

import base64
import urllib.parse

import pytest

from bodymap.app import lesson_panel
from bodymap.app.ids import ID, LESSON_ADD, LESSON_DOWN, LESSON_NOTE, LESSON_REMOVE, LESSON_UP
from bodymap.app.state import (UNTITLED, lesson_data, lesson_from_data, parse_query, state_from_controls, to_query)
from bodymap.lesson import (MAX_BYTES, MAX_NOTE, MAX_POINTS, Lesson, LessonError, LessonPoint, decode_lesson,
                            encode_lesson, lesson_url, load_lesson, parse_lesson)
from test_lesson import BAD, LESSONS


def built(atlas, *codes, views=()):
    data = {"title": "Week 3", "intro": "", "views": list(views), "frame": "", "points": []}
    for code in codes:
        data, _ = lesson_panel.add_point(atlas, data, code)
    return data


def codes(data):
    return [p[0] for p in data["points"]]


# --- pure updates ------------------------------------------------------------------------------------

def test_add_appends_in_teaching_order_and_says_so(atlas):
    data, message = lesson_panel.add_point(atlas, None, "BL23")
    assert codes(data) == ["BL23"] and message == "BL23 added as point 1."
    data, message = lesson_panel.add_point(atlas, data, "BL40")
    assert codes(data) == ["BL23", "BL40"] and message == "BL40 added as point 2."


def test_add_refuses_a_repeat_nothing_chosen_and_a_full_lesson(atlas):
    data = built(atlas, "BL23", "BL40")
    again, message = lesson_panel.add_point(atlas, data, "BL23")
    assert again == data and message == "BL23 is already point 1 of the lesson."
    same, message = lesson_panel.add_point(atlas, data, None)
    assert same == data and "Choose a point first" in message
    same, message = lesson_panel.add_point(atlas, data, "<b>XX</b>")
    assert same == data and "Choose a point first" in message
    full = {**data, "points": [[c, ""] for c in sorted(atlas.points)[:MAX_POINTS]]}
    same, message = lesson_panel.add_point(atlas, full, "ST36")
    assert same == full and f"at most {MAX_POINTS} points" in message


def test_add_to_a_lesson_with_views_adds_the_view_the_point_is_drawn_on(atlas):
    data = built(atlas, "BL23", views=["back"])
    data, message = lesson_panel.add_point(atlas, data, "LU9", shown_views=["back", "hand"])  # LU9: front, hand
    assert data["views"] == ["back", "hand"]
    assert "The Hand view was added" in message
    data, message = lesson_panel.add_point(atlas, data, "HT7", shown_views=["back"])
    assert data["views"] == ["back", "hand"] and "view" not in message  # already on one of its views
    lesson = lesson_from_data(atlas, data)
    assert parse_lesson(atlas, lesson_panel.lesson_toml(lesson)) == lesson  # still a valid lesson file


def test_move_up_and_down_within_the_list(atlas):
    data = built(atlas, "BL23", "BL40", "BL60")
    assert codes(lesson_panel.move_point(data, 1, -1)) == ["BL40", "BL23", "BL60"]
    assert codes(lesson_panel.move_point(data, 1, 1)) == ["BL23", "BL60", "BL40"]
    assert codes(lesson_panel.move_point(data, 0, -1)) == ["BL23", "BL40", "BL60"]  # first stays first
    assert codes(lesson_panel.move_point(data, 2, 1)) == ["BL23", "BL40", "BL60"]
    assert codes(lesson_panel.move_point(data, 7, 1)) == codes(data)
    assert codes(lesson_panel.move_point(data, "1", 1)) == codes(data)
    assert codes(data) == ["BL23", "BL40", "BL60"]  # the store's data is never changed in place


def test_remove_and_note(atlas):
    data = built(atlas, "BL23", "BL40", "BL60")
    assert codes(lesson_panel.remove_point(data, 1)) == ["BL23", "BL60"]
    assert codes(lesson_panel.remove_point(data, 5)) == codes(data)
    noted = lesson_panel.set_note(data, 2, "  On the ankle,\r\nbehind the bone.  ")
    assert noted["points"][2] == ["BL60", "On the ankle,\nbehind the bone."]
    assert len(lesson_panel.set_note(data, 0, "x" * 1000)["points"][0][1]) == MAX_NOTE
    assert lesson_panel.set_note(data, 0, None)["points"][0] == ["BL23", ""]
    assert lesson_panel.set_title(data, "  Week\n 4 ")["title"] == "Week 4"


def test_each_change_says_what_happened(atlas):
    data = built(atlas, "BL23", "BL40", "BL60")
    moved, message = lesson_panel.change(atlas, data, LESSON_UP, 2)
    assert codes(moved) == ["BL23", "BL60", "BL40"] and message == "BL60 is now point 2."
    moved, message = lesson_panel.change(atlas, data, LESSON_DOWN, 0)
    assert codes(moved) == ["BL40", "BL23", "BL60"] and message == "BL23 is now point 2."
    removed, message = lesson_panel.change(atlas, data, LESSON_REMOVE, 0)
    assert codes(removed) == ["BL40", "BL60"] and message == "BL23 was removed from the lesson."
    noted, message = lesson_panel.change(atlas, data, LESSON_NOTE, 1, "Behind the knee.")
    assert noted["points"][1][1] == "Behind the knee." and message == ""
    added, message = lesson_panel.change(atlas, data, LESSON_ADD, selected="GB30")
    assert codes(added)[-1] == "GB30" and "GB30 added" in message
    titled, _ = lesson_panel.change(atlas, data, ID.LESSON_TITLE, value="Week 4")
    assert titled["title"] == "Week 4"


def test_no_lesson_and_an_empty_one_are_the_same(atlas):
    # The page's first title and intro ("") change nothing, so they cannot undo an upload in flight.
    assert lesson_panel.same(atlas, None, lesson_panel.set_title(None, ""))
    assert lesson_panel.same(atlas, None, lesson_panel.change(atlas, None, ID.LESSON_INTRO, value="")[0])
    assert not lesson_panel.same(atlas, None, lesson_panel.set_title(None, "Week 3"))
    assert not lesson_panel.same(atlas, built(atlas, "BL23"), built(atlas, "BL23", "BL40"))


# --- files -------------------------------------------------------------------------------------------

def as_upload(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode("ascii")


def test_download_round_trips_through_parse_lesson(atlas):
    data = built(atlas, "BL23", "GV4", "BL40", views=["back"])
    data = lesson_panel.set_note(data, 0, 'Say "both sides" — 两侧.')
    data = lesson_panel.set_title(data, "Week 3: the low back")
    lesson = lesson_from_data(atlas, data)
    href = lesson_panel.toml_href(lesson)
    assert href.startswith("data:application/toml;charset=utf-8,")
    text = urllib.parse.unquote(href.split(",", 1)[1])
    assert parse_lesson(atlas, text) == lesson
    assert lesson_panel.download_name(lesson) == "week-3-the-low-back.toml"


def test_an_untitled_lesson_still_downloads_a_valid_file(atlas):
    lesson = lesson_from_data(atlas, {"points": [["LI4", ""]]})
    assert lesson.title == UNTITLED
    text = urllib.parse.unquote(lesson_panel.toml_href(lesson).split(",", 1)[1])
    assert parse_lesson(atlas, text).title == UNTITLED


def test_opening_a_good_file_gives_its_lesson(atlas):
    raw = (LESSONS / "good.toml").read_bytes()
    data, problems = lesson_panel.open_file(atlas, as_upload(raw), "good.toml")
    assert problems == []
    assert lesson_from_data(atlas, data) == load_lesson(atlas, LESSONS / "good.toml")


@pytest.mark.parametrize("name", [b[0] for b in BAD])
def test_opening_a_bad_file_shows_the_command_lines_messages(atlas, name):
    raw = (LESSONS / name).read_bytes()
    data, problems = lesson_panel.open_file(atlas, as_upload(raw), name)
    assert data is None
    with pytest.raises(LessonError) as error:
        parse_lesson(atlas, raw, name)
    assert problems == error.value.problems
    assert problems[0].startswith(f"{name}:")


def test_opening_junk_is_a_plain_problem(atlas):
    assert lesson_panel.open_file(atlas, "not a data url", "a.toml")[1] == [
        "a.toml:1: file: could not be read; choose the lesson's .toml file again"]
    assert "could not be read" in lesson_panel.open_file(atlas, "data:x;base64,@@@", "a.toml")[1][0]
    assert "not UTF-8" in lesson_panel.open_file(atlas, as_upload("title = 'é'".encode("latin-1")), "a.toml")[1][0]
    # A browser may send a path; only the file's name is shown.
    assert lesson_panel.open_file(atlas, None, "C:\\Users\\me\\week.toml")[1][0].startswith("week.toml:1:")
    big = as_upload(b"#" * (MAX_BYTES + 10))
    assert "a lesson may be at most 65,536 bytes" in lesson_panel.open_file(atlas, big, "big.toml")[1][0]
    assert lesson_panel.refused_file({"name": "huge.toml", "size": 9_000_000}) == [
        "huge.toml:1: file: is 9,000,000 bytes; a lesson may be at most 65,536 bytes (64 KiB): split it into "
        "smaller lessons"]


def test_problems_are_listed_one_a_line(atlas):
    shown = lesson_panel.problems_list(["a.toml:2: views: x", "a.toml:7: code: y"])
    assert "The lesson file was not opened" in str(shown[0])
    assert [item.children.children for item in shown[1].children] == ["a.toml:2: views: x", "a.toml:7: code: y"]


# --- links -------------------------------------------------------------------------------------------

def test_links_are_lesson_urls_on_the_pages_own_address(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    base = lesson_panel.page_base("https://school.example/bodymap/?view=back&lesson=1xyz#top")
    assert base == "https://school.example/bodymap/"
    link, quiz_link, problem = lesson_panel.links(lesson, base)
    assert (link, quiz_link, problem) == (lesson_url(lesson, base), lesson_url(lesson, base, "quiz"), "")
    assert lesson_panel.page_base("javascript:alert(1)") == "/"


def test_a_lesson_too_long_for_a_link_says_why_and_has_none(atlas):
    chosen = sorted(atlas.points)[:MAX_POINTS]
    notes = ["".join(chr(0x4E00 + (i * 131 + k * 17) % 20000) for k in range(MAX_NOTE)) for i in range(len(chosen))]
    lesson = Lesson("Long", tuple(LessonPoint(c, n) for c, n in zip(chosen, notes)))
    link, quiz_link, problem = lesson_panel.links(lesson, "http://x/")
    assert link == quiz_link == "" and "shorten the notes or the intro, or split the lesson" in problem
    parts = lesson_panel.render(atlas, lesson_data(lesson), "http://x/")
    assert parts[5] is True and "shorten the notes" in parts[1]  # share hidden, the reason shown
    assert "Take the quiz" not in str(parts[10]) and parts[11] is False  # the banner, without a quiz link
    assert to_query(atlas, state_from_controls(atlas, ["back"], [], list(atlas.meridians), "", None, 0, 0,
                                               lesson_data(lesson), True)) == "?view=back"


def test_the_panel_lists_each_point_with_named_controls(atlas):
    data = built(atlas, "BL23", "LI4")
    items = lesson_panel.render_points(atlas, data)
    text = str(items)
    for label in ("Move BL23 up", "Move BL23 down", "Remove BL23 from the lesson", "Note for BL23", "Move LI4 up"):
        assert label in text
    assert "pregnancy" in text  # LI4's caution shows with it
    first_up = items[0].children[0].children[-3]
    assert first_up.disabled is True and items[1].children[0].children[-2].disabled is True


# --- the lesson in the page's link --------------------------------------------------------------------

def test_a_lesson_link_opens_the_lesson_on_its_views_showing_only_its_points(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    state = parse_query(atlas, f"?lesson={encode_lesson(lesson)}")
    assert state.lesson == lesson and state.views == lesson.views and state.lesson_only
    assert state.notes == ()
    again = parse_query(atlas, to_query(atlas, state))
    assert again == state


def test_a_lesson_without_views_shows_views_that_hold_its_points(atlas):
    lesson = Lesson("Hands and legs", (LessonPoint("LI4"), LessonPoint("ST36")))
    state = parse_query(atlas, f"?lesson={encode_lesson(lesson)}")
    shown = {p.view for code in lesson.codes for p in atlas.points[code].placements} & set(state.views)
    assert shown and all(any(p.view in state.views for p in atlas.points[c].placements) for c in lesson.codes)


def test_show_all_and_other_filters_round_trip_with_a_lesson(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    search = f"?view=back&condition=sciatica&lesson={encode_lesson(lesson)}&show=all"
    state = parse_query(atlas, search)
    assert state.show_all and not state.lesson_only and state.conditions == ("sciatica",)
    assert parse_query(atlas, to_query(atlas, state)) == state


def test_a_bad_token_is_a_note_with_the_lessons_own_message(atlas):
    state = parse_query(atlas, "?lesson=1abcde&view=back")
    assert state.lesson is None and state.views == ("back",)
    note, = state.notes
    assert note.startswith("the lesson in the link could not be opened: link: lesson: is damaged")
    assert "ask for a fresh link" in note


def test_a_long_lesson_link_is_not_refused_as_too_long(atlas):
    chosen = sorted(atlas.points)[:MAX_POINTS]
    lesson = Lesson("Many", tuple(LessonPoint(c, f"note {i} " * 2 + "end") for i, c in enumerate(chosen)))
    token = encode_lesson(lesson)
    state = parse_query(atlas, f"?view=back&condition=sciatica&lesson={token}")
    assert state.lesson == lesson and state.notes == ()


def test_the_store_data_is_checked_like_a_lesson_file(atlas):
    data = {"title": "  Week\x07 5 ", "intro": 3, "views": ["back", "ceiling", "back"], "frame": "zoom",
            "points": [["BL23", "a\x00b"], ["XX1", ""], ["BL23", "again"], "junk", [5], ["LU9"]]}
    lesson = lesson_from_data(atlas, data)
    assert lesson.title == "Week 5" and lesson.intro == "" and lesson.frame == ""
    assert lesson.codes == ("BL23", "LU9") and lesson.points[0].note == "ab"
    assert lesson.views == ("back", "front")  # LU9 is not on the back: a view of its joins, as a file needs
    assert decode_lesson(atlas, encode_lesson(lesson)) == lesson
    assert lesson_from_data(atlas, "junk") is None and lesson_from_data(atlas, {"points": 7}).points == ()


# --- the handout of a lesson shown alone -------------------------------------------------------------

def test_an_export_link_with_a_lesson_prints_the_lessons_handout(atlas):
    from bodymap.app import create_app
    from bodymap.app.state import lesson_export

    lesson = load_lesson(atlas, LESSONS / "good.toml")
    token = encode_lesson(lesson)
    assert lesson_export(atlas, "?view=back&condition=sciatica") is None
    chosen, options = lesson_export(atlas, f"?lesson={token}&paper=letter&format=svg&table=0")
    assert chosen == lesson and options == {"paper": "letter", "format": "svg", "table": False, "landscape": False,
                                            "frame": "", "lang": ""}
    assert lesson_export(atlas, f"?lesson={token}&title=Tuesday")[0].title == "Tuesday"
    client = create_app(atlas).server.test_client()
    response = client.get(f"/_bodymap/export?lesson={token}&format=svg")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="week-3-the-low-back.svg"'
    svg = response.get_data(as_text=True)
    assert "Press both sides at once" in svg and "illustrative, not anatomical" in svg  # the notes print
    from bodymap.handout.lesson import render_lesson

    assert svg == render_lesson(atlas, lesson, format="svg").decode()  # as `bodymap export --spec` makes it
    bad = client.get("/_bodymap/export?lesson=1abcde&format=svg")
    assert bad.status_code == 400 and b"link: lesson: is damaged" in bad.data and b"Traceback" not in bad.data
    odd = client.get(f"/_bodymap/export?lesson={token}&condition=sciatica")
    assert odd.status_code == 400 and b"unknown export setting 'condition'" in odd.data
