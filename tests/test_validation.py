"""The real data passes; each kind of bad input fails with a precise message."""

import pytest

from bodymap import DataError, load_atlas
from conftest import read_rows, row_line, write_rows


def problems_of(folder):
    with pytest.raises(DataError) as caught:
        load_atlas(folder)
    return [str(p) for p in caught.value.problems]


def assert_reported(problems, file, line, field, fragment):
    where = f"{file}:{line}" if line is not None else file
    hits = [p for p in problems if p.split(": ", 1)[0].endswith(where) and f": {field}: " in p and fragment in p]
    assert hits, f"expected {where}: {field}: ...{fragment}... in:\n" + "\n".join(problems)


def test_real_data_loads(atlas):
    assert len(atlas.points) >= 34
    assert all(p.placements for p in atlas.points.values())


def test_model_is_immutable(atlas):
    point = atlas.points["BL23"]
    with pytest.raises(AttributeError):
        point.code = "BL24"
    with pytest.raises(TypeError):
        atlas.points["X"] = point
    with pytest.raises(ValueError):
        atlas.layers["back"].xy[0, 0] = 1.0


def test_missing_file(data_copy):
    (data_copy / "points.csv").unlink()
    assert_reported(problems_of(data_copy), "points.csv", None, "file", "is missing")


def test_missing_and_extra_columns(data_copy):
    header, rows = read_rows(data_copy / "points.csv")
    header.remove("pinyin")
    write_rows(data_copy / "points.csv", header + ["colour"], [dict(r, colour="red") for r in rows])
    problems = problems_of(data_copy)
    assert_reported(problems, "points.csv", 1, "pinyin", "column is missing")
    assert_reported(problems, "points.csv", 1, "colour", "is not a column")


def test_duplicate_code_and_empty_required_value(data_copy):
    header, rows = read_rows(data_copy / "points.csv")
    bl23 = next(r for r in rows if r["code"] == "BL23")
    rows.append(dict(bl23))
    rows.append(dict(bl23, code="BL99", number="99", english=""))
    write_rows(data_copy / "points.csv", header, rows)
    problems = problems_of(data_copy)
    assert_reported(problems, "points.csv", len(rows), "code", "'BL23' is already used on line")
    assert_reported(problems, "points.csv", len(rows) + 1, "english", "is empty")


def test_wrong_types_and_mismatched_code(data_copy):
    header, rows = read_rows(data_copy / "points.csv")
    for r in rows:
        if r["code"] == "BL25":
            r["number"] = "abc"
        if r["code"] == "BL23":
            r["number"] = "24"
    write_rows(data_copy / "points.csv", header, rows)
    problems = problems_of(data_copy)
    assert_reported(problems, "points.csv", row_line(rows, lambda r: r["code"] == "BL25"), "number", "not a whole number")
    assert_reported(problems, "points.csv", row_line(rows, lambda r: r["code"] == "BL23"), "code", "write BL24")


def test_unknown_references(data_copy):
    header, rows = read_rows(data_copy / "points.csv")
    rows[0]["meridian"] = "XX"
    write_rows(data_copy / "points.csv", header, rows)
    p_header, placements = read_rows(data_copy / "placements.csv")
    placements[0]["view"] = "ceiling"
    placements[1]["point"] = "ZZ1"
    write_rows(data_copy / "placements.csv", p_header, placements)
    l_header, links = read_rows(data_copy / "condition_links.csv")
    links[0]["source"] = "nobody-said-so"
    links[1]["condition"] = "made-up"
    write_rows(data_copy / "condition_links.csv", l_header, links)
    problems = problems_of(data_copy)
    assert_reported(problems, "points.csv", 2, "meridian", "'XX' is not a known meridian")
    assert_reported(problems, "placements.csv", 2, "view", "'ceiling' is not a known view")
    assert_reported(problems, "placements.csv", 3, "point", "'ZZ1' is not a known point")
    assert_reported(problems, "condition_links.csv", 2, "source", "'nobody-said-so' is not a known source")
    assert_reported(problems, "condition_links.csv", 3, "condition", "'made-up' is not a known condition")


