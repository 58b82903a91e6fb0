"""A lesson's handout and quiz read back, and the lesson commands' exit codes."""

import io
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from bodymap.cli import main
from bodymap.codes import name_key
from bodymap.handout import ExportError
from bodymap.handout.files import write_all_atomically
from bodymap.handout.lesson import render_lesson, render_quiz
from bodymap.lesson import Lesson, LessonPoint, decode_lesson, load_lesson

LESSONS = Path(__file__).resolve().parent / "lessons"
# Not the channels' order, so the handout's order can only come from the lesson.
ORDERED = Lesson("Out of order", (LessonPoint("BL60", "Last on the channel, first here."), LessonPoint("GB30"),
                                  LessonPoint("BL23", "Thumbs on both sides."), LessonPoint("GV4")),
                 intro="Four points read from the ankle up.")


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def names(atlas, code) -> list[str]:
    point = atlas.points[code]
    return [point.code, point.pinyin, point.english, point.hanzi] + [a.code for a in point.aliases]


def test_lesson_handout_lists_points_in_lesson_order_with_notes(atlas):
    text, = pages_text(render_lesson(atlas, ORDERED, format="pdf", date="2026-03-04"))
    flat = " ".join(text.split())
    positions = [flat.index(f"{code} {atlas.points[code].pinyin}") for code in ORDERED.codes]
    assert positions == sorted(positions)
    assert "Last on the channel, first here." in flat and "Thumbs on both sides." in flat
    assert "Note" in flat and "Four points read from the ankle up." in flat
    assert flat.startswith("Out of order")


def test_a_handout_without_notes_has_no_note_column(atlas):
    plain = Lesson("Plain", (LessonPoint("BL23"), LessonPoint("GV4")))
    root = ET.fromstring(render_lesson(atlas, plain, format="svg"))
    headings = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Cautions" in headings and "Note" not in headings


def test_lesson_views_that_are_not_given_cover_every_point(atlas):
    mixed = Lesson("Hand and back", (LessonPoint("BL23"), LessonPoint("LI4")))
    root = ET.fromstring(render_lesson(atlas, mixed, format="svg"))
    drawn = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert {"BL23", "LI4"} <= drawn


