"""The 3D view: the scene's figure, its routes, and the page that draws it (real Chromium, WebGL in
software through SwiftShader)."""

from __future__ import annotations

import gzip
import json
import re

import numpy as np
import pytest

from bodymap import load_atlas, query
from bodymap.app import create_app
from bodymap.app.state import export_spec, parse_query, to_query
from bodymap.scene import LIFT_CM, body_spots, channel_paths, scene_figure
from conftest import running_server


@pytest.fixture(scope="module")
def figure(atlas):
    return scene_figure(atlas)


def _skin_distance(atlas, xyz):
    import trimesh

    mesh = trimesh.Trimesh(atlas.body.vertices, atlas.body.faces, process=False)
    return trimesh.proximity.closest_point(mesh, np.asarray(xyz, dtype=float))[1]


def _inside(atlas, xyz):
    """Whether each of ``xyz`` is more than 3 mm under the skin (behind the nearest triangle's face)."""
    import trimesh

    mesh = trimesh.Trimesh(atlas.body.vertices, atlas.body.faces, process=False)
    xyz = np.asarray(xyz, dtype=float)
    closest, distance, triangles = trimesh.proximity.closest_point(mesh, xyz)
    below = ((xyz - closest) * atlas.body.normals[triangles]).sum(axis=1) < 0
    return below & (distance > 0.3)


def _body_frame(drawn):
    """The figure's (x, -z, y) back to the body's (x, y, z)."""
    drawn = np.asarray(drawn, dtype=float)
    return np.column_stack([drawn[:, 0], drawn[:, 2], -drawn[:, 1]])


def _markers(figure, atlas):
    rows = []
    for trace in figure.data:
        if trace.meta and trace.meta["kind"] == "points":
            for code, x, y, z, hover, meridian, colour in zip(trace.customdata, trace.x, trace.y, trace.z,
                                                              trace.hovertext, trace.meta["meridians"],
                                                              trace.marker.color):
                assert colour == atlas.meridians[meridian].colour
                rows.append((code, (x, y, z), hover, meridian))
    return rows


def test_the_scene_has_the_skin_every_point_and_the_channels(figure, atlas):
    kinds = [t.meta["kind"] for t in figure.data]
    assert kinds.count("skin") == 1 and kinds.count("selected") == 1
    skin = figure.data[kinds.index("skin")]
    assert skin.type == "mesh3d" and len(skin.i) > 10_000 and len(skin.x) > 5_000
    markers = _markers(figure, atlas)
    # Every point drawn on a view has a spot on the body, once per side (and part).
    placed = {code for code, p in atlas.points.items() if any(pl.xyz is not None for pl in p.placements)}
    assert {code for code, *_ in markers} == placed == set(atlas.points)
    assert len(markers) == len(body_spots(atlas))
    for code, _, hover, meridian in markers:
        assert atlas.points[code].meridian == meridian
        assert hover.startswith(f"<b>{code}</b>") and "illustrative position" in hover
    assert "⚠ caution: pregnancy" in next(h for c, _, h, _ in markers if c == "LI4")
    assert {t.meta["meridian"] for t in figure.data if t.meta["kind"] == "channel"} == set(atlas.meridians) - {"EX"}
    assert figure.layout.meta["notice"] == "Point positions are illustrative, not anatomical."


def test_markers_sit_on_the_skin_at_their_spots(figure, atlas):
    markers = _markers(figure, atlas)
    xyz = _body_frame([m[1] for m in markers])
    distance = _skin_distance(atlas, xyz)
    # Just outside the skin; in a crease (between toes) a neighbouring surface may come closer.
    assert np.all(distance < 2 * LIFT_CM + 0.05) and np.mean(np.abs(distance - LIFT_CM) < 0.05) > 0.95
    # Each spot is where the point's placements on the drawn views meet the skin.
    spots = {(s.code, s.side, s.part): s.xyz for s in body_spots(atlas)}
    for code, point in atlas.points.items():
        for placement in point.placements:
            if placement.xyz is not None and not atlas.views[placement.view].region_of:
                gap = np.linalg.norm(np.asarray(placement.xyz) - spots[(code, placement.side, placement.part)])
                assert gap < 2.0, (code, placement.view, gap)


