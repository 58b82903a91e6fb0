"""A lesson's handout and its printable quiz.

The handout lists the lesson's points in teaching order with each note. The
quiz's first page shows the same views with numbered plain markers and an
empty answer table, and names no answer anywhere, its text and metadata
included; the second page is the answer key, which is the lesson's handout.
"""

from __future__ import annotations

import datetime as _datetime
import io
import math
from dataclasses import replace
from pathlib import Path

from ..codes import name_key
from ..lesson import Lesson, covering_views
from ..model import Atlas
from ..query import Match, QueryResult
from . import convert, render_selection
from .spec import MAX_VIEWS, ExportError, HandoutSpec, Selection, select
from .svg import INK, MARGIN, MUTED, _draw_view, _footer, _Page, handout_svg

ONE_COLUMN_ROWS = 14
ROW_HEIGHT = 26.0


def lesson_selection(atlas: Atlas, lesson: Lesson, *, paper: str = "a4", landscape: bool = False,
                     table: bool = True, format: str = "pdf", date: str = "") -> Selection:
    """The lesson as a checked handout selection: its points in its order, its notes and intro."""
    views = lesson.views or covering_views(atlas, lesson.codes, MAX_VIEWS)
    spec = HandoutSpec(points=lesson.codes, views=views, title=lesson.title, paper=paper, landscape=landscape,
                       table=table, format=format, date=date or _datetime.date.today().isoformat())
    selection = select(atlas, spec)
    ordered = QueryResult(tuple(Match(atlas.points[code]) for code in lesson.codes))
    return replace(selection, result=ordered, notes=tuple(p.note for p in lesson.points), intro=lesson.intro)


def render_lesson(atlas: Atlas, lesson: Lesson, **options) -> bytes:
    """The lesson's one-page handout (options as for :func:`lesson_selection`)."""
    return render_selection(atlas, lesson_selection(atlas, lesson, **options))


def answer_terms(atlas: Atlas, codes) -> set[str]:
    """Every code, alias and name of the points, as comparable keys."""
    terms = set()
    for code in codes:
        point = atlas.points[code]
        for text in (point.code, point.pinyin, point.hanzi, point.english, *(a.code for a in point.aliases)):
            if name_key(text):
                terms.add(name_key(text))
    return terms


def names_an_answer(atlas: Atlas, codes, text: str) -> bool:
    key = name_key(text)
    return any(term in key for term in answer_terms(atlas, codes))


def _answer_table(page: _Page, count: int, top: float, bottom: float) -> None:
    columns = 1 if count <= ONE_COLUMN_ROWS else 2
    per_column = math.ceil(count / columns)
    gap = 16.0
    column_width = (page.width - 2 * MARGIN - gap * (columns - 1)) / columns
    heading = 13.0
    row = min(ROW_HEIGHT, (bottom - top - heading) / per_column)
    headings = ([("#", 0.06), ("Code", 0.16), ("Name", 0.28), ("How to find it", 0.50)] if columns == 1
                else [("#", 0.10), ("Code", 0.30), ("Name", 0.60)])
    for column in range(columns):
        left = MARGIN + column * (column_width + gap)
        x = left
        for text, share in headings:
            page.text(x + 2, top + 8, text, 7.5, weight="bold")
            x += share * column_width
        page.line(left, top + heading - 2, left + column_width, top + heading - 2, colour=INK, width=0.6)
        for k in range(per_column):
            number = column * per_column + k + 1
            if number > count:
                break
            y = top + heading + (k + 1) * row
            page.text(left + 2, y - 4, str(number), min(9.0, row * 0.6), weight="bold")
            x = left + headings[0][1] * column_width
            for _, share in headings[1:]:
                page.line(x + 3, y - 2, x + share * column_width - 3, y - 2, colour="#9a9a9a", width=0.5)
                x += share * column_width


def quiz_title(atlas: Atlas, lesson: Lesson) -> str:
    """The quiz page's title: the lesson's own, unless it gives an answer away."""
    if names_an_answer(atlas, lesson.codes, lesson.title):
        return f"Quiz: {len(lesson.points)} points"
    return f"Quiz: {lesson.title}"


def quiz_svg(atlas: Atlas, lesson: Lesson, selection: Selection) -> str:
    """Page one: numbered markers and an empty answer table, with no code or name of a point."""
    width, height = selection.spec.page_size
    page = _Page(width, height)
    title = quiz_title(atlas, lesson)
    page.text(MARGIN, MARGIN + 12, title, 18, weight="bold")
    page.text(MARGIN, MARGIN + 28, "For each numbered point write its code, its name and how to find it.", 9.5,
              fill=MUTED)
    page.text(width - MARGIN, MARGIN + 28, "Name: ______________________", 9.5, anchor="end")
    top = MARGIN + 38
    footer_top = height - MARGIN / 2 - 14
    room = footer_top - top
    # The figures take the room the answer table leaves, between half and three quarters of the page.
    table_height = 13.0 + ROW_HEIGHT * math.ceil(len(lesson.points) / (1 if len(lesson.points) <= ONE_COLUMN_ROWS
                                                                        else 2)) + 16
    views_height = min(0.72 * room, max(0.5 * room, room - table_height))
    gap = 10
    count = len(selection.views)
    panel_width = (width - 2 * MARGIN - gap * (count - 1)) / count
    numbers = {m.point.code: i for i, m in enumerate(selection.result.matches, start=1)}
    for k, view in enumerate(selection.views):
        _draw_view(page, atlas, view, numbers, (MARGIN + k * (panel_width + gap), top, panel_width, views_height),
                   anonymous=True)
    _answer_table(page, len(numbers), top + views_height + 10, footer_top - 6)
    _footer(page, selection)
    return page.svg(title)


def _merge_pdfs(pages: list[bytes], title: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pages:
        writer.append(PdfReader(io.BytesIO(data)))
    # The document's own metadata, so nothing from the answer key's page travels in it.
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Producer": "bodymap"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_quiz(atlas: Atlas, lesson: Lesson, *, paper: str = "a4", landscape: bool = False,
                format: str = "pdf", date: str = "") -> list[bytes]:
    """The quiz: one two-page PDF, or for svg and png the quiz page then the answer key page.

    Raises :class:`ExportError` when a point is not drawn on any of the views.
    """
    selection = lesson_selection(atlas, lesson, paper=paper, landscape=landscape, format=format, date=date)
    drawn = {code for view in selection.views for code in atlas.layers[view].codes}
    missing = [code for code in lesson.codes if code not in drawn]
    if missing:
        raise ExportError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not drawn on "
                          f"{', '.join(selection.views)}; add a view that shows "
                          f"{'it' if len(missing) == 1 else 'them'} to the lesson's views")
    key = replace(selection, title=f"Answer key: {lesson.title}")
    pages = [quiz_svg(atlas, lesson, selection).encode("utf-8"), handout_svg(atlas, key).encode("utf-8")]
    if format == "svg":
        return pages
    converted = [convert(page, format) for page in pages]
    if format == "png":
        return converted
    return [_merge_pdfs(converted, quiz_title(atlas, lesson))]


def quiz_outputs(output: Path, format: str) -> list[Path]:
    """Where the quiz goes: the PDF itself, or NAME.svg and NAME-key.svg (png alike)."""
    if format == "pdf":
        return [output]
    return [output, output.with_name(f"{output.stem}-key{output.suffix}")]