def test_quiz_page_one_names_no_answer_and_the_key_names_all(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    data, = render_quiz(atlas, lesson, format="pdf", date="2026-03-04")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    one, two = (page.extract_text() for page in reader.pages)
    one_key, two_key = name_key(one), name_key(two)
    metadata = name_key(" ".join(str(v) for v in (reader.metadata or {}).values()))
    for code in lesson.codes:
        for term in names(atlas, code):
            assert name_key(term) not in one_key, (code, term)
            assert name_key(term) not in metadata, (code, term)
        point = atlas.points[code]
        for term in (point.code, point.pinyin, point.english):
            assert name_key(term) in two_key, (code, term)
    for number in range(1, len(lesson.points) + 1):
        assert str(number) in one.split()
    assert "Answer key" in two and "Name" in one and "How to find it" in one


def test_quiz_svg_page_one_has_no_answer_in_any_text_or_title(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    quiz, key = render_quiz(atlas, lesson, format="svg")
    source = name_key(quiz.decode("utf-8"))
    for code in lesson.codes:
        for term in names(atlas, code):
            assert name_key(term) not in source, (code, term)
    root = ET.fromstring(key)
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert set(lesson.codes) <= titles
    assert atlas.points["BL40"].hanzi in key.decode("utf-8")


def test_a_title_that_gives_an_answer_away_is_not_on_the_quiz(atlas):
    telling = Lesson("BL23 and its neighbours", (LessonPoint("BL23"), LessonPoint("BL52")))
    quiz, key = render_quiz(atlas, telling, format="svg")
    assert b"BL23" not in quiz and b"Quiz: 2 points" in quiz
    assert b"Answer key: BL23 and its neighbours" in key


def test_quiz_with_a_point_off_the_views_is_refused(atlas):
    lesson = Lesson("Off the views", (LessonPoint("BL23"), LessonPoint("KI1")), views=("back",))
    with pytest.raises(ExportError, match="KI1 is not drawn on back"):
        render_quiz(atlas, lesson, format="svg")


def test_many_points_fit_the_answer_table(atlas):
    codes = [c for c, p in atlas.points.items() if any(pl.view == "back" for pl in p.placements)][:40]
    lesson = Lesson("Forty", tuple(LessonPoint(c) for c in codes), views=("back",))
    one = pages_text(render_quiz(atlas, lesson, format="pdf")[0])[0]
    assert all(str(n) in one.split() for n in range(1, 41))


# --- the command line -------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_lesson_check_ok_and_bad(capsys):
    code, out, err = run(capsys, "lesson", "check", LESSONS / "good.toml")
    assert code == 0 and err == ""
    assert out == "ok: 'Week 3: the low back': 6 points (BL23 BL52 GV4 GB30 BL40 BL60); views: back, side\n"
    code, out, err = run(capsys, "lesson", "check", LESSONS / "ambiguous-code.toml")
    assert code == 2 and out == ""
    assert "ambiguous-code.toml:4: code: 'B54' is ambiguous" in err and "Traceback" not in err
    assert err.strip().endswith("ambiguous-code.toml'")
    code, _, err = run(capsys, "lesson", "check", LESSONS / "nothing-here.toml")
    assert code == 2 and "nothing-here.toml:1: file: does not exist" in err


def test_lesson_link_prints_a_url_that_opens_the_lesson(capsys, atlas):
    code, out, _ = run(capsys, "lesson", "link", LESSONS / "good.toml", "--base", "https://class.example/", "--quiz")
    assert code == 0
    url = out.strip()
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert url.startswith("https://class.example/?lesson=") and query["mode"] == "quiz"
    assert decode_lesson(atlas, query["lesson"]) == load_lesson(atlas, LESSONS / "good.toml")
    code, _, err = run(capsys, "lesson", "link", LESSONS / "good.toml", "--base", "class.example")
    assert code == 2 and "give the app's address" in err


def test_lesson_check_warns_when_too_long_for_a_link(capsys, tmp_path, atlas):
    codes = [c for c in atlas.points if c.startswith("BL")][:60]
    note = "".join(chr(0x4E00 + k * 37 % 20000) for k in range(250))
    path = tmp_path / "long.toml"
    path.write_text('title = "Long"\n' + "".join(f'\n[[point]]\ncode = "{c}"\nnote = "{note[i:] + note[:i]}"\n'
                                                  for i, c in enumerate(codes)), encoding="utf-8")
    code, out, err = run(capsys, "lesson", "check", path)
    assert code == 0 and out.startswith("ok: 'Long': 60 points")
    assert "shorten the notes" in err
    code, out, err = run(capsys, "lesson", "link", path)
    assert code == 2 and out == "" and "shorten the notes" in err


def test_export_spec_with_a_lesson_writes_its_handout(capsys, tmp_path):
    output = tmp_path / "week3.pdf"
    before = (LESSONS / "good.toml").read_bytes()
    code, _, err = run(capsys, "export", "--spec", LESSONS / "good.toml", "--output", output)
    assert code == 0, err
    text = " ".join(pages_text(output.read_bytes())[0].split())
    assert "Week 3: the low back" in text and "Press both sides at once with the thumbs." in text
    assert text.index("BL23 Shen Shu") < text.index("GV4 Ming Men") < text.index("BL40 Wei Zhong")
    assert (LESSONS / "good.toml").read_bytes() == before
    code, _, err = run(capsys, "export", "--spec", LESSONS / "good.toml")
    assert code == 2 and "add --output" in err


def test_export_spec_with_a_bad_lesson_exits_2_and_writes_nothing(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--spec", LESSONS / "unknown-code.toml", "--output", tmp_path / "x.pdf")
    assert code == 2 and "unknown-code.toml:7: code:" in err
    assert list(tmp_path.iterdir()) == []


def test_quiz_command_pdf_svg_png(capsys, tmp_path):
    code, _, err = run(capsys, "quiz", "--spec", LESSONS / "good.toml", "--output", tmp_path / "q.pdf",
                       "--paper", "letter")
    assert code == 0, err
    reader = PdfReader(tmp_path / "q.pdf")
    # The quiz page, then the answer key (its table goes on to a second page on the shorter Letter paper).
    assert len(reader.pages) >= 2 and float(reader.pages[0].mediabox.width) == pytest.approx(612, abs=1)
    assert run(capsys, "quiz", "--spec", LESSONS / "good.toml", "--output", tmp_path / "q.svg")[0] == 0
    assert run(capsys, "quiz", "--spec", LESSONS / "good.toml", "--output", tmp_path / "q.png")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q-key.png", "q-key.svg", "q.pdf", "q.png", "q.svg"]
    assert b"BL23" not in (tmp_path / "q.svg").read_bytes() and b"BL23" in (tmp_path / "q-key.svg").read_bytes()
    assert (tmp_path / "q-key.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv, message", [
    (["--spec", LESSONS / "duplicate-point.toml"], "already point 1"),
    (["--spec", LESSONS / "good.toml", "--format", "svg"], "ends in .pdf but --format is svg"),
    (["--spec", LESSONS / "not-here.toml"], "does not exist"),
])
def test_quiz_command_errors_exit_2_and_write_nothing(capsys, tmp_path, argv, message):
    code, out, err = run(capsys, "quiz", *argv, "--output", tmp_path / "q.pdf")
    assert code == 2 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_quiz_files_are_written_together_or_not_at_all(tmp_path):
    first = tmp_path / "q.svg"
    with pytest.raises(ExportError, match="does not exist"):
        write_all_atomically([(first, b"<svg/>"), (tmp_path / "missing" / "q-key.svg", b"<svg/>")])
    assert list(tmp_path.iterdir()) == []
    first.write_bytes(b"old")
    write_all_atomically([(first, b"new"), (tmp_path / "q-key.svg", b"key")])
    assert first.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["q-key.svg", "q.svg"]