def test_left_and_right_are_the_patients(atlas):
    spots = {(s.code, s.side): s.xyz for s in body_spots(atlas) if not s.part}
    # The body's x runs to the patient's left; a front view shows it on the viewer's right.
    for code in ("LU1", "ST36", "GB30", "BL23"):
        assert spots[(code, "left")][0] > 0 > spots[(code, "right")][0]
    assert abs(spots[("CV12", "midline")][0]) < 0.5 and abs(spots[("GV14", "midline")][0]) < 0.5
    assert spots[("CV12", "midline")][2] > spots[("GV4", "midline")][2]  # the front is +z


def test_channel_lines_follow_the_skin(atlas):
    """No stretch of a channel cuts through the body: every sample lies on the skin, give or take
    the lift, and no point between two samples is under it."""
    checked = 0
    for meridian in atlas.meridians:
        for path in channel_paths(atlas, meridian):
            assert len(path) >= 2
            steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
            assert steps.max() < 6.0, (meridian, steps.max())
            middles = (path[1:] + path[:-1]) / 2
            assert np.all(_skin_distance(atlas, path) < 2 * LIFT_CM + 0.05)
            assert steps.min() > 0
            quarters = np.concatenate([path[:-1] * (1 - t) + path[1:] * t for t in (0.25, 0.5, 0.75)])
            assert not _inside(atlas, quarters).any(), meridian
            assert _skin_distance(atlas, middles).max() < 2.5, meridian
            checked += 1
    assert checked > 40


def test_a_stretch_drawn_on_several_views_is_kept_once(atlas):
    paths = channel_paths(atlas, "LU")
    ends = [tuple(np.round(p[0], 1)) for p in paths] + [tuple(np.round(p[-1], 1)) for p in paths]
    # LU1..LU11 on each side: two lines at most per side however many views draw them.
    assert 2 <= len(paths) <= 4
    assert len(ends) == len(set(ends))


def test_a_folder_without_a_body_has_no_3d_view(data_copy):
    (data_copy / "cameras.csv").unlink()
    (data_copy / "body_landmarks.csv").unlink()
    flat = load_atlas(data_copy)
    assert flat.body is None
    with pytest.raises(ValueError, match="no body"):
        scene_figure(flat)
    assert parse_query(flat, "?view=3d").notes and "3d" not in parse_query(flat, "?view=3d").views
    client = create_app(flat).server.test_client()
    assert client.get("/_bodymap/scene.json").status_code == 404
    assert b"3D body" not in client.get("/_dash-layout").data


# ---- the app's side -------------------------------------------------------------------------------


def test_3d_is_a_view_in_links_and_controls(atlas):
    state = parse_query(atlas, "?view=back,3d&condition=sciatica")
    assert state.views == ("back", "3d") and not state.notes
    assert to_query(atlas, state) == "?view=back,3d&condition=sciatica"
    layout = create_app(atlas).server.test_client().get("/_dash-layout").get_data(as_text=True)
    assert '"value": "3d"' in layout.replace('":"', '": "') or '"value":"3d"' in layout
    assert "3D body" in layout and "Turn to the selected point" in layout
    # A handout draws the 2D views: from the 3D view alone it chooses them for the points.
    assert export_spec(atlas, "?view=3d&condition=sciatica").views == ()
    assert export_spec(atlas, "?view=back,3d&condition=sciatica").views == ("back",)


def test_fit_to_points_is_in_the_link(atlas):
    state = parse_query(atlas, "?view=back&condition=sciatica&frame=points")
    assert state.fit and to_query(atlas, state) == "?view=back&condition=sciatica&frame=points"
    assert not parse_query(atlas, "?view=back&frame=body").fit
    assert "unknown frame “tight” ignored" in parse_query(atlas, "?frame=tight").notes[0]


