"""Lessons: the checker, one fixture per kind of bad file; TOML and link round trips; cun distances."""

import base64
import dataclasses
import json
import math
import urllib.parse
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bodymap.lesson import (MAX_BYTES, MAX_NOTE, MAX_POINTS, MAX_TOKEN, Lesson, LessonError, LessonPoint,
                            cun_distance, decode_lesson, encode_lesson, lesson_toml, lesson_url, load_lesson,
                            parse_lesson)
from bodymap.model import Landmark
from bodymap.problems import display_path

LESSONS = Path(__file__).resolve().parent / "lessons"


def problems_of(atlas, path) -> list[str]:
    with pytest.raises(LessonError) as error:
        load_lesson(atlas, path)
    assert str(error.value) == "\n".join(error.value.problems)
    return error.value.problems


def test_good_lesson_reads_every_code_form_in_teaching_order(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    assert lesson.title == "Week 3: the low back"
    assert lesson.codes == ("BL23", "BL52", "GV4", "GB30", "BL40", "BL60")
    assert lesson.points[0] == LessonPoint("BL23", "Press both sides at once with the thumbs.")
    assert lesson.points[1].note == ""
    assert lesson.views == ("back", "side") and lesson.frame == "points"
    assert lesson.intro.startswith("Six points")


# fixture, line, field, what the message must say
BAD = [
    ("unknown-code.toml", 7, "code", "'XX99' is not a point bodymap knows"),
    ("ambiguous-code.toml", 4, "code", "'B54' is ambiguous"),
    ("unknown-view.toml", 2, "views", "unknown view 'ceiling'"),
    ("bad-toml.toml", 4, "TOML", "fix the TOML syntax"),
    ("missing-title.toml", 1, "title", "is missing; add title ="),
    ("no-points.toml", 1, "point", "the lesson has no points"),
    ("duplicate-point.toml", 10, "code", "'UB-23' is BL23, already point 1"),
    ("unknown-key.toml", 2, "colour", "unknown key 'colour'"),
    ("unknown-point-key.toml", 5, "depth", "unknown key 'depth' in point 1"),
    ("points-list.toml", 2, "points", "write each point as a [[point]] table"),
    ("single-table.toml", 3, "point", "two brackets"),
    ("wrong-type-title.toml", 1, "title", "give a string"),
    ("wrong-type-views.toml", 2, "views", "give a list of view ids"),
    ("wrong-type-code.toml", 4, "code", "give the code as a string"),
    ("wrong-type-note.toml", 5, "note", "give a string"),
    ("missing-code.toml", 3, "code", "point 1 has no code"),
    ("bad-frame.toml", 2, "frame", "'zoom' is not one of: points, body"),
    ("not-on-views.toml", 8, "code", "BL23 is not drawn on hand; add one of its views (back)"),
    ("control-character.toml", 5, "note", "control character U+0007"),
    ("long-note.toml", 5, "note", f"shorten it to at most {MAX_NOTE}"),
]


@pytest.mark.parametrize("name, line, field, message", BAD, ids=[b[0] for b in BAD])
def test_each_kind_of_bad_lesson_names_file_line_and_field(atlas, name, line, field, message):
    problems = problems_of(atlas, LESSONS / name)
    assert len(problems) == 1, problems
    path = display_path(LESSONS / name)
    assert problems[0].startswith(f"{path}:{line}: {field}: ") and message in problems[0], problems[0]


def test_every_fixture_is_covered():
    assert {p.name for p in LESSONS.glob("*.toml")} == {b[0] for b in BAD} | {"good.toml"}


def test_ambiguous_code_lists_every_reading(atlas):
    problem, = problems_of(atlas, LESSONS / "ambiguous-code.toml")
    assert "BL54 Zhi Bian" in problem and "BL40 Wei Zhong" in problem
    assert "older bladder numbering" in problem and "(BL54 or BL40)" in problem


def test_every_problem_at_once(atlas):
    text = ('title = ""\nviews = ["back", "ceiling"]\n\n[[point]]\ncode = "XX1"\n\n[[point]]\ncode = "B54"\n'
            'note = 5\n')
    with pytest.raises(LessonError) as error:
        parse_lesson(atlas, text, "week.toml")
    assert [p.split(": ")[0:2] for p in error.value.problems] == [
        ["week.toml:1", "title"], ["week.toml:2", "views"], ["week.toml:5", "code"], ["week.toml:8", "code"],
        ["week.toml:9", "note"]]


def test_file_errors_name_the_file(atlas, tmp_path):
    problem, = problems_of(atlas, tmp_path / "missing.toml")
    assert problem.endswith("missing.toml:1: file: does not exist; check the name and folder")
    problem, = problems_of(atlas, tmp_path)
    assert "is a folder" in problem
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('title = "Rücken"\n'.encode("latin-1"))
    problem, = problems_of(atlas, latin1)
    assert "latin1.toml:1: file: is not UTF-8 text" in problem
    huge = tmp_path / "huge.toml"
    huge.write_text('title = "Huge"\n' + "# padding\n" * (MAX_BYTES // 10), encoding="utf-8")
    problem, = problems_of(atlas, huge)
    assert "huge.toml:1: file:" in problem and "at most 65,536 bytes" in problem
    with pytest.raises(LessonError, match="at most 65,536 bytes"):
        parse_lesson(atlas, huge.read_text(encoding="utf-8"))


def test_too_many_points(atlas):
    codes = [c for c in atlas.points if c.startswith("BL")][: MAX_POINTS + 1]
    text = 'title = "Every bladder point"\n' + "".join(f'\n[[point]]\ncode = "{c}"\n' for c in codes)
    with pytest.raises(LessonError) as error:
        parse_lesson(atlas, text, "all.toml")
    problem, = error.value.problems
    assert problem.startswith(f"all.toml:{2 + 3 * MAX_POINTS + 1}: point: a lesson holds at most {MAX_POINTS}")
    assert len(parse_lesson(atlas, text.rsplit("\n[[point]]", 1)[0]).points) == MAX_POINTS


def test_bom_and_crlf_are_read(atlas):
    text = '\ufefftitle = "Windows"\r\n\r\n[[point]]\r\ncode = "LI4"\r\nnote = """two\r\nlines"""\r\n'
    lesson = parse_lesson(atlas, text)
    assert lesson.codes == ("LI4",) and lesson.points[0].note == "two\nlines"


def test_toml_round_trip(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    text = lesson_toml(lesson)
    assert text.count("[[point]]") == len(lesson.points)
    assert parse_lesson(atlas, text) == lesson


# --- links ------------------------------------------------------------------------------------------

printable = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
                    max_size=40).map(str.strip)


@st.composite
def lessons(draw, atlas):
    codes = draw(st.lists(st.sampled_from(sorted(atlas.points)), min_size=1, max_size=12, unique=True))
    notes = draw(st.lists(printable, min_size=len(codes), max_size=len(codes)))
    title = draw(printable.filter(bool))
    return Lesson(title=title[:120], points=tuple(LessonPoint(c, n) for c, n in zip(codes, notes)),
                  intro=draw(printable), frame=draw(st.sampled_from(["", "points", "body"])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_link_and_toml_round_trip_any_lesson(atlas, data):
    lesson = data.draw(lessons(atlas))
    token = encode_lesson(lesson)
    assert len(token) <= MAX_TOKEN
    assert all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in token)
    assert decode_lesson(atlas, token) == lesson
    assert parse_lesson(atlas, lesson_toml(lesson)) == lesson


def test_lesson_url_carries_the_lesson_and_the_mode(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    url = lesson_url(lesson, "https://school.example/bodymap/?view=back", mode="quiz")
    parts = urllib.parse.urlsplit(url)
    assert parts.path == "/bodymap/"
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert query["mode"] == "quiz" and query["view"] == "back"
    assert decode_lesson(atlas, query["lesson"]) == lesson
    plain = lesson_url(lesson)
    assert plain.startswith("http://127.0.0.1:8050/?lesson=") and "mode" not in plain
    with pytest.raises(ValueError):
        lesson_url(lesson, mode="exam")


def test_a_lesson_too_long_for_a_link_says_what_to_do(atlas):
    codes = sorted(atlas.points)[:MAX_POINTS]
    notes = ["".join(chr(0x4E00 + (i * 131 + k * 17) % 20000) for k in range(MAX_NOTE)) for i in range(len(codes))]
    lesson = Lesson("Long", tuple(LessonPoint(c, n) for c, n in zip(codes, notes)))
    with pytest.raises(LessonError, match="shorten the notes or the intro, or split the lesson"):
        encode_lesson(lesson)


def _token(payload) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    packed = packer.compress(raw) + packer.flush()
    return "1" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


@pytest.mark.parametrize("token, message", [
    ("", "is not a bodymap lesson link"),
    ("2abc", "is not a bodymap lesson link"),
    ("1abc!", "is not a bodymap lesson link"),
    ("1" + "A" * 5000, "longer than a lesson link can be"),
    ("1abcde", "is damaged"),
    (_token(b"not json"), "is damaged"),
    (_token([1, 2]), "holds no lesson"),
    (_token({"t": "x", "p": "BL23"}), "holds no list of points"),
    (_token({"t": "x", "p": [["BL23"]], "z": 1}), "unknown fields"),
    (_token(b" " * 1_000_000), "unpacks to more than a lesson can hold"),
])
def test_junk_tokens_are_refused_plainly(atlas, token, message):
    with pytest.raises(LessonError, match=message):
        decode_lesson(atlas, token)


def test_a_cut_or_changed_token_is_refused_or_still_checked(atlas):
    token = encode_lesson(load_lesson(atlas, LESSONS / "good.toml"))
    with pytest.raises(LessonError, match="cut short|damaged"):
        decode_lesson(atlas, token[: len(token) // 2])
    for k in range(1, len(token), 7):  # any single changed character: refused, or a lesson that passes the checks
        changed = token[:k] + ("A" if token[k] != "A" else "B") + token[k + 1:]
        try:
            assert decode_lesson(atlas, changed).points
        except LessonError as error:
            assert all(p.startswith("link") for p in error.problems)


def test_decoding_checks_the_lesson_like_a_file(atlas):
    with pytest.raises(LessonError) as error:
        decode_lesson(atlas, _token({"t": "", "p": [["B54"], ["XX9", "a"]], "v": ["ceiling"]}))
    problems = error.value.problems
    assert problems[0].startswith("link: title: is empty")
    assert any(p.startswith("link: views: unknown view 'ceiling'") for p in problems)
    assert any(p.startswith("link: point 1: code: 'B54' is ambiguous") for p in problems)
    assert any(p.startswith("link: point 2: code: 'XX9' is not a point") for p in problems)


# --- cun distances ----------------------------------------------------------------------------------

def test_cun_distance_on_the_front_uses_the_who_eight_cun_span(atlas):
    front = atlas.landmarks["front"]
    span = front["navel"].y - front["xiphisternal-junction"].y
    cun = span / 8  # WHO 2008: 8 cun from the xiphisternal junction to the navel
    cv12 = next(p for p in atlas.points["CV12"].placements if p.view == "front")
    assert cv12.anchor.landmark == "navel" and front["navel"].cun == pytest.approx(cun, rel=0.02)
    assert cun_distance(atlas, "front", "CV12", cv12.x, cv12.y) == 0.0
    assert cun_distance(atlas, "front", "CV12", cv12.x, cv12.y + cun) == pytest.approx(1.0, abs=0.02)
    assert cun_distance(atlas, "front", "CV12", cv12.x + 3 * cun, cv12.y + 4 * cun) == pytest.approx(5.0, abs=0.1)
    # CV8 at the navel is 4 cun below CV12 by the same span
    navel = front["navel"]
    assert cun_distance(atlas, "front", "CV12", navel.x, navel.y) == pytest.approx(4.0, abs=0.05)


def test_cun_distance_takes_the_nearest_placement(atlas):
    left, right = sorted((p for p in atlas.points["BL23"].placements if p.view == "back"), key=lambda p: p.x)
    assert cun_distance(atlas, "back", "BL23", right.x, right.y) == 0.0
    assert cun_distance(atlas, "back", "UB23", left.x, left.y) == 0.0
    middle = (left.x + right.x) / 2
    assert cun_distance(atlas, "back", "BL23", middle, left.y) == pytest.approx(
        (right.x - left.x) / 2 / atlas.landmarks["back"][left.anchor.landmark].cun)


def test_cun_distance_of_an_unanchored_placement_uses_the_nearest_landmark(atlas):
    point = atlas.points["CV12"]
    placement = next(p for p in point.placements if p.view == "front")
    loose = dataclasses.replace(placement, anchor=None)
    probe = Landmark("front", "probe", placement.x + 1, placement.y, 20.0, "a test landmark beside CV12")
    changed = dataclasses.replace(
        atlas, points={**atlas.points, "CV12": dataclasses.replace(point, placements=(loose,))},
        landmarks={**atlas.landmarks, "front": {**atlas.landmarks["front"], "probe": probe}})
    assert cun_distance(changed, "front", "CV12", placement.x, placement.y + 20) == pytest.approx(1.0)


@pytest.mark.parametrize("view, code, x, message", [
    ("front", "BL23", 0, "not drawn on the front view"),
    ("ceiling", "BL23", 0, "unknown view"),
    ("back", "XX99", 0, "unknown point"),
    ("back", "BL23", math.nan, "not a position"),
])
def test_cun_distance_refuses_what_it_cannot_score(atlas, view, code, x, message):
    with pytest.raises(ValueError, match=message):
        cun_distance(atlas, view, code, x, 100.0)
