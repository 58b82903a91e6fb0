"""Languages: the interface catalogs, the data's translations, the fallback to English, and a
handout, the CLI and the app in each language."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from bodymap import load_atlas
from bodymap.cli import main
from bodymap.handout import HandoutSpec, render_handout
from bodymap.i18n import Fallback, activate, coverage, gettext, localize, locale_dir, marked, negotiate, translator
from bodymap.lesson import encode_lesson, lesson_url, parse_lesson
from bodymap.problems import DataError
from conftest import read_rows, running_server, write_rows

LANGS = ("zh-Hans", "es")
ROOT = Path(__file__).resolve().parent.parent


def catalog(lang: str):
    with (locale_dir() / lang.replace("-", "_") / "LC_MESSAGES" / "bodymap.po").open("rb") as handle:
        return read_po(handle)


def template_ids() -> set[str]:
    with (locale_dir() / "bodymap.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


# --- the interface catalogs ---------------------------------------------------------------------------

def test_the_template_holds_every_string_the_code_marks(tmp_path):
    """A string added to the code without `make messages` would go untranslated unnoticed."""
    out = tmp_path / "fresh.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "N_", "--no-location", "-o", str(out), str(ROOT / "bodymap")], check=True, cwd=ROOT)
    with out.open("rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert fresh == template_ids(), "run `make messages` and translate the new strings: " + \
        ", ".join(sorted(fresh ^ template_ids())[:10])


@pytest.mark.parametrize("lang", LANGS)
def test_every_interface_string_is_translated(lang):
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog(lang) if m.id}
    missing = sorted(i for i in template_ids()
                     if i not in messages or messages[i].fuzzy
                     or not all(messages[i].string if isinstance(messages[i].string, tuple) else [messages[i].string]))
    assert missing == [], f"{lang} lacks translations of: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_every_placeholder(lang):
    for message in catalog(lang):
        if not message.id:
            continue
        wanted = set(re.findall(r"\{\w+\}", " ".join(message.id if isinstance(message.id, tuple) else [message.id])))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(re.findall(r"\{\w+\}", text)) == wanted, (lang, message.id, text)


def test_gettext_follows_the_active_language():
    assert gettext("Location") == "Location"
    with activate("zh-Hans"):
        assert gettext("Location") == translator("zh-Hans").gettext("Location") != "Location"
    with activate("es"):
        assert gettext("Location") != "Location"
    assert gettext("Location") == "Location"


@pytest.mark.parametrize("header, expected", [
    ("zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans"), ("es-MX,es;q=0.9", "es"), ("fr-FR,fr;q=0.9", "en"),
    ("fr;q=1,es;q=0.5", "es"), ("zh-TW", "en"), ("", "en"), ("en;q=0.2,es;q=0.8", "es"), (";;q=x,", "en"),
])
def test_the_browser_language_is_negotiated(header, expected):
    assert negotiate(header, ("en", "zh-Hans", "es")) == expected


# --- the data's translations --------------------------------------------------------------------------

def test_the_shipped_languages_are_complete(atlas):
    rows = {row["lang"]: row for row in coverage(atlas)}
    assert set(rows) == {"en", *LANGS}
    for lang in LANGS:
        for key in ("strings", "points", "conditions", "cautions"):
            have, total = rows[lang][key]
            assert total > 0 and have == total, (lang, key, rows[lang][key])


def test_localize_translates_texts_and_keeps_names_and_codes(atlas):
    zh, es = localize(atlas, "zh-Hans"), localize(atlas, "es")
    for local in (zh, es):
        assert local.lang != "en" and set(local.points) == set(atlas.points)
        bl23 = local.points["BL23"]
        assert (bl23.pinyin, bl23.hanzi, bl23.english) == ("Shen Shu", "肾俞", atlas.points["BL23"].english)
        assert bl23.location != atlas.points["BL23"].location and not isinstance(bl23.location, Fallback)
        assert bl23.placements == atlas.points["BL23"].placements
    assert re.search(r"[\u4e00-\u9fff]", zh.points["BL23"].location)
    assert "腰" in zh.points["BL23"].location
    assert "lumbar" in es.points["BL23"].location
    assert localize(zh, "es") is es and localize(es, "en") is atlas  # from any language to any
    # A condition is found by its readers' own words.
    from bodymap.query import query
    assert set(query(es, search="ciática").codes) == set(query(atlas, conditions=["sciatica"]).codes)


def test_a_missing_translation_falls_back_to_english_marked(data_copy):
    path = data_copy / "i18n" / "zh-Hans" / "points.csv"
    header, rows = read_rows(path)
    write_rows(path, header, [r for r in rows if r["code"] != "BL23"])
    atlas = load_atlas(data_copy)
    zh = localize(atlas, "zh-Hans")
    location = zh.points["BL23"].location
    assert isinstance(location, Fallback) and location == atlas.points["BL23"].location
    with activate("zh-Hans"):
        shown = marked(location)
        assert shown.startswith(gettext("[in English]")) and shown.endswith(location) and gettext("[in English]") \
            != "[in English]"
    assert marked(zh.points["BL40"].location) == zh.points["BL40"].location  # translated: no mark
    rows_ = {row["lang"]: row for row in coverage(atlas)}
    assert rows_["zh-Hans"]["points"] == (len(atlas.points) - 1, len(atlas.points))
    # The handout says so too.
    svg = render_handout(atlas, HandoutSpec(points=("BL23",), views=("back",), format="svg", lang="zh-Hans"))
    assert translator("zh-Hans").gettext("[in English]") in re.sub(r"<[^>]+>", "", svg.decode())


def test_validate_reports_each_languages_completeness(data_copy, capsys):
    path = data_copy / "i18n" / "es" / "cautions.csv"
    header, rows = read_rows(path)
    write_rows(path, header, rows[:-3])
    assert main(["validate", "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[-3:]}
    assert set(lines) == {"en", "zh-Hans", "es"}
    total = len(rows)
    assert f"{total - 3}/{total}" in lines["es"] and f"{total}/{total}" in lines["zh-Hans"]


@pytest.mark.parametrize("case, edit, message", [
    ("unknown point", lambda rows: rows + [{"code": "BL99", "location": "x", "how_to_find": "y"}],
     "'BL99' is not in the English points.csv"),
    ("twice", lambda rows: rows + [dict(rows[0])], "is already translated on line 2"),
    ("empty text", lambda rows: [{**rows[0], "location": ""}] + rows[1:], "location: is empty"),
])
def test_a_bad_translation_row_names_its_file_and_line(data_copy, case, edit, message):
    path = data_copy / "i18n" / "es" / "points.csv"
    header, rows = read_rows(path)
    write_rows(path, header, edit(rows))
    with pytest.raises(DataError) as raised:
        load_atlas(data_copy)
    report = raised.value.report()
    assert "i18n/es/points.csv:" in report and message in report, report


def test_a_bad_language_tag_is_reported(data_copy):
    (data_copy / "languages.csv").write_text("id,name,native\nen,English,English\nSpanish,Spanish,Español\n",
                                             encoding="utf-8")
    with pytest.raises(DataError, match=r"languages.csv:3: id: 'Spanish' is not a language tag"):
        load_atlas(data_copy)


# --- handouts, lessons and the CLI --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_handout_reads_back_in_its_language(atlas, lang):
    pdf = render_handout(atlas, HandoutSpec(conditions=("sciatica",), lang=lang))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    local = localize(atlas, lang)
    with activate(lang):
        for heading in ("Location", "How to find it", "Cautions"):
            assert gettext(heading) in text
        title = gettext("Points for {conditions}").format(conditions=local.conditions["sciatica"].name.lower())
        notice = gettext("Point positions are illustrative, not anatomical.")
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 (line breaks fall anywhere in Chinese text)
    assert squeeze(title) in squeeze(text) and squeeze(notice) in squeeze(text)
    assert squeeze(local.points["BL40"].location)[:20] in squeeze(text)
    assert "How to find it" not in text


def test_chinese_text_wraps_between_characters_not_off_the_page(atlas):
    from bodymap.handout.svg import text_width, wrap

    text = localize(atlas, "zh-Hans").points["GB30"].how_to_find
    lines = wrap(text, 120, 7)
    assert len(lines) > 2 and "".join(lines) == text.replace(" ", "")
    assert all(text_width(line, 7) <= 120 for line in lines)
    assert not any(line[0] in "，。；：、）" for line in lines)  # no line starts with closing punctuation


def test_a_lessons_language_travels_in_its_file_and_link(atlas):
    lesson = parse_lesson(atlas, 'title = "Semana 3"\nlang = "es"\n[[point]]\ncode = "UB23"\n')
    assert lesson.lang == "es"
    assert "lang=es" in lesson_url(lesson)
    from bodymap.lesson import decode_lesson
    assert decode_lesson(atlas, encode_lesson(lesson)).lang == "es"
    from bodymap.lesson import LessonError
    with pytest.raises(LessonError, match=r"lang: 'fr' is not one of: en, zh-Hans, es"):
        parse_lesson(atlas, 'title = "x"\nlang = "fr"\n[[point]]\ncode = "UB23"\n')


def test_the_cli_speaks_the_chosen_language(atlas, capsys):
    assert main(["points", "--search", "BL23", "--format", "json", "--lang", "es"]) == 0
    record = json.loads(capsys.readouterr().out)[0]
    assert set(record) >= {"code", "location", "how_to_find", "cautions"}  # keys stay English
    assert record["location"] == localize(atlas, "es").points["BL23"].location
    assert main(["conditions", "--format", "json", "--lang", "zh-Hans"]) == 0
    names = {c["id"]: c["name"] for c in json.loads(capsys.readouterr().out)}
    assert names["sciatica"] == localize(atlas, "zh-Hans").conditions["sciatica"].name
    assert main(["points", "--lang", "klingon"]) == 2
    assert "--lang 'klingon' is not one of: en, zh-Hans, es" in capsys.readouterr().err


# --- the app ------------------------------------------------------------------------------------------

def test_the_page_is_served_in_the_asked_or_preferred_language(atlas):
    from bodymap.app import create_app

    client = create_app(atlas).server.test_client()
    assert b'<html lang="zh-Hans">' in client.get("/?lang=zh-Hans").data
    assert b'<html lang="es">' in client.get("/", headers={"Accept-Language": "es-AR,es;q=0.9"}).data
    assert b'<html lang="en">' in client.get("/", headers={"Accept-Language": "fr"}).data
    layout = client.get("/_dash-layout", headers={"Referer": "http://x/?view=back&lang=es"}).get_data(as_text=True)
    with activate("es"):
        assert json.dumps(gettext("Filters"), ensure_ascii=False) in layout
    exported = client.get("/_bodymap/export?condition=sciatica&format=svg&table=0&lang=zh-Hans")
    assert exported.status_code == 200
    with activate("zh-Hans"):
        assert gettext("Point positions are illustrative, not anatomical.") in exported.get_data(as_text=True)
    assert client.get("/_bodymap/export?condition=sciatica&lang=xx").status_code == 400


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_app_in_each_language(page, server, atlas, lang):
    from test_classroom import axe_violations

    local = localize(atlas, lang)
    page.goto(server + f"?lang={lang}&view=back&condition=sciatica&point=BL40")
    page.locator("#results-list li:not([hidden])").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == lang
    with activate(lang):
        assert page.locator("#controls-drawer-title").inner_text().strip() == gettext("Filters")
        assert page.locator("#illustrative-notice").inner_text().strip() == gettext(
            "Point positions are illustrative, not anatomical.")
    details = page.locator("#point-details")
    details.get_by_text(local.points["BL40"].location[:12]).first.wait_for()
    # The page's link keeps its language; the menu switches, keeping the page's settings.
    page.wait_for_function(f"() => location.search.includes('lang={lang}')")
    assert axe_violations(page) == []
    page.locator("#lang-menu a[data-lang='en']").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert "condition=sciatica" in page.url and "lang=en" in page.url
    page.locator("#point-details").get_by_text(atlas.points["BL40"].location[:20]).first.wait_for()


def test_a_spec_file_may_choose_the_language(atlas, tmp_path):
    from bodymap.handout import ExportError
    from bodymap.handout.files import read_spec

    spec_file = tmp_path / "handouts.toml"
    spec_file.write_text('[[handout]]\noutput = "a.svg"\npoints = ["BL23"]\nlang = "es"\n'
                         '[[handout]]\noutput = "b.svg"\nconditions = ["sciatica"]\nlang = "fr"\n', encoding="utf-8")
    (good, _), (bad, _) = read_spec(spec_file)
    assert good.lang == "es"
    with activate("es"):
        heading = gettext("How to find it")
    assert heading in re.sub(r"<[^>]+>", "", render_handout(atlas, good).decode())
    with pytest.raises(ExportError, match=r"lang 'fr' is not one of: en, zh-Hans, es"):
        render_handout(atlas, bad)
    assert main(["export", "--spec", str(spec_file)]) == 2
    assert not (tmp_path / "a.svg").exists()  # a bad handout in the file leaves no file behind


def test_the_page_is_not_sent_twice(atlas):
    """The layout comes once, from _dash-layout; the page itself stays a few kilobytes in any language
    (a function layout would otherwise be copied into the page's config for validation)."""
    from bodymap.app import create_app

    client = create_app(atlas).server.test_client()
    for lang in ("en", *LANGS):
        page = client.get(f"/?lang={lang}").data
        layout = client.get("/_dash-layout", headers={"Referer": f"http://x/?lang={lang}"}).data
        assert len(page) < 20_000 < len(layout), (lang, len(page), len(layout))


def test_an_unknown_language_in_a_link_is_noted(atlas):
    from bodymap.app.state import parse_query

    assert parse_query(atlas, "?view=back&lang=es").notes == ()
    assert parse_query(atlas, "?view=back&lang=ZH-hans").notes == ()
    assert any("“klingon”" in note for note in parse_query(atlas, "?view=back&lang=klingon").notes)


def test_the_3d_scene_speaks_the_pages_language(atlas):
    from bodymap.app import create_app

    client = create_app(atlas).server.test_client()
    page = client.get("/?lang=zh-Hans&view=3d").get_data(as_text=True)
    url = re.search(r'"scene": "([^"]+)"', page).group(1)
    assert url.endswith("&lang=zh-Hans")
    scene = json.loads(client.get(url).data)
    points = next(t for t in scene["data"] if t.get("meta", {}).get("kind") == "points")
    with activate("zh-Hans"):
        assert all(gettext("illustrative position") in hover for hover in points["hovertext"])
        assert scene["layout"]["annotations"][0]["text"] == gettext("Point positions are illustrative, not anatomical.")
    english = json.loads(client.get(url.replace("zh-Hans", "en")).data)
    assert "illustrative position" in next(t for t in english["data"]
                                           if t.get("meta", {}).get("kind") == "points")["hovertext"][0]
