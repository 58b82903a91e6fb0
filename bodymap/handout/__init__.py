"""Teaching handouts and figure exports: one page as SVG, then PDF or PNG.

The page is written as SVG text directly (a few milliseconds) and converted
by CairoSVG, which keeps text as text in the PDF.
"""

from __future__ import annotations

import datetime as _datetime
from dataclasses import replace

from ..model import Atlas
from .spec import FORMATS, PAPERS, ExportError, HandoutSpec, select
from .svg import handout_svg

__all__ = ["ExportError", "FORMATS", "HandoutSpec", "PAPERS", "render_handout"]

PNG_DPI = 300


def render_handout(atlas: Atlas, spec: HandoutSpec) -> bytes:
    """The handout described by ``spec`` in its format (pdf, svg or png).

    Raises :class:`ExportError` for options that cannot be honoured.
    """
    if not spec.date:
        spec = replace(spec, date=_datetime.date.today().isoformat())
    selection = select(atlas, spec)
    svg = handout_svg(atlas, selection).encode("utf-8")
    if spec.format == "svg":
        return svg
    import cairosvg  # loaded only when a PDF or PNG is asked for

    if spec.format == "pdf":
        return cairosvg.svg2pdf(bytestring=svg)
    return cairosvg.svg2png(bytestring=svg, dpi=PNG_DPI)
