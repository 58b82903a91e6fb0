"""A lesson's handout and its printable quiz.

The handout lists the lesson's points in teaching order with each note. The
quiz's first page shows the same views with numbered plain markers and an
empty answer table, and names no answer anywhere, its text and metadata
included; the second page is the answer key, which is the lesson's handout.
"""

from __future__ import annotations

import datetime as _datetime
import math
from dataclasses import replace
from pathlib import Path

from ..codes import name_key
from ..i18n import _, ngettext
from ..lesson import Lesson, covering_views
from ..model import Atlas
from ..query import Match, QueryResult
from . import convert, in_language, merge_pdfs, render_pages, render_selection
from .spec import MAX_VIEWS, ExportError, HandoutSpec, Selection, select
from .svg import INK, MARGIN, MUTED, _draw_view, _footer, _Page, handout_pages

ONE_COLUMN_ROWS = 14
ROW_HEIGHT = 26.0


def lesson_selection(atlas: Atlas, lesson: Lesson, *, paper: str = "a4", landscape: bool = False,
                     table: bool = True, format: str = "pdf", date: str = "", frame: str = "") -> Selection:
    """The lesson as a checked handout selection: its points in its order, its notes and intro.

    ``frame`` (``points`` or ``body``) overrides the lesson's own; the default frames on the points.
    """
    views = lesson.views or covering_views(atlas, lesson.codes, MAX_VIEWS)
    spec = HandoutSpec(points=lesson.codes, views=views, title=lesson.title, paper=paper, landscape=landscape,
                       table=table, format=format, frame=frame or lesson.frame or "points",
                       date=date or _datetime.date.today().isoformat())
    selection = select(atlas, spec)
    ordered = QueryResult(tuple(Match(atlas.points[code]) for code in lesson.codes))
    return replace(selection, result=ordered, notes=tuple(p.note for p in lesson.points), intro=lesson.intro)


def render_lesson(atlas: Atlas, lesson: Lesson, *, lang: str = "", **options) -> bytes:
    """The lesson's handout as one file (options as for :func:`lesson_selection`), in ``lang``, else
    the lesson's language, else the language in use."""
    with in_language(atlas, lang or lesson.lang) as local:
        return render_selection(local, lesson_selection(local, lesson, **options))


def render_lesson_pages(atlas: Atlas, lesson: Lesson, *, lang: str = "", **options) -> list[bytes]:
    """The lesson's handout: one PDF, or each page as an SVG or PNG."""
    with in_language(atlas, lang or lesson.lang) as local:
        return render_pages(local, lesson_selection(local, lesson, **options))


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
    headings = ([("#", 0.06), (_("Code"), 0.16), (_("Name"), 0.28), (_("How to find it"), 0.50)] if columns == 1
                else [("#", 0.10), (_("Code"), 0.30), (_("Name"), 0.60)])
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
            for _heading, share in headings[1:]:
                page.line(x + 3, y - 2, x + share * column_width - 3, y - 2, colour="#9a9a9a", width=0.5)
                x += share * column_width


def quiz_title(atlas: Atlas, lesson: Lesson) -> str:
    """The quiz page's title: the lesson's own, unless it gives an answer away."""
    if names_an_answer(atlas, lesson.codes, lesson.title):
        return ngettext("Quiz: {count} point", "Quiz: {count} points", len(lesson.points)).format(
            count=len(lesson.points))
    return _("Quiz: {title}").format(title=lesson.title)


def quiz_svg(atlas: Atlas, lesson: Lesson, selection: Selection) -> str:
    """Page one: numbered markers and an empty answer table, with no code or name of a point."""
    width, height = selection.spec.page_size
    page = _Page(width, height)
    title = quiz_title(atlas, lesson)
    page.text(MARGIN, MARGIN + 12, title, 18, weight="bold")
    page.text(MARGIN, MARGIN + 28, _("For each numbered point write its code, its name and how to find it."), 9.5,
              fill=MUTED)
    page.text(width - MARGIN, MARGIN + 28, _("Name: {blank}").format(blank="______________________"), 9.5,
              anchor="end")
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
                   anonymous=True, frame=selection.spec.frame)
    _answer_table(page, len(numbers), top + views_height + 10, footer_top - 6)
    _footer(page, selection)
    return page.svg(title)


def render_quiz(atlas: Atlas, lesson: Lesson, *, lang: str = "", **options) -> list[bytes]:
    """The quiz in ``lang``, else the lesson's language, else the language in use (see :func:`_quiz`)."""
    with in_language(atlas, lang or lesson.lang) as local:
        return _quiz(local, lesson, **options)


def _quiz(atlas: Atlas, lesson: Lesson, *, paper: str = "a4", landscape: bool = False,
          format: str = "pdf", date: str = "", frame: str = "") -> list[bytes]:
    """The quiz: one PDF (the quiz page, then the answer key), or for svg and png the quiz page then the
    answer key's pages.

    Raises :class:`ExportError` when a point is not drawn on any of the views.
    """
    selection = lesson_selection(atlas, lesson, paper=paper, landscape=landscape, format=format, date=date,
                                 frame=frame)
    drawn = {code for view in selection.views for code in atlas.layers[view].codes}
    missing = [code for code in lesson.codes if code not in drawn]
    if missing:
        raise ExportError(ngettext("{codes} is not drawn on {views}; add a view that shows it to the lesson's views",
                                   "{codes} are not drawn on {views}; add a view that shows them to the lesson's views",
                                   len(missing)).format(codes=", ".join(missing), views=", ".join(selection.views)))
    key = replace(selection, title=_("Answer key: {title}").format(title=lesson.title))
    pages = [quiz_svg(atlas, lesson, selection).encode("utf-8")] + [
        page.encode("utf-8") for page in handout_pages(atlas, key)]
    if format == "svg":
        return pages
    converted = [convert(page, format) for page in pages]
    if format == "png":
        return converted
    # The document's own metadata, so nothing from the answer key's page travels in it.
    return [merge_pdfs(converted, quiz_title(atlas, lesson))]


def quiz_outputs(output: Path, format: str, pages: int = 2) -> list[Path]:
    """Where the quiz goes: the PDF itself, or NAME.svg, NAME-key.svg, then NAME-key-2.svg... (png alike)."""
    if format == "pdf":
        return [output]
    keys = [output.with_name(f"{output.stem}-key{'' if k == 1 else f'-{k}'}{output.suffix}") for k in range(1, pages)]
    return [output] + keys
