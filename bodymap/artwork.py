"""How a silhouette is drawn, the same in the app's figures, handouts and the contact sheet.

Layers, bottom to top: the body's fill, light shading, the outline, interior
contours, then faint orientation marks and their labels. Colours read in
greyscale print: the shading is a darker tint of the fill, never a hue.
"""

from __future__ import annotations

from html import escape

from .silhouettes import Silhouette

FILL = "#f3ede6"
OUTLINE = "#4a4038"
SHADE = "#6b5a48"
SHADE_OPACITY = 0.12
DETAIL = "#9c8c7c"
MARK = "#a8998a"
MARK_TEXT = "#8a7b6c"


def svg_layers(silhouette: Silhouette, transform: str = "", unit: float = 1.0) -> list[str]:
    """SVG elements drawing ``silhouette``; ``unit`` is one output unit in the silhouette's units
    (so strokes keep their printed width whatever the scale)."""
    at = f' transform="{transform}"' if transform else ""
    parts = [f'<path{at} d="{silhouette.outline_path}" fill="{FILL}" fill-rule="evenodd" stroke="none"/>']
    for d in silhouette.shade_paths:
        parts.append(f'<path{at} d="{d}" fill="{SHADE}" fill-opacity="{SHADE_OPACITY}" fill-rule="evenodd" '
                     f'stroke="none"/>')
    parts.append(f'<path{at} d="{silhouette.outline_path}" fill="none" stroke="{OUTLINE}" '
                 f'stroke-width="{0.8 * unit:.3f}" stroke-linejoin="round"/>')
    if silhouette.detail_path:
        parts.append(f'<path{at} d="{silhouette.detail_path}" fill="none" stroke="{DETAIL}" '
                     f'stroke-width="{0.45 * unit:.3f}" stroke-linecap="round"/>')
    if silhouette.mark_path:
        parts.append(f'<path{at} d="{silhouette.mark_path}" fill="none" stroke="{MARK}" '
                     f'stroke-width="{0.4 * unit:.3f}" stroke-linecap="round"/>')
    for x, y, text in silhouette.labels:
        parts.append(f'<text{at} x="{x:.1f}" y="{y:.1f}" font-size="{5 * unit:.2f}" fill="{MARK_TEXT}" '
                     f'font-family="DejaVu Sans, sans-serif">{escape(text)}</text>')
    return parts


def plotly_shapes(silhouette: Silhouette) -> list[dict]:
    """The same layers as plotly layout shapes (drawn below the data)."""
    shapes = [dict(type="path", path=silhouette.outline_path, fillcolor=FILL, line=dict(width=0), layer="below",
                   fillrule="evenodd")]
    shapes += [dict(type="path", path=d, fillcolor=SHADE, opacity=SHADE_OPACITY, line=dict(width=0), layer="below",
                    fillrule="evenodd")
               for d in silhouette.shade_paths]
    shapes.append(dict(type="path", path=silhouette.outline_path, line=dict(color=OUTLINE, width=1.4), layer="below"))
    if silhouette.detail_path:
        shapes.append(dict(type="path", path=silhouette.detail_path, line=dict(color=DETAIL, width=0.8), layer="below"))
    if silhouette.mark_path:
        shapes.append(dict(type="path", path=silhouette.mark_path, line=dict(color=MARK, width=0.7), layer="below"))
    return shapes


def plotly_labels(silhouette: Silhouette) -> list[dict]:
    """The marks' labels as plotly annotations."""
    return [dict(x=x, y=y, xref="x", yref="y", text=escape(text), showarrow=False, xanchor="left", yanchor="middle",
                 font=dict(size=9, color=MARK_TEXT), captureevents=False)
            for x, y, text in silhouette.labels]
