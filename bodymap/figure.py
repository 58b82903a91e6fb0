"""View + query result -> plotly figure.

The silhouette is one layout shape drawn in SVG user units (y grows
downwards, so the y axis is reversed); each meridian is one scatter trace,
coloured and shaped by the meridian so colour is never the only cue.
"""

from __future__ import annotations

from html import escape
from typing import Iterable

import numpy as np
import plotly.graph_objects as go

from .artwork import plotly_labels, plotly_shapes
from .labels import place_labels
from .i18n import _, caution_kind
from .model import ILLUSTRATIVE_NOTICE, Atlas, Point, View
from .query import QueryResult

HIGHLIGHT_LINE = "#111111"
MARKER_SIZE = 11


def body_figure(
    atlas: Atlas,
    view: str,
    points: QueryResult | Iterable[str] | None = None,
    *,
    selected: str | None = None,
    labels: bool = False,
    channels: bool = False,
    height: int = 720,
) -> go.Figure:
    """Draw the points of ``points`` that have a placement on ``view``.

    Parameters
    ----------
    atlas:
        A loaded :class:`~bodymap.model.Atlas`.
    view:
        A view id such as ``"back"``.
    points:
        A :class:`~bodymap.query.QueryResult`, an iterable of point codes, or
        ``None`` for every point in the atlas.
    selected:
        A point code to highlight with a ring.
    labels:
        Write each point's code beside its marker.
    channels:
        Draw the pathways of the meridians whose points are shown, in each
        meridian's colour, beneath the markers.
    height:
        Figure height in pixels; the width follows from the view's aspect.

    Returns
    -------
    plotly.graph_objects.Figure
        Silhouette as a shape, one trace per meridian, equal axis scaling, no
        axes or grid, the "illustrative, not anatomical" notice above the body
        (:func:`notice_below` moves it under the body).
    """
    return _BodyFigure(atlas, view, points, selected, labels, channels, height).build()


