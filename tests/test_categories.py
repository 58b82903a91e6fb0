"""Special-point categories: the table, its checks, the filter everywhere it is offered, and where it is shown."""

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from bodymap import DataError, QueryError, load_atlas, query
from bodymap.app import create_app, details
from bodymap.app.catalogue import build as build_catalogue
from bodymap.app.state import export_spec, parse_query, state_from_controls, to_query
from bodymap.cli import main
from bodymap.handout import HandoutSpec, render_handout
from bodymap.handout.files import read_spec
from conftest import read_rows, row_line, write_rows
from test_app import matched_codes
from test_validation import assert_reported, problems_of

FIVE_SHU = ("jing-well", "ying-spring", "shu-stream", "jing-river", "he-sea")
CHANNELS = ("LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR")


def assigned(atlas, category):
    return {(p.code, c.of) for p in atlas.points.values() for c in p.categories if c.category == category}


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_every_standard_category_is_there_with_its_source(atlas):
    assert list(atlas.categories) == [*FIVE_SHU, "yuan-source", "luo-connecting", "xi-cleft", "back-shu",
                                      "front-mu", "influential", "lower-he-sea", "confluent"]
    for category in atlas.categories.values():
        assert category.source in atlas.sources and category.description
    sizes = {cid: len(assigned(atlas, cid)) for cid in atlas.categories}
    assert sizes == {**{c: 12 for c in FIVE_SHU}, "yuan-source": 12, "luo-connecting": 15, "xi-cleft": 16,
                     "back-shu": 12, "front-mu": 12, "influential": 8, "lower-he-sea": 6, "confluent": 8}
    assert sum(sizes.values()) == 149
    assert all(c.source in atlas.sources for p in atlas.points.values() for c in p.categories)


def test_each_assignment_names_what_it_belongs_to(atlas):
    assert ("BL23", "kidney") in assigned(atlas, "back-shu")
    assert ("GB34", "sinews") in assigned(atlas, "influential")
    assert any(code == "PC6" and of.startswith("Yin Linking vessel") for code, of in assigned(atlas, "confluent"))
    assert ("SP21", "spleen") in assigned(atlas, "luo-connecting")
    organs = {of for _, of in assigned(atlas, "back-shu")}
    assert organs == {of for _, of in assigned(atlas, "front-mu")}
    assert len(organs) == 12
    assert {of for _, of in assigned(atlas, "lower-he-sea")} == {
        "stomach", "large intestine", "small intestine", "triple energizer", "bladder", "gallbladder"}
    for cid, category in atlas.categories.items():
        assert category.of and all(of for _, of in assigned(atlas, cid)), cid


def test_five_transporting_points_run_from_the_fingers_and_toes_towards_the_trunk(atlas):
    for channel in CHANNELS:
        numbers = []
        for cid in FIVE_SHU:
            codes = [code for code, _ in assigned(atlas, cid) if atlas.points[code].meridian == channel]
            assert len(codes) == 1, (channel, cid, codes)
            numbers.append(atlas.points[codes[0]].number)
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True)), (channel, numbers)
        assert len(set(numbers)) == 5


def test_yuan_source_is_the_shu_stream_point_on_yin_channels(atlas):
    # A structural fact of the standard table: yin channels have no separate yuan-source point.
    for channel in ("LU", "SP", "HT", "KI", "PC", "LR"):
        yuan = {c for c, _ in assigned(atlas, "yuan-source") if c.startswith(channel)}
        stream = {c for c, _ in assigned(atlas, "shu-stream") if c.startswith(channel)}
        assert yuan == stream, channel


def test_filter_by_category(atlas):
    back_shu = set(query(atlas, categories=["back-shu"]).codes)
    assert back_shu == {"BL13", "BL14", "BL15", "BL18", "BL19", "BL20", "BL21", "BL22", "BL23", "BL25", "BL27",
                        "BL28"}
    either = set(query(atlas, categories=["back-shu", "front-mu"]).codes)
    assert either == back_shu | set(query(atlas, categories=["front-mu"]).codes)
    assert set(query(atlas, categories=["front-mu"], meridians=["CV"]).codes) == {"CV3", "CV4", "CV5", "CV12",
                                                                               "CV14", "CV17"}
    assert query(atlas, categories=["confluent"], conditions=["neck-pain"]).codes
    for form in ("Back shu", "BACK-SHU", "back-shu point", "Back-shu point"):
        assert set(query(atlas, categories=[form]).codes) == back_shu
    with pytest.raises(QueryError, match="unknown category 'crossing'"):
        query(atlas, categories=["crossing"])


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_points_json_carries_categories(capsys, atlas):
    code, out, _ = run(capsys, "points", "--format", "json")
    records = {r["code"]: r for r in json.loads(out)}
    assert code == 0
    assert records["BL23"]["categories"] == [{"id": "back-shu", "of": "kidney"}]
    assert records["GB34"]["categories"] == [{"id": "he-sea", "of": "gallbladder channel"},
                                             {"id": "influential", "of": "sinews"},
                                             {"id": "lower-he-sea", "of": "gallbladder"}]
    assert records["BL24"]["categories"] == []


