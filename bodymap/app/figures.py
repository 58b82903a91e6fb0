"""The app's figures: every point, label and channel line of a view drawn
once, then filtered in the browser by hiding what does not match, so a
filter change sends no figure and redraws nothing."""

from __future__ import annotations

import plotly.graph_objects as go

from ..figure import HIGHLIGHT_LINE, MARKER_SIZE, body_figure, notice_below
from ..model import Atlas

FIGURE_HEIGHT = 640
LESSON_COLOUR = "#1a4fa0"


def waiting_figure(view: str) -> dict:
    """What a view's graph holds until the browser gives it its figure (assets/bodymap.js): nothing
    drawn, at the figure's own size, so the page does not move when the figure comes."""
    return {"data": [], "layout": {"height": FIGURE_HEIGHT, "xaxis": {"visible": False}, "yaxis": {"visible": False},
                                   "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "meta": {"view": view, "waiting": True}}}


def view_figure(atlas: Atlas, view: str) -> go.Figure:
    # Labels and channel lines are drawn from the start and hidden by the
    # browser: switching them on is then a style change, not a replot.
    figure = body_figure(atlas, view, labels=True, channels=True, height=FIGURE_HEIGHT)
    # The lesson's points, ringed and numbered in teaching order (filled in by the browser).
    figure.add_trace(go.Scatter(
        x=[], y=[], text=[], mode="markers+text", hoverinfo="skip", showlegend=False, name="lesson",
        meta=dict(kind="lesson"), textposition="top right", textfont=dict(size=13, color=LESSON_COLOUR),
        marker=dict(size=MARKER_SIZE * 1.7, color="rgba(0,0,0,0)", line=dict(color=LESSON_COLOUR, width=2)),
    ))
    figure.add_trace(go.Scatter(
        x=[], y=[], mode="markers", hoverinfo="skip", showlegend=False, name="selected", meta=dict(kind="selected"),
        marker=dict(size=MARKER_SIZE * 2.2, color="rgba(0,0,0,0)", line=dict(color=HIGHLIGHT_LINE, width=3)),
    ))
    figure.update_layout(uirevision=view, showlegend=False, dragmode="pan", margin=dict(t=28))
    return notice_below(figure)
