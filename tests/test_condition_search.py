"""A search for a condition, or a word readers use for it, finds its points as a condition match."""

import base64
import json

import pytest

from bodymap import query, search_points
from bodymap.app.state import catalogue_order, search_payload
from bodymap.cli import main
from conftest import read_rows, write_rows
from test_validation import assert_reported, problems_of


@pytest.mark.parametrize("text, condition", [
    ("sciatica", "sciatica"), ("Sciatica", "sciatica"), ("lumbago", "lower-back-pain"),
    ("low back pain", "lower-back-pain"), ("stiff neck", "neck-pain"), ("Stiff-Neck", "neck-pain"),
    ("migraine", "migraine"), ("period pain", "menstrual-pain"), ("can't sleep", "insomnia"),
    ("lower-back-pain", "lower-back-pain"), ("Lower back pain", "lower-back-pain"),
])
def test_condition_and_synonym_find_the_conditions_points(atlas, text, condition):
    found = search_points(atlas, text)
    assert [m.point.code for m in found] == list(query(atlas, conditions=[condition]).codes)
    name = atlas.conditions[condition].name
    assert all(m.field == "condition" and m.how.startswith(f"condition match: {name}") for m in found)


def test_a_synonym_is_named_in_the_label(atlas):
    assert search_points(atlas, "lumbago")[0].how == "condition match: Lower back pain (“lumbago”)"
    assert search_points(atlas, "sciatica")[0].how == "condition match: Sciatica"


def test_point_names_and_codes_come_before_conditions(atlas):
    # A code or a point's own name is never read as a condition.
    assert [m.point.code for m in search_points(atlas, "BL23")] == ["BL23"]
    assert search_points(atlas, "Wei Zhong")[0].field != "condition"


def test_condition_filter_accepts_synonyms(atlas):
    assert query(atlas, conditions=["lumbago"]).codes == query(atlas, conditions=["lower-back-pain"]).codes
    assert query(atlas, conditions=["Stiff neck"]).codes == query(atlas, conditions=["neck-pain"]).codes


def test_synonyms_live_in_the_data(atlas):
    assert "lumbago" in atlas.conditions["lower-back-pain"].synonyms
    assert "stiff neck" in atlas.conditions["neck-pain"].synonyms


def test_cli_search_shows_the_condition_match(capsys, atlas):
    assert main(["points", "--search", "lumbago"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "match" in lines[0]
    assert all("condition match: Lower back pain (“lumbago”)" in line for line in lines[1:])
    assert len(lines) - 1 == len(atlas.conditions["lower-back-pain"].points)
    assert main(["points", "--search", "stiff neck", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and all(r["match"]["field"] == "condition" for r in records)
    assert main(["conditions", "--format", "json"]) == 0
    conditions = {c["id"]: c for c in json.loads(capsys.readouterr().out)}
    assert "lumbago" in conditions["lower-back-pain"]["synonyms"]


def test_app_search_payload_labels_a_condition_match(atlas):
    order = {code: i for i, code in enumerate(catalogue_order(atlas))}
    payload = search_payload(atlas, "lumbago", order)
    assert set(payload) == {"search_mask", "readings", "note"}  # the shape assets/bodymap.js reads
    expected = set(query(atlas, conditions=["lower-back-pain"]).codes)
    bits = base64.b64decode(payload["search_mask"])
    codes = {i: c for c, i in order.items()}
    assert {codes[i] for i in range(len(order)) if bits[i // 8] >> (i % 8) & 1} == expected
    assert {codes[i] for i, _, _ in payload["readings"]} == expected  # every entry carries its reading
    assert all(how == "condition match: Lower back pain (“lumbago”)" and reading == ""
               for _, how, reading in payload["readings"])
    assert payload["note"] == f"Condition match: Lower back pain (“lumbago”): {len(expected)} points"


def test_synonym_checks(data_copy):
    path = data_copy / "condition_synonyms.csv"
    header, rows = read_rows(path)
    rows += [dict(condition="sciatica", synonym="Lumbago"),          # already a synonym of lower back pain
             dict(condition="sciatica", synonym="Lower Back Pain"),  # another condition's name
             dict(condition="gout", synonym="podagra"),              # unknown condition
             dict(condition="sciatica", synonym="—")]                # nothing to search by
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    n = len(rows) + 1
    assert_reported(problems, "condition_synonyms.csv", n - 3, "synonym", "is already a synonym on line")
    assert_reported(problems, "condition_synonyms.csv", n - 2, "synonym", "is already the name of 'lower-back-pain'")
    assert_reported(problems, "condition_synonyms.csv", n - 1, "condition", "'gout' is not a known condition")
    assert_reported(problems, "condition_synonyms.csv", n, "synonym", "no letters or digits")
