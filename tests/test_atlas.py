"""The built-in atlas: complete, calibrated, and in anatomical order."""

import re

import numpy as np
import pytest

from bodymap import query

CHANNELS = dict(LU=11, LI=20, ST=45, SP=21, HT=9, SI=19, BL=67, KI=27, PC=9, TE=23, GB=44, LR=14, GV=28, CV=24)
CLOSE_UPS = ("hand", "leg", "foot", "head", "head-side")
# A marker's diameter at the default figure size, in SVG units of a close-up view.
MARKER_UNITS = 7


def test_all_361_who_points_are_there(atlas):
    codes = {c for c in atlas.points if re.fullmatch(r"[A-Z]{2}\d+", c)}
    assert codes == {f"{m}{n}" for m, count in CHANNELS.items() for n in range(1, count + 1)}
    assert len(codes) == 361


@pytest.mark.parametrize("code", ["EX-HN3", "EX-HN5", "EX-HN1", "EX-HN4", "EX-HN8", "ANMIAN", "EX-B2", "EX-B1",
                                  "EX-B7", "EX-B8", "EX-UE7", "EX-UE8", "EX-UE9", "EX-UE11", "EX-LE2", "EX-LE5",
                                  "EX-LE6", "EX-LE7", "EX-LE10", "LINGGU"])
def test_teaching_extra_points_are_there_and_placed(atlas, code):
    point = atlas.points[code]
    assert point.meridian == "EX" and point.placements and point.location and point.how_to_find


def test_each_point_is_measured_on_one_view_and_seen_on_the_others(atlas):
    """A point is anchored to landmarks on one view (both sides of it on a front or back view); every
    other placement is where another view sees that spot on the body."""
    for point in atlas.points.values():
        anchored = {}
        # Regions are framings of a view: their placements are that view's.
        for placement in (p for p in point.placements if not atlas.views[p.view].region_of):
            if placement.anchor is not None:
                anchored.setdefault(placement.part, set()).add(placement.view)
            else:
                assert atlas.views[placement.view].cameras, (point.code, placement.view)
        for part in {p.part for p in point.placements}:
            assert len(anchored.get(part, ())) == 1, (point.code, part, anchored.get(part))


def test_landmark_relations_hold(atlas):
    def on(code, view, side):
        return next(p for p in atlas.points[code].placements if p.view == view and p.side == side)

    axis = atlas.views["back"].silhouette.axis_x
    bl23, bl52, gv4 = on("BL23", "back", "right"), on("BL52", "back", "right"), on("GV4", "back", "midline")
    assert bl23.y == pytest.approx(gv4.y, abs=1) == pytest.approx(bl52.y, abs=1)
    assert bl52.x - axis == pytest.approx(2 * (bl23.x - axis), rel=0.02)
    inner = [on(f"BL{n}", "back", "left").y for n in range(11, 31)]
    assert inner == sorted(inner)
    leg = [on(f"GB{n}", "side", "right").y for n in range(30, 41) if any(
        p.view == "side" for p in atlas.points[f"GB{n}"].placements)]
    # Down the leg; GB35 and GB36 share a level (7 cun above the malleolus).
    assert all(lower >= upper - 1 for upper, lower in zip(leg, leg[1:])), leg


def test_full_body_views_show_what_faces_them(atlas):
    views_of = {code: {p.view for p in point.placements} for code, point in atlas.points.items()}
    assert {"back", "side"} <= views_of["GB30"]
    assert {"front", "side", "leg"} <= views_of["ST36"]
    assert "foot" in views_of["KI1"]
    assert {"head", "head-side"} & views_of["GB14"]


@pytest.mark.parametrize("view", CLOSE_UPS)
def test_close_ups_keep_points_a_marker_apart(atlas, view):
    layer = atlas.layers[view]
    distance = np.hypot(*(layer.xy[:, None, :] - layer.xy[None, :, :]).transpose(2, 0, 1))
    for i, j in zip(*np.nonzero(distance < MARKER_UNITS)):
        a, b = layer.codes[i], layer.codes[j]
        if i < j and a != b:
            # Only an extra point sitting exactly on a channel point (Xiyan on ST35) may share a spot.
            assert distance[i, j] < 0.5 and "EX" in (atlas.points[a].meridian, atlas.points[b].meridian), (a, b)


def test_channels_have_pathways_on_every_full_body_view(atlas):
    for meridian in CHANNELS:
        views = {p.view for p in atlas.pathways[meridian]}
        assert views & {"front", "back", "side"}, meridian


def test_every_condition_link_cites_a_listed_source(atlas):
    assert all(link.source in atlas.sources for link in atlas.links)
    for condition in ("insomnia", "nausea-and-vomiting", "menstrual-pain", "headache", "constipation", "cough"):
        assert query(atlas, conditions=[condition]).codes, condition
