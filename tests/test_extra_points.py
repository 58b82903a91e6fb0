"""All 48 WHO extra points, and the two taught extras that are outside WHO's list."""

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from bodymap import query
from bodymap.app import details
from bodymap.app.catalogue import build as build_catalogue
from bodymap.cli import main
from bodymap.codes import is_who_extra, who_extra_codes
from bodymap.handout import HandoutSpec, render_handout
from conftest import read_rows, row_line, write_rows
from test_validation import assert_reported, problems_of

ADDED = ("EX-HN2", "EX-HN6", "EX-HN7", "EX-HN9", "EX-HN10", "EX-HN11", "EX-HN12", "EX-HN13", "EX-HN15", "EX-B3",
         "EX-B4", "EX-B5", "EX-B6", "EX-B9", "EX-UE2", "EX-UE3", "EX-UE4", "EX-UE5", "EX-UE6", "EX-LE1", "EX-LE3",
         "EX-LE8", "EX-LE9", "EX-LE11", "EX-LE12")


def test_who_list_has_48_codes():
    codes = who_extra_codes()
    assert len(codes) == 48 == len(set(codes))
    assert codes[0] == "EX-HN1" and "EX-CA1" in codes and "EX-B9" in codes and codes[-1] == "EX-LE12"
    assert not is_who_extra("EX-HN16") and not is_who_extra("EX-CA2") and not is_who_extra("ANMIAN")


def test_all_48_who_extra_points_are_there_named_described_and_placed(atlas):
    extras = {code for code, point in atlas.points.items() if point.meridian == "EX"}
    assert set(who_extra_codes()) <= extras
    assert len(ADDED) == 25 and set(ADDED) <= extras
    for code in who_extra_codes():
        point = atlas.points[code]
        assert point.pinyin and point.hanzi and point.english and point.location and point.how_to_find, code
        # Measured from landmarks on one view; the other views show where they see that spot.
        assert point.placements and any(p.anchor is not None for p in point.placements), code
        assert point.who_standard and not point.outside_who, code


def test_teaching_extras_outside_the_who_list_say_so(atlas):
    outside = {code for code, point in atlas.points.items() if not point.who_standard}
    assert outside == {"ANMIAN", "LINGGU"}
    assert "Master Tung" in atlas.points["LINGGU"].outside_who
    assert "WHO" in atlas.points["ANMIAN"].outside_who


def test_placements_follow_the_landmarks(atlas):
    def at(code, view, side="right", part=""):
        return next(p for p in atlas.points[code].placements if p.view == view and p.side == side and p.part == part)

    # Bai Chong Wo lies 1 cun straight above SP10 (front view, the thigh's cun).
    thigh = atlas.landmarks["front"]["patella-base"].cun
    assert at("EX-LE3", "front").x == at("SP10", "front").x
    assert at("SP10", "front").y - at("EX-LE3", "front").y == pytest.approx(thigh, abs=0.2)
    # Kuan Gu: one part each side of ST34, level with it, 1.5 cun away; the outer one where the
    # thigh's edge is drawn, which on this body comes a little sooner.
    st34 = at("ST34", "front")
    medial, lateral = at("EX-LE1", "front", part="medial"), at("EX-LE1", "front", part="lateral")
    assert medial.y == lateral.y == st34.y
    assert abs(medial.x - st34.x) == pytest.approx(1.5 * thigh, abs=0.2)
    assert 1.3 * thigh <= abs(lateral.x - st34.x) <= 1.5 * thigh + 0.2
    assert np.linalg.norm(np.subtract(lateral.xyz, st34.xyz)) > 2.5  # cm, on the skin
    # Wei Wan Xia Shu sits on the inner bladder line between BL17 and BL18.
    assert at("BL17", "back").y < at("EX-B3", "back").y < at("BL18", "back").y
    assert at("EX-B3", "back").x == at("BL17", "back").x
    # Dang Yang is above the pupil, one cun inside the hairline: level with GV23, above GB15.
    assert at("EX-HN2", "head").x == at("GB15", "head").x and at("EX-HN2", "head").y < at("GB15", "head").y
    # Zhong Quan lies on the dorsal wrist crease between LI5 and TE4.
    li5, te4, zq = at("LI5", "hand"), at("TE4", "hand"), at("EX-UE3", "hand")
    assert zq.y == li5.y == te4.y and li5.x < zq.x < te4.x


