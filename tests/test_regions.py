"""Regional views (framings of a drawn view) and handouts framed on their points."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from bodymap import load_atlas
from bodymap.app import create_app
from bodymap.cli import main
from bodymap.handout import HandoutSpec, handout_pages, render_handout, select
from bodymap.handout.svg import text_width
from conftest import read_rows, write_rows

NS = "{http://www.w3.org/2000/svg}"
REGIONS = ("upper-back", "lower-back", "neck-shoulder", "knee")


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


# ---- regions ------------------------------------------------------------------------------------


def test_regions_are_views_framing_a_drawn_view(atlas):
    for rid in REGIONS:
        region = atlas.views[rid]
        base = atlas.views[region.region_of]
        assert not base.region_of
        bx, by, bw, bh = base.silhouette.view_box
        x, y, w, h = region.silhouette.view_box
        assert bx <= x and by <= y and x + w <= bx + bw and y + h <= by + bh
        assert w * h < 0.4 * bw * bh, rid          # a close-up, not the whole figure again
        assert region.silhouette.file == base.silhouette.file      # the same drawing
        assert region.silhouette.outline_path == base.silhouette.outline_path
        # The region's points are exactly the base view's points inside its box, at the same places.
        inside = {(c, s, round(float(px), 3), round(float(py), 3))
                  for c, s, (px, py) in zip(atlas.layers[base.id].codes, atlas.layers[base.id].sides,
                                            atlas.layers[base.id].xy)
                  if x <= px <= x + w and y <= py <= y + h}
        shown = {(c, s, round(float(px), 3), round(float(py), 3))
                 for c, s, (px, py) in zip(atlas.layers[rid].codes, atlas.layers[rid].sides, atlas.layers[rid].xy)}
        assert shown == inside and len(shown) >= 6, rid


def test_regions_frame_what_they_promise(atlas):
    marks = atlas.landmarks["back"]

    def within(rid, *names):
        x, y, w, h = atlas.views[rid].silhouette.view_box
        for name in names:
            assert x <= marks[name].x <= x + w and y <= marks[name].y <= y + h, (rid, name)

    within("upper-back", "C7", "inferior-angle-scapula", "acromial-angle")
    within("lower-back", "T10", "gluteal-fold-midpoint", "greater-trochanter", "psis")
    within("neck-shoulder", "eop-upper-border", "acromial-angle")
    # The lower back reaches from above T10 to below the buttocks, but not up to the shoulders.
    x, y, w, h = atlas.views["lower-back"].silhouette.view_box
    assert y > marks["C7"].y and y + h > marks["gluteal-fold-midpoint"].y
    lower = set(atlas.layers["lower-back"].codes)
    assert {"BL23", "BL25", "GV4", "BL54", "GB30"} <= lower and "GB21" not in lower
    assert {"ST35", "ST36", "EX-LE4", "EX-LE2", "SP9"} <= set(atlas.layers["knee"].codes)
    assert set(atlas.layers["knee"].sides) == {"right"}          # the patient's right knee only


def test_regions_in_the_cli_urls_and_handouts(atlas, capsys, tmp_path):
    assert main(["views"]) == 0
    listing = capsys.readouterr().out
    for rid in REGIONS:
        assert rid in listing
    assert main(["points", "--view", "lower-back", "--condition", "lower-back-pain"]) == 0
    assert "BL23" in capsys.readouterr().out
    output = tmp_path / "lower.svg"
    assert main(["export", "--views", "lower-back", "--condition", "lower-back-pain", "--no-table",
                 "--output", str(output)]) == 0
    assert "Lower back" in output.read_text() and "BL23" in output.read_text()
    client = create_app(atlas).server.test_client()
    response = client.get("/_bodymap/export?view=lower-back&condition=sciatica&format=svg&table=0")
    assert response.status_code == 200
    assert "Lower back" in response.get_data(as_text=True)


def test_region_problems_name_the_row(data_copy):
    from test_validation import problems_of, assert_reported

    path = data_copy / "regions.csv"
    header, rows = read_rows(path)
    rows.append(dict(rows[0], id="back"))                                     # clashes with a view
    rows.append(dict(rows[0], id="hips", view="sideways"))                     # unknown view
    rows.append(dict(rows[0], id="hips2", landmarks="C7 navel"))               # not a landmark of the view
    rows.append(dict(rows[0], id="hips3", sides="middle"))
    rows.append(dict(rows[0], id="hips4", margin="-1"))
    write_rows(path, header, rows)
    problems = problems_of(data_copy)
    n = len(rows) + 1
    assert_reported(problems, "regions.csv", n - 4, "id", "already a view")
    assert_reported(problems, "regions.csv", n - 3, "view", "sideways")
    assert_reported(problems, "regions.csv", n - 2, "landmarks", "'navel' is not a landmark of the back view")
    assert_reported(problems, "regions.csv", n - 1, "sides", "not one of")
    assert_reported(problems, "regions.csv", n, "margin", "0 or more")


# ---- framing ------------------------------------------------------------------------------------


def _markers(svg: str) -> dict[str, list[tuple[float, float]]]:
    """Marker centres by code, from a handout page."""
    found: dict[str, list[tuple[float, float]]] = {}
    for group in ET.fromstring(svg).iter(NS + "g"):
        title = group.find(NS + "title")
        if title is not None and group.get("transform", "").startswith("translate("):
            x, y = map(float, re.match(r"translate\(([-\d.]+),([-\d.]+)\)", group.get("transform")).groups())
            found.setdefault(title.text, []).append((x, y))
    return found


def _clip_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    root = ET.fromstring(svg)
    return [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in root.iter(NS + "rect")
            if r.get("id") is None and any(c is r for cp in root.iter(NS + "clipPath") for c in cp)]


def test_five_lower_back_points_fill_the_figure(atlas):
    codes = ("BL23", "BL25", "GV4", "BL52", "BL54")
    framed = handout_pages(atlas, select(atlas, HandoutSpec(points=codes, views=("back",), format="svg")))[0]
    whole = handout_pages(atlas, select(atlas, HandoutSpec(points=codes, views=("back",), format="svg",
                                                            frame="body")))[0]
    (fx, fy, fw, fh), = _clip_boxes(framed)

    def spread(svg):
        xy = [p for points in _markers(svg).values() for p in points]
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        return max(xs) - min(xs), max(ys) - min(ys)

    width, height = spread(framed)
    # The points fill the figure (less the two-cun margin), not a band across a whole body.
    assert max(width / fw, height / fh) > 0.6
    whole_width, whole_height = spread(whole)
    assert width > 2 * whole_width and height > 2 * whole_height


def test_lower_back_points_framed_without_bl40(atlas):
    codes = ("BL23", "BL25", "GV4", "BL52", "GV3")
    page = handout_pages(atlas, select(atlas, HandoutSpec(points=codes, views=("back",), format="svg")))[0]
    (fx, fy, fw, fh), = _clip_boxes(page)
    xy = [p for points in _markers(page).values() for p in points]
    assert len(xy) == 8                                 # BL23, BL25, BL52 on both sides; GV3, GV4 once
    for x, y in xy:
        assert fx <= x <= fx + fw and fy <= y <= fy + fh
    assert max(y for _, y in xy) - min(y for _, y in xy) > 0.3 * fh or \
        max(x for x, _ in xy) - min(x for x, _ in xy) > 0.3 * fw


def test_body_frame_shows_the_whole_view(atlas):
    spec = HandoutSpec(points=("BL23",), views=("back",), format="svg", frame="body")
    page = handout_pages(atlas, select(atlas, spec))[0]
    (fx, fy, fw, fh), = _clip_boxes(page)
    vx, vy, vw, vh = atlas.views["back"].silhouette.view_box
    assert abs(fw / fh - vw / vh) < 0.01


def _number_boxes(svg: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    boxes = []
    for text in ET.fromstring(svg).iter(NS + "text"):
        if text.get("class") != "number":
            continue
        x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
        width = text_width(text.text, size)
        left = {"start": x, "end": x - width, "middle": x - width / 2}[text.get("text-anchor", "start")]
        boxes.append((text.text, (left, y - 0.72 * size, left + width, y + 0.05 * size)))
    return boxes


@pytest.mark.parametrize("frame", ["points", "body"])
def test_no_two_labels_on_a_handout_overlap(atlas, frame):
    checked = 0
    for cid in atlas.conditions:
        spec = HandoutSpec(conditions=(cid,), format="svg", frame=frame)
        page = handout_pages(atlas, select(atlas, spec))[0]
        boxes = _number_boxes(page)
        assert boxes, cid
        for (a, (ax0, ay0, ax1, ay1)), (b, (bx0, by0, bx1, by1)) in itertools.combinations(boxes, 2):
            overlap = min(ax1, bx1) - max(ax0, bx0), min(ay1, by1) - max(ay0, by0)
            assert overlap[0] <= 0.05 or overlap[1] <= 0.05, f"{cid}: labels {a} and {b} overlap"
        checked += 1
    assert checked == len(atlas.conditions)


def test_crowded_labels_get_leader_lines(atlas):
    """The lower back on a whole body crowds its numbers: some move out, each joined to its marker."""
    spec = HandoutSpec(conditions=("lower-back-pain",), views=("back",), format="svg", frame="body")
    page = handout_pages(atlas, select(atlas, spec))[0]
    leaders = [line for line in ET.fromstring(page).iter(NS + "line") if line.get("stroke-width") == "0.4"]
    assert leaders
    centres = [p for points in _markers(page).values() for p in points]
    for line in leaders:
        start = float(line.get("x1")), float(line.get("y1"))
        assert min((start[0] - x) ** 2 + (start[1] - y) ** 2 for x, y in centres) < 0.01


def test_a_crowded_region_gets_a_close_up(atlas):
    """Lower back pain crowds the lower back: the handout adds that close-up, outlines it on the back
    view and numbers its points there instead of in the crowd."""
    selection = select(atlas, HandoutSpec(conditions=("lower-back-pain",), format="svg"))
    assert "lower-back" in selection.views and "back" in selection.views
    page = handout_pages(atlas, selection)[0]
    root = ET.fromstring(page)
    insets = [r for r in root.iter(NS + "rect") if r.get("class") == "inset"]
    assert len(insets) == 1
    texts = [t.text for t in root.iter(NS + "text")]
    assert "see Lower back" in texts
    # A point only in the lower back (BL23) is numbered once a side: in the close-up, not on the back view.
    numbers = {code: n for n, code in enumerate(selection.result.codes, start=1)}
    labels = [t for t in root.iter(NS + "text") if t.get("class") == "number" and t.text == str(numbers["BL23"])]
    x0 = float(insets[0].get("x")) + float(insets[0].get("width"))
    assert len(labels) == 2 and all(float(t.get("x")) > x0 for t in labels)
    # A handout with the views chosen, or few points, has no close-up.
    assert select(atlas, HandoutSpec(conditions=("lower-back-pain",), views=("back",))).views == ("back",)
    assert "lower-back" not in select(atlas, HandoutSpec(conditions=("sciatica",))).views


# ---- choosing the frame ---------------------------------------------------------------------------


def test_frame_option_spec_key_and_bad_values(tmp_path, capsys, atlas):
    framed, whole = tmp_path / "framed.svg", tmp_path / "whole.svg"
    assert main(["export", "--point", "BL23", "--point", "BL25", "--view", "back", "--output", str(framed)]) == 0
    assert main(["export", "--point", "BL23", "--point", "BL25", "--view", "back", "--frame", "body",
                 "--output", str(whole)]) == 0
    assert _clip_boxes(framed.read_text()) != _clip_boxes(whole.read_text())
    spec = tmp_path / "handouts.toml"
    spec.write_text('[[handout]]\npoints = ["BL23", "BL25"]\nviews = ["back"]\nframe = "body"\n'
                    'output = "from-spec.svg"\n')
    assert main(["export", "--spec", str(spec)]) == 0
    assert _clip_boxes((tmp_path / "from-spec.svg").read_text()) == _clip_boxes(whole.read_text())
    spec.write_text('[[handout]]\npoints = ["BL23"]\nframe = "tight"\noutput = "bad.svg"\n')
    capsys.readouterr()
    assert main(["export", "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "frame 'tight' is not one of: points, body" in err and "Traceback" not in err
    assert not (tmp_path / "bad.svg").exists()
    with pytest.raises(SystemExit) as exit:
        main(["export", "--point", "BL23", "--frame", "tight", "--output", str(tmp_path / "x.svg")])
    assert exit.value.code == 2 and "invalid choice: 'tight'" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists()


# ---- pages ----------------------------------------------------------------------------------------


def test_svg_and_png_pages_are_numbered_files(tmp_path, atlas):
    pages = handout_pages(atlas, select(atlas, HandoutSpec(conditions=("lower-back-pain",), format="svg")))
    assert len(pages) >= 2
    output = tmp_path / "lbp.svg"
    assert main(["export", "--condition", "lower-back-pain", "--output", str(output)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["lbp.svg"] + [f"lbp-{k}.svg" for k in range(2, len(pages) + 1)])
    for path in tmp_path.iterdir():
        ET.fromstring(path.read_text())  # each page a whole SVG document
    assert "(continued)" in (tmp_path / "lbp-2.svg").read_text()
    png = tmp_path / "png" / "lbp.png"
    png.parent.mkdir()
    assert main(["export", "--condition", "lower-back-pain", "--output", str(png)]) == 0
    assert len(list(png.parent.glob("*.png"))) == len(pages)
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in png.parent.glob("*.png"))


def test_app_export_of_a_long_table(atlas):
    client = create_app(atlas).server.test_client()
    pdf = client.get("/_bodymap/export?condition=lower-back-pain&format=pdf")
    assert pdf.status_code == 200 and len(PdfReader(io.BytesIO(pdf.data)).pages) >= 2
    svg = client.get("/_bodymap/export?condition=lower-back-pain&format=svg")
    assert svg.status_code == 200 and svg.mimetype == "application/zip"
    assert svg.headers["Content-Disposition"] == 'attachment; filename="points-for-lower-back-pain-svg.zip"'
    names = zipfile.ZipFile(io.BytesIO(svg.data)).namelist()
    assert names[:2] == ["points-for-lower-back-pain.svg", "points-for-lower-back-pain-2.svg"]
    short = client.get("/_bodymap/export?condition=lower-back-pain&format=svg&table=0")
    assert short.mimetype == "image/svg+xml"
    whole = client.get("/_bodymap/export?condition=lower-back-pain&format=svg&table=0&frame=body")
    assert _clip_boxes(whole.get_data(as_text=True)) != _clip_boxes(short.get_data(as_text=True))
    bad = client.get("/_bodymap/export?condition=lower-back-pain&format=svg&frame=tight")
    assert bad.status_code == 400 and "frame 'tight' is not one of: points, body" in bad.get_data(as_text=True)


def test_one_page_pdf_is_a_single_page_for_short_tables(atlas):
    data = render_handout(atlas, HandoutSpec(points=("BL23", "BL40"), format="pdf"))
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
