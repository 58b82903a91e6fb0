"""The app's figures: every point of a view drawn once, then filtered in the
browser by hiding markers, so a filter change sends no figure at all."""

from __future__ import annotations

import plotly.graph_objects as go

from ..figure import HIGHLIGHT_LINE, MARKER_SIZE, body_figure
from ..model import Atlas

FIGURE_HEIGHT = 640


def view_figure(atlas: Atlas, view: str) -> go.Figure:
    figure = body_figure(atlas, view, labels=True, channels=True, height=FIGURE_HEIGHT)
    for trace in figure.data:
        kind = (trace.meta or {}).get("kind")
        if kind == "channel":
            trace.visible = False
        elif kind == "points":
            trace.mode = "markers"  # labels are switched on in the browser
    figure.add_trace(go.Scatter(
        x=[], y=[], mode="markers", hoverinfo="skip", showlegend=False, name="selected", meta=dict(kind="selected"),
        marker=dict(size=MARKER_SIZE * 2.2, color="rgba(0,0,0,0)", line=dict(color=HIGHLIGHT_LINE, width=3)),
    ))
    figure.update_layout(uirevision=view, showlegend=False, dragmode="pan")
    return figure