def test_one_sided_and_group_points(atlas):
    assert {p.side for p in atlas.points["EX-HN12"].placements} == {"left"}
    assert {p.side for p in atlas.points["EX-HN13"].placements} == {"right"}
    assert atlas.points["EX-HN12"].laterality == "left" and not atlas.points["EX-HN12"].bilateral
    parts = {(p.view, p.part) for p in atlas.points["EX-LE12"].placements}
    assert {("foot", str(n)) for n in range(1, 6)} <= parts and {("front", str(n)) for n in range(1, 6)} <= parts
    assert {p.part for p in atlas.points["EX-UE2"].placements} == {"radial", "ulnar"}
    assert {p.part for p in atlas.points["EX-LE1"].placements} == {"lateral", "medial"}
    front = [p for p in atlas.points["EX-LE12"].placements if p.view == "front"]
    assert len(front) == 10  # five toes on each foot


def test_close_up_points_stay_inside_the_outline(atlas):
    for code in ADDED:
        for placement in atlas.points[code].placements:
            view = atlas.views[placement.view]
            # On the drawn outline counts (a point inside the mouth is drawn on the lips' profile).
            assert view.silhouette.contains(np.array([[placement.x, placement.y]]), edge=1.0)[0], (code, placement.view)


def test_cautions_where_traditional(atlas):
    assert [c.kind for c in atlas.points["EX-HN7"].cautions] == ["deep-needling"]
    assert "bleed" in atlas.points["EX-HN9"].cautions[0].text
    assert "Bai Lao" in [a.code for a in atlas.points["EX-HN15"].aliases]


def test_search_finds_new_points_by_name_and_alias(atlas):
    assert query(atlas, search="Qiu Hou").codes == ("EX-HN7",)
    assert query(atlas, search="球后").codes == ("EX-HN7",)
    assert "EX-HN15" in query(atlas, search="Bai Lao").codes
    assert "EX-B3" in query(atlas, search="Yi Shu").codes


def test_outside_who_is_shown_everywhere_the_point_is(atlas, capsys):
    assert "outside the WHO list" in str(details.render(atlas, "LINGGU"))
    assert "outside the WHO list" not in str(details.render(atlas, "EX-HN7"))
    assert main(["points", "--search", "LINGGU", "--format", "json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["who_standard"] is False and "Master Tung" in record["outside_who"]
    assert main(["points", "--search", "EX-HN12", "--format", "json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["who_standard"] is True and record["outside_who"] is None and record["laterality"] == "left"
    catalogue = build_catalogue(atlas)
    assert "outside the WHO list" in catalogue["badges"][catalogue["codes"].index("ANMIAN")]
    svg = render_handout(atlas, HandoutSpec(points=("LINGGU", "LI4"), views=("hand",), format="svg"))
    text = " ".join("".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "outside the WHO list" in text


# ---- broken data -------------------------------------------------------------------------------


def test_outside_who_checks(data_copy):
    path = data_copy / "points.csv"
    header, rows = read_rows(path)
    for row in rows:
        if row["code"] == "ANMIAN":
            row["outside_who"] = ""
        if row["code"] == "EX-HN3":
            row["outside_who"] = "Not WHO."
        if row["code"] == "BL23":
            row["outside_who"] = "Not WHO."
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    assert_reported(problems, "points.csv", row_line(rows, lambda r: r["code"] == "ANMIAN"), "outside_who",
                    "not one of WHO's 48 extra points")
    assert_reported(problems, "points.csv", row_line(rows, lambda r: r["code"] == "EX-HN3"), "outside_who",
                    "is a WHO point")
    assert_reported(problems, "points.csv", row_line(rows, lambda r: r["code"] == "BL23"), "outside_who",
                    "is a WHO point")


def test_code_that_only_looks_like_a_who_extra(data_copy):
    path = data_copy / "points.csv"
    header, rows = read_rows(path)
    anmian = next(r for r in rows if r["code"] == "ANMIAN")
    rows.append(dict(anmian, code="EX-HN16"))
    write_rows(path, header, rows)
    assert_reported(problems_of(data_copy), "points.csv", len(rows) + 1, "code", "written like a WHO code")


def test_one_sided_point_takes_only_its_side(data_copy):
    path = data_copy / "placements.csv"
    header, rows = read_rows(path)
    jinjin = next(r for r in rows if r["point"] == "EX-HN12" and r["view"] == "head")
    rows.append(dict(jinjin, side="right", x=f"{400 - float(jinjin['x']):.1f}"))
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    assert_reported(problems, "placements.csv", len(rows) + 1, "side", "lies on the patient's left only")
    # The left placement on its own is fine: a one-sided point has no mirror image to miss.
    assert not any("EX-HN12 is bilateral" in p for p in problems)
