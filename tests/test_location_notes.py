"""Location notes: where authorities place a point differently, with the source that says so."""

import json
import xml.etree.ElementTree as ET

from bodymap.app import details
from bodymap.cli import main
from bodymap.handout import HandoutSpec, render_handout
from conftest import read_rows, write_rows
from test_validation import assert_reported, problems_of


def test_focused_notes_each_with_a_known_source(atlas):
    noted = {code: p.location_note for code, p in atlas.points.items() if p.location_note}
    assert {"GV26", "PC8", "PC9", "GB39"} <= set(noted)
    for code, note in noted.items():
        assert note.source in atlas.sources, code
        assert note.text.count(". ") == 0 and note.text.endswith("."), (code, "one sentence")
        assert code in note.text  # says which point it is about, so it reads alone in a handout
    assert "philtrum" in noted["GV26"].text and "alternative" in noted["GV26"].text
    assert atlas.points["BL23"].location_note is None


def test_json_carries_the_note_and_its_citation(capsys, atlas):
    assert main(["points", "--search", "PC8", "--format", "json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["location_note"]["source"] == "who-2008-locations"
    assert record["location_note"]["citation"] == atlas.sources["who-2008-locations"].citation
    assert "third and fourth metacarpal" in record["location_note"]["text"]
    assert main(["points", "--search", "BL23", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["location_note"] is None


def test_details_panel_shows_the_note(atlas):
    rendered = str(details.render(atlas, "GV26"))
    assert "Where authorities differ" in rendered and atlas.points["GV26"].location_note.text in rendered
    assert atlas.sources["who-2008-locations"].title in rendered
    assert "Where authorities differ" not in str(details.render(atlas, "BL23"))


def test_handout_table_shows_the_note(atlas):
    data = render_handout(atlas, HandoutSpec(points=("PC8", "PC9"), views=("hand",), format="svg"))
    root = ET.fromstring(data)
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Authorities differ:" in text
    assert "between the third and fourth metacarpal" in text and "radial corner of the nail" in text
    assert "WHO Standard Acupuncture Point Locations" in text  # the note's source is in the page's sources


def test_note_checks(data_copy):
    path = data_copy / "location_notes.csv"
    header, rows = read_rows(path)
    rows.append(dict(point="GV26", note="Twice.", source="cheng-cam"))
    rows.append(dict(point="BL99", note="No such point.", source="cheng-cam"))
    rows.append(dict(point="BL23", note="Hearsay.", source="hearsay"))
    rows.append(dict(point="BL24", note="No source.", source=""))
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    n = len(rows) + 1
    assert_reported(problems, "location_notes.csv", n - 3, "point", "already has a location note")
    assert_reported(problems, "location_notes.csv", n - 2, "point", "'BL99' is not a known point")
    assert_reported(problems, "location_notes.csv", n - 1, "source", "'hearsay' is not a known source")
    assert_reported(problems, "location_notes.csv", n, "source", "is empty")