def test_the_scene_and_bundle_load_only_when_asked(atlas):
    client = create_app(atlas).server.test_client()
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert not any("gl3d" in s or "scene.json" in s for s in scripts)
    # Only the addresses come with the page, for a link that opens the 3D view.
    assert "window.bodymapSceneUrls" in page
    urls = json.loads(re.search(r"window.bodymapSceneUrls = (\{.*?\});", page).group(1))
    response = client.get(urls["scene"], headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    scene = json.loads(gzip.decompress(response.data))
    assert scene["layout"]["meta"]["view"] == "3d" and "template" not in scene["layout"]
    plain = client.get("/_bodymap/scene.json")                 # no version: not kept for long
    assert plain.headers["Cache-Control"] == "no-cache" and json.loads(plain.data) == scene
    bundle = client.get("/_bodymap/plotly-gl3d.min.js", headers={"Accept-Encoding": "gzip"})
    assert bundle.status_code == 200 and bundle.mimetype == "text/javascript"
    assert b"plotly.js" in gzip.decompress(bundle.data)[:400]


# ---- in the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


def _drawn(page, timeout=90_000):
    page.wait_for_function("() => { const d = document.getElementById('scene-plot'); return d && d.dataset.applied; }",
                           timeout=timeout)


def _wait_markers(page, count, timeout=30_000):
    page.wait_for_function("n => window.bodymapScene && window.bodymapScene.markers() === n", arg=count,
                           timeout=timeout)


def _spots_of(atlas, codes):
    return sum(1 for s in body_spots(atlas) if s.code in set(codes))



@pytest.mark.browser
def test_the_3d_view_draws_the_body_and_the_matching_points(page3d, server, atlas):
    page3d.goto(server + "?view=3d&condition=sciatica")
    _drawn(page3d)
    expected = query(atlas, conditions=["sciatica"]).codes
    _wait_markers(page3d, _spots_of(atlas, expected))
    assert page3d.evaluate("() => window.bodymapScene.check()") == []
    # The gl3d bundle never replaced the page's own plotly.js (the basic bundle the 2D views use).
    assert page3d.evaluate("() => window.bodymapScene.plotly() !== window.Plotly")
    assert page3d.evaluate("() => typeof window.Plotly.newPlot === 'function'")
    summary = page3d.locator("#summary-3d").inner_text()
    assert summary == f"3D body: {len(expected)} points shown ({_spots_of(atlas, expected)} markers)"
    # The body is drawn: the canvas holds skin-coloured pixels, not a blank square.
    shot = page3d.locator("#scene-plot").screenshot()
    from PIL import Image
    import io

    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).reshape(-1, 3).astype(int)
    skin = np.abs(pixels - np.array([0xea, 0xdf, 0xd3])).sum(axis=1) < 60
    assert skin.mean() > 0.03
    assert page3d.get_by_text("Point positions are illustrative, not anatomical.").count() >= 1


@pytest.mark.browser
def test_a_filter_hides_markers_in_3d_without_a_new_figure(page3d, server, atlas):
    page3d.goto(server + "?view=3d,back&condition=sciatica")
    _drawn(page3d)
    requests = []
    page3d.on("request", lambda r: requests.append(r.url))
    page3d.locator("#meridian-select").get_by_text("Bladder", exact=True).click()   # untick BL
    expected = query(atlas, conditions=["sciatica"], meridians=[m for m in atlas.meridians if m != "BL"]).codes
    _wait_markers(page3d, _spots_of(atlas, expected))
    assert not any("scene.json" in url or "gl3d" in url for url in requests)
    page3d.get_by_label("Channel lines").check()
    # Lines are drawn for the meridians shown, and only for them (the others are left out of the plot).
    page3d.wait_for_function("""() => document.getElementById('scene-plot').data.some(
        t => t.meta && t.meta.kind === 'channel' && t.visible !== false)""")
    visible = page3d.evaluate("""() => document.getElementById('scene-plot').data
        .filter(t => t.meta && t.meta.kind === 'channel' && t.visible !== false).map(t => t.meta.meridian)""")
    assert "BL" not in visible and set(visible) == {atlas.points[c].meridian for c in expected} - {"EX"}
    page3d.get_by_label("Channel lines").uncheck()
    page3d.wait_for_function("""() => !document.getElementById('scene-plot').data.some(
        t => t.meta && t.meta.kind === 'channel')""")