class _BodyFigure:
    def __init__(self, atlas, view, points, selected, labels, channels, height):
        if view not in atlas.views:
            raise ValueError(f"unknown view {view!r}; known: {', '.join(atlas.views)}")
        if points is None:
            codes = list(atlas.points)
        elif isinstance(points, QueryResult):
            codes = list(points.codes)
        else:
            codes = list(points)
        unknown = [code for code in codes if code not in atlas.points]
        if unknown:
            raise ValueError(f"unknown point codes: {', '.join(unknown)}")
        if selected is not None and selected not in atlas.points:
            raise ValueError(f"unknown selected point {selected!r}")
        if height <= 0:
            raise ValueError("height must be positive")
        self.atlas = atlas
        self.view: View = atlas.views[view]
        self.codes = codes
        self.selected = selected
        self.labels = labels
        self.channels = channels
        self.height = height

    def build(self) -> go.Figure:
        figure = go.Figure(layout=self._layout())
        layer = self.atlas.layers[self.view.id]
        rows = layer.rows_for(self.codes)
        self.positions = self._label_positions(rows) if self.labels else {}
        by_meridian: dict[str, list[int]] = {}
        for row in rows:
            by_meridian.setdefault(self.atlas.points[layer.codes[row]].meridian, []).append(row)
        if self.channels:
            for meridian_code in self.atlas.meridians:
                if meridian_code in by_meridian:
                    channel = self._channel_trace(meridian_code)
                    if channel is not None:
                        figure.add_trace(channel)
        for meridian_code in self.atlas.meridians:
            if meridian_code in by_meridian:
                figure.add_trace(self._trace(meridian_code, by_meridian[meridian_code]))
        if self.selected is not None:
            chosen = [r for r in rows if layer.codes[r] == self.selected]
            if chosen:
                figure.add_trace(go.Scatter(
                    x=layer.xy[chosen, 0], y=layer.xy[chosen, 1], mode="markers", hoverinfo="skip",
                    marker=dict(size=MARKER_SIZE * 2, color="rgba(0,0,0,0)", line=dict(color=HIGHLIGHT_LINE, width=3)),
                    name=f"selected: {self.selected}", showlegend=False, meta=dict(kind="selected"),
                ))
        return figure

    def _trace(self, meridian_code: str, rows: list[int]) -> go.Scatter:
        meridian = self.atlas.meridians[meridian_code]
        layer = self.atlas.layers[self.view.id]
        codes = [layer.codes[r] for r in rows]
        return go.Scatter(
            # Plain lists, not numpy arrays: plotly would ship arrays as binary
            # blobs, which the app's browser code could not filter in place.
            x=layer.xy[rows, 0].tolist(),
            y=layer.xy[rows, 1].tolist(),
            mode="markers+text" if self.labels else "markers",
            text=codes if self.labels else None,
            textposition=[self.positions[r] for r in rows] if self.labels else None,
            textfont=dict(size=10, color="#222222"),
            customdata=codes,
            hovertext=[hover_text(self.atlas.points[code], layer.sides[r]) for code, r in zip(codes, rows)],
            hoverinfo="text",
            name=f"{meridian.code} {meridian.name}",
            legendgroup=meridian.code,
            meta=dict(kind="points", meridian=meridian.code),
            marker=dict(size=MARKER_SIZE, color=meridian.colour, symbol=meridian.symbol,
                        line=dict(color="white", width=1)),
        )

    def _label_positions(self, rows: np.ndarray) -> dict[int, str]:
        layer = self.atlas.layers[self.view.id]
        units_per_pixel = self.view.silhouette.view_box[3] / max(self.height - 40, 1)
        labels = place_labels(layer.xy[rows], [layer.codes[r] for r in rows],
                              font_size=10 * units_per_pixel, marker_radius=MARKER_SIZE / 2 * units_per_pixel)
        return {int(r): label.position for r, label in zip(rows, labels)}

    def _channel_trace(self, meridian_code: str) -> go.Scatter | None:
        lines = [p.xy for p in self.atlas.pathways.get(meridian_code, ()) if p.view == self.view.id]
        if not lines:
            return None
        # One trace per meridian: polylines joined with gaps (None) between them.
        xs, ys = [], []
        for xy in lines:
            xs.extend(xy[:, 0].tolist() + [None])
            ys.extend(xy[:, 1].tolist() + [None])
        meridian = self.atlas.meridians[meridian_code]
        return go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                          name=f"{meridian.code} channel", legendgroup=meridian.code,
                          meta=dict(kind="channel", meridian=meridian.code),
                          line=dict(color=meridian.colour, width=1.5), opacity=0.55)

    def _layout(self) -> go.Layout:
        x0, y0, width, height = self.view.silhouette.view_box
        silhouette = self.view.silhouette
        return go.Layout(
            height=self.height,
            margin=dict(l=10, r=10, t=30, b=10),
            plot_bgcolor="white",
            paper_bgcolor="white",
            shapes=plotly_shapes(silhouette),
            # constrain="domain": equal scaling shrinks the plot area rather than widening
            # a range, so the body always fills the panel's height or width.
            xaxis=dict(range=[x0, x0 + width], visible=False, showgrid=False, zeroline=False, constrain="domain"),
            yaxis=dict(range=[y0 + height, y0], visible=False, showgrid=False, zeroline=False,
                       scaleanchor="x", scaleratio=1, constrain="domain"),
            legend=dict(orientation="h", yanchor="top", y=-0.01, x=0, font=dict(size=11)),
            hoverlabel=dict(bgcolor="white", font=dict(size=12)),
            annotations=[dict(text=_(ILLUSTRATIVE_NOTICE), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                              yanchor="bottom", yshift=4, showarrow=False, font=dict(size=11, color="#555555"))]
            + plotly_labels(silhouette),
            meta=dict(view=self.view.id, notice=_(ILLUSTRATIVE_NOTICE)),
        )


def notice_below(figure: go.Figure, bottom_margin: int = 24) -> go.Figure:
    """Move a body figure's "illustrative, not anatomical" notice from above the body to under it
    (where a figure has no legend: the legend sits there), leaving its other annotations, the
    landmark labels, where they are. On a touch screen plotly's modebar, always shown, covers
    the figure's top edge."""
    figure.update_annotations(selector=dict(text=figure.layout.meta["notice"]), y=0, yanchor="top", yshift=-4)
    figure.update_layout(margin=dict(b=bottom_margin))
    return figure


def view_cun(atlas: Atlas, view: str) -> float:
    """A typical cun on a view, in its units: the median of its landmarks' cun (a whole body is
    about 75 cun tall where a view has no landmarks)."""
    marks = atlas.landmarks.get(view, {})
    if marks:
        return float(np.median([m.cun for m in marks.values()]))
    return atlas.views[view].silhouette.height / 75.0


def hover_text(point: Point, side: str = "") -> str:
    """The hover label: code, names, side, cautions and the illustrative tag.

    Data text is escaped: plotly renders a small subset of HTML in hovers.
    """
    lines = [f"<b>{escape(point.code)}</b> {escape(point.pinyin)} {escape(point.hanzi)}", escape(point.english)]
    if side in ("left", "right"):
        lines.append(_("patient's left") if side == "left" else _("patient's right"))
    if point.cautions:
        # The full caution texts are in the point's details; the hover names them.
        kinds = _(", ").join(dict.fromkeys(escape(caution_kind(c.kind)) for c in point.cautions))
        lines.append("⚠ " + _("caution: {kinds}").format(kinds=kinds))
    lines.append("<i>" + _("illustrative position") + "</i>")
    return "<br>".join(lines)

