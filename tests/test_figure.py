import numpy as np
import pytest

from bodymap import ILLUSTRATIVE_NOTICE, body_figure, query


def marker_positions(figure):
    positions = {}
    for trace in figure.data:
        if trace.customdata is None:
            continue
        for code, x, y in zip(trace.customdata, trace.x, trace.y):
            positions.setdefault(code, []).append((x, y))
    return positions


def test_silhouette_is_one_shape_and_axes_are_hidden(atlas):
    figure = body_figure(atlas, "back")
    outline = [s for s in figure.layout.shapes if s.type == "path"]
    assert outline[0].path == atlas.views["back"].silhouette.outline_path
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    assert figure.layout.yaxis.scaleanchor == "x" and figure.layout.yaxis.scaleratio == 1
    # SVG y grows downwards, so the axis is reversed.
    assert figure.layout.yaxis.range[0] > figure.layout.yaxis.range[1]


def test_points_drawn_where_the_data_places_them(atlas):
    figure = body_figure(atlas, "back", query(atlas, conditions=["sciatica"]))
    positions = marker_positions(figure)
    expected = {m.point.code for m in query(atlas, conditions=["sciatica"], views=["back"]).matches}
    assert set(positions) == expected
    for code, drawn in positions.items():
        placed = [(p.x, p.y) for p in atlas.points[code].placements if p.view == "back"]
        assert sorted(drawn) == sorted(placed)


def test_one_trace_per_meridian_in_its_colour_and_symbol(atlas):
    figure = body_figure(atlas, "back")
    for trace in figure.data:
        meridian = atlas.meridians[trace.legendgroup]
        assert trace.marker.color == meridian.colour
        assert trace.marker.symbol == meridian.symbol
        assert all(atlas.points[c].meridian == meridian.code for c in trace.customdata)


def test_hover_names_the_point_and_says_illustrative(atlas):
    figure = body_figure(atlas, "hand", ["LI4"])
    (trace,) = figure.data
    assert "LI4" in trace.hovertext[0] and atlas.points["LI4"].pinyin in trace.hovertext[0]
    assert "illustrative position" in trace.hovertext[0]
    assert "pregnancy" in trace.hovertext[0]
    assert any(ILLUSTRATIVE_NOTICE in a.text for a in figure.layout.annotations)


def test_front_view_puts_the_patients_left_on_the_viewers_right(atlas):
    figure = body_figure(atlas, "front", ["LU1"])
    (trace,) = figure.data
    sides = dict(zip([p.side for p in atlas.points["LU1"].placements if p.view == "front"],
                     [p.x for p in atlas.points["LU1"].placements if p.view == "front"]))
    axis = atlas.views["front"].silhouette.axis_x
    assert sides["left"] > axis > sides["right"]
    assert sorted(trace.x) == sorted(sides.values())


def test_labels_and_selection(atlas):
    figure = body_figure(atlas, "back", ["BL23", "GV4"], labels=True, selected="BL23")
    texts = [t for trace in figure.data if trace.text is not None for t in trace.text]
    assert "BL23" in texts and "GV4" in texts
    ring = figure.data[-1]
    assert ring.name == "selected: BL23" and len(ring.x) == 2


def test_hover_text_is_escaped(atlas):
    from dataclasses import replace

    from bodymap.figure import hover_text

    point = replace(atlas.points["BL23"], english="<img src=x onerror=alert(1)>")
    assert "<img" not in hover_text(point)


def test_bad_arguments(atlas):
    with pytest.raises(ValueError, match="unknown view"):
        body_figure(atlas, "ceiling")
    with pytest.raises(ValueError, match="unknown point"):
        body_figure(atlas, "back", ["XX1"])


def test_no_points_still_draws_the_body(atlas):
    figure = body_figure(atlas, "front", [])
    assert len(figure.data) == 0 and figure.layout.shapes
    assert np.isfinite(figure.layout.xaxis.range).all()


def test_channels_drawn_in_meridian_colour_beneath_markers(atlas):
    figure = body_figure(atlas, "front", ["LI10", "LI11"], channels=True)
    lines = [t for t in figure.data if t.mode == "lines"]
    markers = [t for t in figure.data if t.mode != "lines"]
    assert lines and figure.data.index(lines[0]) < figure.data.index(markers[0])
    assert lines[0].line.color == atlas.meridians["LI"].colour
    expected = [p for p in atlas.pathways["LI"] if p.view == "front"]
    assert sum(1 for v in lines[0].x if v is None) == len(expected)
    assert body_figure(atlas, "front", ["LI10"], channels=False).data[0].mode == "markers"


def test_the_app_and_quiz_figures_put_the_notice_below_and_leave_the_labels(atlas):
    from bodymap.app import quiz_page
    from bodymap.app.figures import view_figure
    from bodymap.app.quiz import plan_from_state, start
    from bodymap.app.state import parse_query
    from bodymap.figure import body_figure

    plain = body_figure(atlas, "back")
    notice = plain.layout.meta["notice"]
    labels = [(a.text, a.x, a.y) for a in plain.layout.annotations if a.text != notice]
    assert labels  # the back view's landmark labels (C7, T3, ...)
    state = start(plan_from_state(atlas, parse_query(atlas, "?mode=quiz&points=BL40&view=back")), seed=1, now=0.0)
    for figure in (view_figure(atlas, "back"), quiz_page.figure(atlas, state)):
        moved = [a for a in figure.layout.annotations if a.text == notice]
        assert len(moved) == 1 and moved[0].yref == "paper" and moved[0].y == 0 and moved[0].yanchor == "top"
        assert figure.layout.margin.b >= 20  # room for it under the body
        assert [(a.text, a.x, a.y) for a in figure.layout.annotations if a.text != notice] == labels