def test_cli_category_filter_is_repeatable(capsys, atlas):
    code, out, _ = run(capsys, "points", "--category", "confluent", "--category", "influential", "--format", "json")
    assert code == 0
    assert {r["code"] for r in json.loads(out)} == set(query(atlas, categories=["confluent", "influential"]).codes)
    code, out, _ = run(capsys, "points", "--category", "back-shu")
    lines = out.splitlines()
    assert "categories" in lines[0] and any(re.match(r"BL23 .*Back-shu \(kidney\)", line) for line in lines)
    code, out, err = run(capsys, "points", "--category", "crossing")
    assert code == 2 and "unknown category 'crossing'" in err and "Traceback" not in err


def test_cli_lists_categories(capsys, atlas):
    code, out, _ = run(capsys, "categories", "--format", "json")
    records = {r["id"]: r for r in json.loads(out)}
    assert code == 0 and set(records) == set(atlas.categories)
    assert {"code": "BL23", "of": "kidney"} in records["back-shu"]["points"]
    assert records["back-shu"]["citation"] == atlas.sources["cheng-cam"].citation


def test_details_panel_names_each_category_and_its_source(atlas):
    rendered = str(details.render(atlas, "PC6"))
    assert "Confluent point of the Yin Linking vessel" in rendered
    assert "Luo-connecting point of the pericardium channel" in rendered
    assert "Special point categories" in rendered and atlas.sources["cheng-cam"].title in rendered
    assert "Special point categories" not in str(details.render(atlas, "BL24"))


def test_handout_table_shows_categories(atlas):
    data = render_handout(atlas, HandoutSpec(categories=("lower-he-sea",), format="svg"))
    text = svg_text(data)
    for organ in ("stomach", "large intestine", "small intestine", "triple energizer", "bladder", "gallbladder"):
        assert f"Lower he-sea ({organ})" in text, organ
    assert "He-sea (stomach channel)" in text  # ST36's other category, in the same cell
    root = ET.fromstring(data)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Lower he-sea points"


def test_spec_file_accepts_categories(tmp_path, atlas):
    spec = tmp_path / "handouts.toml"
    spec.write_text('categories = ["yuan-source", "luo-connecting"]\nmeridians = ["LU"]\noutput = "lu.svg"\n')
    [(handout, output)] = read_spec(spec)
    assert handout.categories == ("yuan-source", "luo-connecting") and output == tmp_path / "lu.svg"
    assert "LU9" in svg_text(render_handout(atlas, handout)) and "LU7" in svg_text(render_handout(atlas, handout))


def test_cli_export_takes_category(tmp_path, capsys):
    output = tmp_path / "mu.svg"
    code, _, err = run(capsys, "export", "--category", "front-mu", "--output", str(output))
    assert code == 0, err
    assert "Front-mu (lung)" in svg_text(output.read_bytes())


def test_url_category_parse_and_round_trip(atlas):
    state = parse_query(atlas, "?view=back&category=front-mu,back-shu&meridian=BL")
    assert state.categories == ("back-shu", "front-mu")  # the atlas's order, however the link lists them
    assert state.notes == ()
    assert parse_query(atlas, to_query(atlas, state)) == state
    assert "category=back-shu,front-mu" in to_query(atlas, state)
    odd = parse_query(atlas, "category=Back Shu&category=crossing")
    assert odd.categories == ("back-shu",) and "unknown category “crossing” ignored" in odd.notes
    assert to_query(atlas, parse_query(atlas, "")) == ""
    controls = state_from_controls(atlas, ["back"], [], ["BL"], "", None, 0, 0,
                                   categories=["front-mu", 7, "nothing", "back-shu"])
    assert controls.categories == ("back-shu", "front-mu")