def test_link_without_source(data_copy):
    header, links = read_rows(data_copy / "condition_links.csv")
    links[2]["source"] = ""
    write_rows(data_copy / "condition_links.csv", header, links)
    assert_reported(problems_of(data_copy), "condition_links.csv", 4, "source", "is empty")


def _edit_placement(folder, predicate, **changes):
    header, rows = read_rows(folder / "placements.csv")
    line = row_line(rows, predicate)
    rows[line - 2].update(changes)
    write_rows(folder / "placements.csv", header, rows)
    return line


def test_non_finite_coordinates(data_copy):
    line_x = _edit_placement(data_copy, lambda r: r["view"] == "front", x="nan")
    line_y = _edit_placement(data_copy, lambda r: r["view"] == "side", y="inf")
    problems = problems_of(data_copy)
    assert_reported(problems, "placements.csv", line_x, "x", "not a finite number")
    assert_reported(problems, "placements.csv", line_y, "y", "not a finite number")


def test_coordinates_outside_the_outline(data_copy):
    line = _edit_placement(data_copy, lambda r: r["view"] == "back" and r["side"] == "midline", x="200", y="5")
    assert_reported(problems_of(data_copy), "placements.csv", line, "x", "lies outside the back outline")


def test_side_inconsistent_with_front_view(data_copy):
    # On the front view the patient's left is on the viewer's right (x > midline).
    header, rows = read_rows(data_copy / "placements.csv")
    line = row_line(rows, lambda r: r["view"] == "front" and r["side"] == "left" and float(r["x"]) > 210)
    rows[line - 2].update(x=str(400 - float(rows[line - 2]["x"])), landmark="", across="", down="")
    write_rows(data_copy / "placements.csv", header, rows)
    problems = problems_of(data_copy)
    assert any(f"placements.csv:{line}: side: the patient's left is on the viewer's right in the front view" in p
               for p in problems), problems


def test_side_not_shown_on_a_one_sided_view(data_copy):
    line = _edit_placement(data_copy, lambda r: r["view"] == "hand", side="left")
    assert_reported(problems_of(data_copy), "placements.csv", line, "side", "shows the patient's right side")


def test_mirror_mismatch_and_missing_pair(data_copy):
    header, rows = read_rows(data_copy / "placements.csv")
    bl23_right = row_line(rows, lambda r: r["point"] == "BL23" and r["view"] == "back" and r["side"] == "right")
    rows[bl23_right - 2]["y"] = str(float(rows[bl23_right - 2]["y"]) + 9)
    bl52_left = row_line(rows, lambda r: r["point"] == "BL52" and r["view"] == "back" and r["side"] == "left")
    del rows[bl52_left - 2]
    write_rows(data_copy / "placements.csv", header, rows)
    problems = problems_of(data_copy)
    assert any("BL23's left and right placements on back are not mirror images" in p for p in problems), problems
    assert any("BL52 is bilateral but has only a right placement on back" in p for p in problems), problems


def test_midline_point_off_the_midline(data_copy):
    line = _edit_placement(data_copy, lambda r: r["point"] == "GV4" and r["view"] == "back", x="205")
    assert_reported(problems_of(data_copy), "placements.csv", line, "x", "off the midline")


def test_every_problem_is_reported_at_once(data_copy):
    _edit_placement(data_copy, lambda r: r["view"] == "front", x="oops")
    header, rows = read_rows(data_copy / "conditions.csv")
    rows.append(dict(rows[0]))
    write_rows(data_copy / "conditions.csv", header, rows)
    (data_copy / "sources.csv").write_bytes(b"id,title,author,publisher,kind,year,notes\nx,\xff\xfe,,,web,,\n")
    problems = problems_of(data_copy)
    files = {p.split(":", 1)[0].rsplit("/", 1)[-1] for p in problems}
    assert {"placements.csv", "conditions.csv", "sources.csv"} <= files
    assert_reported(problems, "sources.csv", 2, "encoding", "not valid UTF-8")