@pytest.mark.browser
def test_a_click_in_3d_selects_and_the_camera_turns_to_it(page3d, server, atlas):
    page3d.goto(server + "?view=3d,front&search=CV12")
    _drawn(page3d)
    _wait_markers(page3d, 1)
    page3d.locator("[data-camera='front']").click()
    page3d.wait_for_timeout(500)
    x, y = page3d.evaluate("() => window.bodymapScene.locate('CV12')")
    page3d.mouse.move(x, y)
    # A press as long as a hand's: plotly's 3D view reads the click from a frame drawn while
    # the button is down (an instant down-and-up between two frames is no click to it).
    page3d.mouse.down()
    page3d.wait_for_timeout(250)
    page3d.mouse.up()
    page3d.locator("#point-details").get_by_text("Zhong Wan").first.wait_for()
    page3d.wait_for_function("() => location.search.includes('point=CV12')")
    # The ring is drawn round it in 3D, and the camera turns to look at it.
    page3d.wait_for_function("() => document.getElementById('scene-plot').data.some("
                             "t => t.meta && t.meta.kind === 'selected' && t.x.length === 1)")
    turn = page3d.locator("#scene-turn")
    assert turn.is_enabled()
    turn.click()
    page3d.wait_for_function("() => Math.abs(window.bodymapScene.camera().center.z) > 0.01")
    centre = page3d.evaluate("() => window.bodymapScene.camera().center")
    # CV12 is on the front midline above the navel: the camera looks at a point on the front, centred.
    assert abs(centre["x"]) < 0.02 and centre["y"] < 0
    x2, y2 = page3d.evaluate("() => window.bodymapScene.locate('CV12')")
    box = page3d.locator("#scene-plot").bounding_box()
    assert abs(x2 - (box["x"] + box["width"] / 2)) < box["width"] * 0.1


@pytest.mark.browser
def test_fit_to_points_zooms_each_view_and_back(page3d, server, atlas):
    page3d.goto(server + "?view=back&condition=lower-back-pain&meridian=BL&frame=points")
    page3d.wait_for_function("() => document.querySelector('#panel-back.is-painted')")
    page3d.wait_for_function("() => { const g = document.querySelector('#graph-back .js-plotly-plot');"
                             " return g && g.layout.xaxis.range[1] - g.layout.xaxis.range[0] < 300; }")
    x0, x1 = page3d.evaluate("() => document.querySelector('#graph-back .js-plotly-plot').layout.xaxis.range")
    layer = atlas.layers["back"]
    codes = set(query(atlas, conditions=["lower-back-pain"], meridians=["BL"]).codes)
    xs = [x for code, (x, _) in zip(layer.codes, layer.xy) if code in codes]
    assert x0 < min(xs) and x1 > max(xs)
    assert page3d.get_by_label("Fit to points").is_checked()
    page3d.get_by_label("Fit to points").uncheck()
    page3d.wait_for_function("() => !location.search.includes('frame=points')")
    page3d.wait_for_function("() => { const g = document.querySelector('#graph-back .js-plotly-plot');"
                             " return g.layout.xaxis.range[1] - g.layout.xaxis.range[0] > 400; }")
    page3d.go_back()
    page3d.wait_for_function("() => location.search.includes('frame=points')")
    page3d.wait_for_function("() => { const g = document.querySelector('#graph-back .js-plotly-plot');"
                             " return g.layout.xaxis.range[1] - g.layout.xaxis.range[0] < 300; }")
