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


def test_teaching_extras_outside_the_who_list_say_so(atlas):
    outside = {code for code, point in atlas.points.items() if not point.who_standard}
    assert outside == {"ANMIAN", "LINGGU"}
    assert "Master Tung" in atlas.points["LINGGU"].outside_who
    assert "WHO" in atlas.points["ANMIAN"].outside_who


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

