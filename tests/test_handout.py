"""Handouts: every format opens and holds the points, the notice and the sources."""

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pypdf import PdfReader

from bodymap import query
from bodymap.cli import main
from bodymap.handout import ExportError, HandoutSpec, render_handout
from bodymap.handout.spec import select

NOTICE = "Point positions are illustrative, not anatomical."


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_handout_is_one_page_with_searchable_text(atlas):
    data = render_handout(atlas, HandoutSpec(points=("BL23", "BL40", "GB30"), format="pdf", date="2026-01-02"))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = pdf_text(data)
    for code in ("BL23", "BL40", "GB30"):
        assert code in text
    assert NOTICE in text and "2026-01-02" in text and "Sources" in text and "page 1 of" not in text


def test_every_point_is_in_the_table_across_pages(atlas):
    """A handout for lower back pain: every point in the table (the table goes on to further pages), the
    figure and legend on the first page, the notice on every page, the sources after the table."""
    expected = query(atlas, conditions=["lower-back-pain"]).codes
    assert len(expected) > 30
    data = render_handout(atlas, HandoutSpec(conditions=("lower-back-pain",), format="pdf", date="2026-01-02"))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 2
    table = " ".join(" ".join(page.split()) for page in pages)
    for number, code in enumerate(expected, start=1):
        assert f"{number} {code} " in table, code
    for k, page in enumerate(pages, start=1):
        assert NOTICE in page and f"page {k} of {len(pages)}" in page
    assert "Back" in pages[0] and "Bladder" in pages[0]  # the figure's view and the legend
    assert "Sources:" in pages[-1] and "(continued)" in pages[1]
    assert atlas.sources["pulse-back-pain"].title in " ".join(pages[-1].split())


def test_svg_handout_is_xml_with_points_notice_and_sources(atlas):
    data = render_handout(atlas, HandoutSpec(points=("GB30", "GB20", "GB34"), views=("side",), format="svg",
                                             paper="letter"))
    root = ET.fromstring(data)
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert NOTICE in text and "Sources:" in text
    assert "GB30" in text and "GB20" in text
    assert root.get("width") == "612.00pt" and root.get("height") == "792.00pt"


def test_png_handout_is_print_resolution(atlas):
    data = render_handout(atlas, HandoutSpec(points=("LI4", "LR3"), format="png", landscape=True))
    image = Image.open(io.BytesIO(data))
    assert max(image.size) >= 2400 and image.size[0] > image.size[1]


def test_handout_and_app_figure_show_the_same_points_at_the_same_positions(atlas):
    """The handout draws each view at one uniform scale: its marker positions are
    the figure's positions (the placements) moved and scaled, nothing else."""
    import re

    import numpy as np

    from bodymap import body_figure
    from bodymap.handout.svg import handout_svg

    selection = select(atlas, HandoutSpec(conditions=("sciatica",), views=("back",), format="svg"))
    root = ET.fromstring(handout_svg(atlas, selection))
    ns = "{http://www.w3.org/2000/svg}"
    drawn = []
    for group in root.iter(ns + "g"):
        if group.find(ns + "title") is None:
            continue  # the drawing's clip group
        x, y = map(float, re.match(r"translate\(([-\d.]+),([-\d.]+)\)", group.get("transform")).groups())
        drawn.append((group.find(ns + "title").text, x, y))
    figure = body_figure(atlas, "back", query(atlas, conditions=["sciatica"]))
    shown = sorted((code, x, y) for trace in figure.data for code, x, y in zip(trace.customdata, trace.x, trace.y))
    drawn.sort()
    assert [d[0] for d in drawn] == [s[0] for s in shown]
    page = np.array([d[1:] for d in drawn])
    view = np.array([s[1:] for s in shown])
    scale = (page[:, 0].max() - page[:, 0].min()) / (view[:, 0].max() - view[:, 0].min())
    offset = page - view * scale
    assert np.allclose(offset, offset[0], atol=0.05)


