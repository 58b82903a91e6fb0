"""Teaching handouts and figure exports: one page as SVG, then PDF or PNG.

The page is written as SVG text directly (a few milliseconds) and converted
to PDF or PNG with text kept as text: by librsvg's ``rsvg-convert`` where it
is installed (faster, and it falls back across fonts for hanzi), otherwise by
CairoSVG from PyPI.
"""

from __future__ import annotations

import datetime as _datetime
import shutil
import subprocess
from dataclasses import replace

from ..model import Atlas
from .spec import FORMATS, PAPERS, ExportError, ExportTimeout, HandoutSpec, Selection, select
from .svg import handout_svg

__all__ = ["ExportError", "ExportTimeout", "FORMATS", "HandoutSpec", "PAPERS", "convert", "render_handout",
           "render_selection"]

PNG_DPI = 300


def render_handout(atlas: Atlas, spec: HandoutSpec) -> bytes:
    """The handout described by ``spec`` in its format (pdf, svg or png).

    Raises :class:`ExportError` for options that cannot be honoured.
    """
    if not spec.date:
        spec = replace(spec, date=_datetime.date.today().isoformat())
    return render_selection(atlas, select(atlas, spec))


def render_selection(atlas: Atlas, selection: Selection) -> bytes:
    """A checked selection's handout page in its spec's format."""
    svg = handout_svg(atlas, selection).encode("utf-8")
    if selection.spec.format == "svg":
        return svg
    return convert(svg, selection.spec.format)


CONVERT_TIMEOUT_S = 60


def convert(svg: bytes, fmt: str) -> bytes:
    """SVG bytes to ``pdf`` or ``png`` (300 dpi)."""
    rsvg = shutil.which("rsvg-convert")
    if rsvg:
        options = ["-f", "pdf"] if fmt == "pdf" else ["-f", "png", "--dpi-x", str(PNG_DPI), "--dpi-y", str(PNG_DPI)]
        try:
            # No preexec_fn, so the child is spawned cheaply (the app lowers its own
            # export process's priority instead, and the converter inherits it).
            done = subprocess.run([rsvg, *options], input=svg, capture_output=True, timeout=CONVERT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise ExportTimeout(f"the {fmt.upper()} converter took longer than {CONVERT_TIMEOUT_S} s; try again") from None
        if done.returncode == 0 and done.stdout:
            return done.stdout
    import cairosvg  # loaded only when a PDF or PNG is asked for

    if fmt == "pdf":
        return cairosvg.svg2pdf(bytestring=svg)
    return cairosvg.svg2png(bytestring=svg, dpi=PNG_DPI)