def test_bom_and_crlf_still_load(data_copy):
    for name in ("points.csv", "placements.csv"):
        path = data_copy / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    atlas = load_atlas(data_copy)
    assert "BL23" in atlas.points


def test_ragged_row(data_copy):
    with (data_copy / "conditions.csv").open("a", encoding="utf-8") as handle:
        handle.write("lonely,only two\n")
    _, rows = read_rows(data_copy / "conditions.csv")
    assert_reported(problems_of(data_copy), "conditions.csv", len(rows) + 1, "row", "fields but the header has")


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 800">'


@pytest.mark.parametrize("body, field, fragment", [
    (SVG_HEAD + '<path d="M0,0 L10,0 L10,10 Z" transform="scale(2)"/></svg>', "transform", "flatten"),
    (SVG_HEAD + '<path class="detail" d="M0,0 L10,10"/></svg>', "path", "no outline path"),
    (SVG_HEAD + '<path d="M0,0 L100,0 L100,100"/></svg>', "d", "not closed"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0,0 L10,0 L10,10 Z"/></svg>', "viewBox", "needs a viewBox"),
    (SVG_HEAD + '<path d="M0,0 L10,0 L10,10 Z"></svg>', "xml", "fix the markup"),
    (SVG_HEAD + '<path d="M0,0 L10,0 L10,10 Z"/><image href="x.png"/></svg>', "image", "not allowed"),
    (SVG_HEAD + '<path d="M0,0 L10,0 L10,10 Z"/><text class="mark">C7</text></svg>', "text", "needs numeric x and y"),
    (SVG_HEAD + '<path class="hatch" d="M0,0 L10,0 L10,10 Z"/></svg>', "class", "is not one of"),
    (SVG_HEAD + '<path d="M0,0 Lfoo Z"/></svg>', "d", "cannot be parsed"),
])
def test_bad_silhouettes(svg_copy, body, field, fragment):
    (svg_copy / "hand.svg").write_text(body, encoding="utf-8")
    problems = problems_of(svg_copy.parent)
    assert any("hand.svg" in p and f": {field}: " in p and fragment in p for p in problems), problems


def test_own_silhouette_is_used_and_checked(svg_copy):
    # A data folder may bring its own silhouette; placements are checked against it.
    (svg_copy / "hand.svg").write_text(SVG_HEAD + '<path d="M0,0 L20,0 L20,20 L0,20 Z"/></svg>', encoding="utf-8")
    problems = problems_of(svg_copy.parent)
    assert any("placements.csv" in p and "outside the hand outline" in p for p in problems), problems


def test_missing_data_folder(tmp_path):
    problems = problems_of(tmp_path / "nowhere")
    assert "does not exist" in problems[0]


def test_unreadable_table(data_copy):
    (data_copy / "cautions.csv").unlink()
    (data_copy / "cautions.csv").mkdir()  # unreadable as a file, whoever runs the test
    assert_reported(problems_of(data_copy), "cautions.csv", None, "file", "is missing")


def _append(path, header_and_rows):
    header, rows = read_rows(path)
    rows.extend(header_and_rows)
    write_rows(path, header, rows)
    return len(rows) + 1


def test_anchor_must_match_its_landmark(data_copy, atlas):
    l2 = atlas.landmarks["back"]["L2"]
    _append(data_copy / "landmarks.csv", [dict(view="back", landmark="L2-test", x=f"{l2.x:g}", y=f"{l2.y:g}",
                                               cun=f"{l2.cun:g}", description="")])
    header, rows = read_rows(data_copy / "placements.csv")
    right = row_line(rows, lambda r: r["point"] == "BL23" and r["view"] == "back" and r["side"] == "right")
    x = float(rows[right - 2]["x"])
    # Back view: the patient's right is on the viewer's right, so across runs towards +x.
    rows[right - 2].update(landmark="L2-test", across=f"{(x - l2.x) / l2.cun:.4f}", down="0")
    left = row_line(rows, lambda r: r["point"] == "BL52" and r["view"] == "back" and r["side"] == "left")
    rows[left - 2].update(landmark="L2-test", across="1", down="0")
    rows[0].update(landmark="nowhere", across="1", down="0")
    write_rows(data_copy / "placements.csv", header, rows)
    problems = problems_of(data_copy)
    assert not any(f"placements.csv:{right}:" in p for p in problems), problems
    assert_reported(problems, "placements.csv", left, "x", "does not match its anchor (L2-test 1 across, 0 down)")
    assert_reported(problems, "placements.csv", 2, "landmark", "'nowhere' is not a landmark of the")


def test_channel_order_rule(data_copy):
    line = _append(data_copy / "channel_order.csv", [
        dict(meridian="BL", view="back", first="BL23", last="BL25", direction="down"),
        dict(meridian="BL", view="back", first="BL23", last="BL25", direction="up"),
        dict(meridian="BL", view="back", first="BL25", last="BL23", direction="down"),
        dict(meridian="GB", view="side", first="GB6", last="GB10", direction="outward"),
    ])
    problems = problems_of(data_copy)
    assert not any(f"channel_order.csv:{line - 3}:" in p for p in problems), problems
    assert_reported(problems, "channel_order.csv", line - 2, "direction", "BL25")
    assert_reported(problems, "channel_order.csv", line - 1, "last", "must come after BL25")
    assert_reported(problems, "channel_order.csv", line, "direction", "needs a front or back view")


def test_pathway_rows(data_copy):
    line = _append(data_copy / "pathways.csv", [
        dict(meridian="BL", view="back", side="right", line="1", seq="1", point="BL23"),
        dict(meridian="BL", view="back", side="right", line="1", seq="2", point="BL25"),
        dict(meridian="BL", view="back", side="right", line="2", seq="1", x="5", y="5"),
        dict(meridian="BL", view="back", side="right", line="2", seq="2", point="GB30"),
        dict(meridian="BL", view="back", side="left", line="3", seq="1", point="BL62"),
    ])
    problems = problems_of(data_copy)
    assert not any(f"pathways.csv:{line - 4}:" in p or f"pathways.csv:{line - 3}:" in p for p in problems), problems
    assert_reported(problems, "pathways.csv", line - 2, "x", "outside the back outline")
    assert_reported(problems, "pathways.csv", line - 1, "point", "'GB30' is not a point of BL")
    assert_reported(problems, "pathways.csv", line, "point", "BL62 has no left placement on back")


def test_group_points_need_parts(data_copy):
    header, rows = read_rows(data_copy / "points.csv")
    rows.append(dict(code="EX-UE9", meridian="EX", number="", pinyin="Ba Xie", hanzi="八邪", english="Eight Pathogens",
                     laterality="group", location="Hand webs.", how_to_find="Between the knuckles."))
    write_rows(data_copy / "points.csv", header, rows)
    line = _append(data_copy / "placements.csv", [
        dict(point="EX-UE9", view="hand", x="250", y="350", side="right", accuracy="illustrative", part=""),
        dict(point="BL23", view="hand", x="250", y="350", side="right", accuracy="illustrative", part="2"),
    ])
    problems = problems_of(data_copy)
    assert_reported(problems, "placements.csv", line - 1, "part", "is a group point")
    assert_reported(problems, "placements.csv", line, "part", "is a single point")


def test_condition_without_links(data_copy):
    line = _append(data_copy / "conditions.csv", [dict(id="hiccough", name="Hiccough", group="digestion",
                                                        description="")])
    assert_reported(problems_of(data_copy), "conditions.csv", line, "id", "'hiccough' has no condition links")