@pytest.mark.parametrize("spec, message", [
    (HandoutSpec(conditions=("gout",)), "unknown condition"),
    (HandoutSpec(conditions=("sciatica",), views=("ceiling",)), "unknown view"),
    (HandoutSpec(conditions=("sciatica",), meridians=("HT",)), "no points match"),
    (HandoutSpec(points=("KI1",), views=("back",)), "none of the chosen points is placed on back"),
    (HandoutSpec(conditions=("sciatica",), paper="a3"), "paper"),
    (HandoutSpec(conditions=("sciatica",), title="x" * 500), "at most"),
    (HandoutSpec(conditions=("sciatica",), views=("front", "back", "side", "hand", "leg")), "at most 4 views"),
])
def test_bad_options_are_explained(atlas, spec, message):
    with pytest.raises(ExportError, match=message):
        render_handout(atlas, spec)


def test_cli_export_writes_the_file(tmp_path, capsys):
    output = tmp_path / "sciatica.pdf"
    assert main(["export", "--condition", "sciatica", "--views", "back,side", "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"%PDF") and "BL40" in pdf_text(output.read_bytes())
    assert oct(output.stat().st_mode & 0o777) != "0o600"


@pytest.mark.parametrize("argv, message", [
    (["--condition", "gout"], "unknown condition 'gout'"),
    (["--condition", "sciatica", "--format", "svg"], "ends in .pdf but --format is svg"),
    (["--meridian", "HT", "--condition", "sciatica"], "no points match"),
])
def test_cli_bad_options_exit_2_and_leave_no_file(tmp_path, capsys, argv, message):
    output = tmp_path / "out.pdf"
    assert main(["export", *argv, "--output", str(output)]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_output(tmp_path, capsys):
    assert main(["export", "--condition", "sciatica", "--output", str(tmp_path / "missing" / "x.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_spec_file_makes_a_set_of_handouts(tmp_path, capsys):
    spec = tmp_path / "set.toml"
    spec.write_text('[[handout]]\ntitle = "Sciatica"\nconditions = ["sciatica"]\noutput = "a.svg"\n\n'
                    '[[handout]]\nmeridians = ["BL"]\nviews = ["back"]\ntable = false\noutput = "b.png"\n',
                    encoding="utf-8")
    assert main(["export", "--spec", str(spec)]) == 0
    assert b"Sciatica" in (tmp_path / "a.svg").read_bytes()
    assert (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")


def test_bad_spec_file_names_the_key_and_writes_nothing(tmp_path, capsys):
    spec = tmp_path / "set.toml"
    spec.write_text('[[handout]]\nconditions = ["sciatica"]\noutput = "a.svg"\n\n'
                    '[[handout]]\ncolour = "red"\noutput = "b.svg"\n', encoding="utf-8")
    assert main(["export", "--spec", str(spec)]) == 2
    assert "handout 2: unknown key 'colour'" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.toml"]


def test_all_conditions_one_handout_each(tmp_path, capsys, atlas):
    assert main(["export", "--all-conditions", "--format", "svg", "--output", str(tmp_path)]) == 0
    # One handout per condition: NAME.svg, and NAME-2.svg... where its table runs on.
    first = {p.stem for p in tmp_path.glob("*.svg") if p.stem in atlas.conditions}
    assert first == set(atlas.conditions)
    for path in tmp_path.glob("*.svg"):
        stem, _, page = path.stem.rpartition("-")
        assert path.stem in atlas.conditions or (stem in atlas.conditions and page.isdigit()), path.name


def test_both_converters_keep_text_as_text(atlas, monkeypatch):
    """rsvg-convert where installed, CairoSVG otherwise: each gives a searchable PDF."""
    import shutil

    from bodymap import handout

    svg = render_handout(atlas, HandoutSpec(points=("LI4",), format="svg"))
    if shutil.which("rsvg-convert"):
        assert "LI4" in pdf_text(handout.convert(svg, "pdf"))
    monkeypatch.setattr(handout.shutil, "which", lambda name: None)
    assert "LI4" in pdf_text(handout.convert(svg, "pdf"))
    assert handout.convert(svg, "png").startswith(b"\x89PNG")
