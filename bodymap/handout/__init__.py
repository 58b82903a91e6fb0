"""Teaching handouts and figure exports: one page as SVG, then PDF or PNG.

The page is written as SVG text directly (a few milliseconds) and converted
to PDF or PNG with text kept as text: by librsvg's ``rsvg-convert`` where it
is installed (faster, and it falls back across fonts for hanzi), otherwise by
CairoSVG from PyPI.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import zipfile

from ..i18n import activate, current, localize, supported
from ..model import Atlas
from .spec import (FORMATS, FRAMES, PAPERS, ExportError, ExportTimeout, HandoutSpec, Selection, dated, file_stem,
                   select)
from .svg import handout_pages

__all__ = ["ExportError", "ExportTimeout", "FORMATS", "FRAMES", "HandoutSpec", "PAPERS", "convert", "in_language",
           "merge_pdfs", "render_handout", "render_pages", "render_selection"]

PNG_DPI = 300


def render_handout(atlas: Atlas, spec: HandoutSpec) -> bytes:
    """The handout described by ``spec`` as one file in its format (pdf, svg or png): a PDF holds every
    page; an SVG or PNG handout of several pages comes as a ZIP of its pages (``NAME.svg``,
    ``NAME-2.svg``, ...).

    The handout is in ``spec.lang`` (or the language in use): its headings, and the
    points' locations, how-to-find texts and cautions.

    Raises :class:`ExportError` for options that cannot be honoured.
    """
    with in_language(atlas, spec.lang) as local:
        return render_selection(local, select(local, dated(spec)))


@contextlib.contextmanager
def in_language(atlas: Atlas, lang: str = ""):
    """Run a block in ``lang`` ("" for the language in use) with the atlas in it, or raise ExportError."""
    chosen = supported(lang, atlas.languages) if lang else current()
    if chosen is None or chosen not in atlas.languages:
        raise ExportError(f"lang {lang!r} is not one of: {', '.join(atlas.languages)}")
    with activate(chosen):
        yield localize(atlas, chosen)


def render_pages(atlas: Atlas, selection: Selection) -> list[bytes]:
    """A checked selection's handout: one PDF of every page, or each page as an SVG or PNG."""
    pages = [page.encode("utf-8") for page in handout_pages(atlas, selection)]
    fmt = selection.spec.format
    if fmt == "svg":
        return pages
    converted = [convert(page, fmt) for page in pages]
    if fmt == "png" or len(converted) == 1:
        return converted
    return [merge_pdfs(converted, selection.title)]


def render_selection(atlas: Atlas, selection: Selection) -> bytes:
    """A checked selection's handout as one file (see :func:`render_handout`)."""
    pages = render_pages(atlas, selection)
    if len(pages) == 1:
        return pages[0]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, page in enumerate(pages, start=1):
            suffix = "" if number == 1 else f"-{number}"
            archive.writestr(f"{file_stem(selection.title)}{suffix}.{selection.spec.format}", page)
    return out.getvalue()


def merge_pdfs(pages: list[bytes], title: str) -> bytes:
    """PDFs joined into one, with only our own metadata (the title given, bodymap as producer)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pages:
        writer.append(PdfReader(io.BytesIO(data)))
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Producer": "bodymap"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