def test_catalogue_masks_and_badges(atlas):
    catalogue = build_catalogue(atlas)
    order = {code: i for i, code in enumerate(catalogue["codes"])}
    for cid in atlas.categories:
        assert matched_codes({"mask": catalogue["categories"][cid]}, order) == set(query(atlas, categories=[cid]).codes)
    assert catalogue["badges"][order["BL23"]] == ["Back-shu (kidney)"]
    assert catalogue["badges"][order["BL24"]] == []


def test_export_route_and_spec_take_category(atlas):
    spec = export_spec(atlas, "?view=back&category=back-shu&format=svg")
    assert spec.categories == ("back-shu",)
    client = create_app(atlas).server.test_client()
    response = client.get("/_bodymap/export?view=back&category=back-shu&format=svg&table=0")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="back-shu-points.svg"'
    response = client.get("/_bodymap/export?view=back&category=back-shu&format=pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Back-shu (lung)" in " ".join(text.split())      # the table wraps lines anywhere
    bad = client.get("/_bodymap/export?view=back&category=crossing&format=svg")
    assert bad.status_code == 400 and "unknown category “crossing”" in bad.get_data(as_text=True)


def test_layout_offers_every_category(atlas):
    from test_app import find
    from bodymap.app.ids import ID

    checklist = find(create_app(atlas).layout(), ID.CATEGORIES)
    assert [o["value"] for o in checklist.options] == list(atlas.categories)


# ---- broken data -------------------------------------------------------------------------------


def test_assignment_checks(data_copy):
    path = data_copy / "point_categories.csv"
    header, rows = read_rows(path)
    rows.append(dict(rows[0]))                                             # duplicate
    rows.append(dict(point="BL24", category="back-shu", of="", source="cheng-cam", note=""))      # no `of`
    rows.append(dict(point="BL24", category="crossing", of="GB", source="cheng-cam", note=""))   # unknown category
    rows.append(dict(point="BL99", category="back-shu", of="x", source="cheng-cam", note=""))    # unknown point
    rows.append(dict(point="BL24", category="back-shu", of="qi sea", source="hearsay", note=""))  # unknown source
    rows.append(dict(point="BL24", category="back-shu", of="qi sea", source="", note=""))        # no source
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    n = len(rows) + 1
    assert_reported(problems, "point_categories.csv", n - 5, "category", "already")
    assert_reported(problems, "point_categories.csv", n - 4, "of", "say which organ")
    assert_reported(problems, "point_categories.csv", n - 3, "category", "'crossing' is not a known category")
    assert_reported(problems, "point_categories.csv", n - 2, "point", "'BL99' is not a known point")
    assert_reported(problems, "point_categories.csv", n - 1, "source", "'hearsay' is not a known source")
    assert_reported(problems, "point_categories.csv", n, "source", "is empty")


def test_category_checks(data_copy):
    path = data_copy / "categories.csv"
    header, rows = read_rows(path)
    line = row_line(rows, lambda r: r["id"] == "confluent")
    rows[line - 2]["source"] = "hearsay"
    rows.append(dict(rows[0], id="Crossing Points"))
    rows.append(dict(rows[0], id="crossing", of="", source=""))
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    assert_reported(problems, "categories.csv", line, "source", "'hearsay' is not a known source")
    assert_reported(problems, "categories.csv", len(rows), "id", "lowercase slug")
    assert_reported(problems, "categories.csv", len(rows) + 1, "source", "is empty")


def test_of_given_where_the_category_has_none(data_copy):
    header, rows = read_rows(data_copy / "categories.csv")
    rows.append(dict(id="crossing", name="Crossing point", of="", description="", source="cheng-cam"))
    write_rows(data_copy / "categories.csv", header, rows)
    header, rows = read_rows(data_copy / "point_categories.csv")
    rows.append(dict(point="GV20", category="crossing", of="bladder channel", source="cheng-cam", note=""))
    write_rows(data_copy / "point_categories.csv", header, rows)
    assert_reported(problems_of(data_copy), "point_categories.csv", len(rows) + 1, "of", "belong to nothing")


def test_missing_category_table_is_named(data_copy):
    (data_copy / "point_categories.csv").unlink()
    with pytest.raises(DataError) as caught:
        load_atlas(data_copy)
    assert any("point_categories.csv: file: is missing" in str(p) for p in caught.value.problems)
