"""The lesson panel: a teacher's points in teaching order, built in the page.

The lesson lives in the browser (a store, see :func:`~bodymap.app.state.lesson_data`)
and in the page's link; the server keeps nothing. Every change is a pure
function here from the store's data to new data and a short status line;
the callbacks only hand their inputs over. The panel reads and writes
lesson files with :mod:`bodymap.lesson`, so an opened file is checked with
the command line's own messages and a downloaded one reads back the same.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..i18n import _, ngettext
from ..lesson import (MAX_BYTES, MAX_INTRO, MAX_NOTE, MAX_POINTS, MAX_TITLE, Lesson, LessonError, lesson_toml,
                      lesson_url, parse_lesson, too_large)
from ..model import Atlas
from .ids import ID, LESSON_ADD, LESSON_DOWN, LESSON_NOTE, LESSON_REMOVE, LESSON_UP
from .state import UNTITLED, lesson_data, lesson_from_data

MAX_NAME = 80  # of an opened file's name, as shown in its problems


# --- pure updates of the store's data ----------------------------------------------------------------

def _points(data) -> list[list[str]]:
    points = data.get("points") if isinstance(data, dict) else None
    return [list(p) for p in points] if isinstance(points, list) else []


def _with(data, **changes) -> dict:
    base = data if isinstance(data, dict) else {"title": "", "intro": "", "views": [], "frame": "", "points": []}
    return {**base, **changes}


def add_point(atlas: Atlas, data, code, shown_views=()) -> tuple[dict, str]:
    """The lesson with ``code`` added at the end, and what happened in a sentence.

    A lesson that lists its views gains the view the point is drawn on (one
    the page shows, if any), since every lesson point must be on its views.
    """
    point = atlas.points.get(code) if isinstance(code, str) else None
    if point is None:
        return _with(data), _("Choose a point first: click it on a figure or in the list.")
    points = _points(data)
    codes = [p[0] for p in points]
    if code in codes:
        return _with(data), _("{code} is already point {number} of the lesson.").format(code=code,
                                                                                         number=codes.index(code) + 1)
    if len(points) >= MAX_POINTS:
        return _with(data), _("A lesson holds at most {count} points; start a second lesson for {code}.").format(
            count=MAX_POINTS, code=code)
    views = list(data.get("views") or []) if isinstance(data, dict) else []
    message = _("{code} added as point {number}.").format(code=code, number=len(points) + 1)
    drawn = list(dict.fromkeys(p.view for p in point.placements))
    if views and not set(drawn) & set(views):
        view = next((v for v in shown_views if v in drawn), drawn[0])
        views.append(view)
        message += " " + _("The {view} view was added to the lesson's views, where it is drawn.").format(
            view=atlas.views[view].name)
    return _with(data, points=points + [[code, ""]], views=views), message


def move_point(data, index, step) -> dict:
    """The lesson with point ``index`` moved ``step`` places (-1 up, +1 down), kept within the list."""
    points = _points(data)
    if not isinstance(index, int) or not 0 <= index < len(points) or step not in (-1, 1):
        return _with(data)
    target = index + step
    if 0 <= target < len(points):
        points[index], points[target] = points[target], points[index]
    return _with(data, points=points)


def remove_point(data, index) -> dict:
    """The lesson without point ``index``."""
    points = _points(data)
    if isinstance(index, int) and 0 <= index < len(points):
        del points[index]
    return _with(data, points=points)


def set_note(data, index, note) -> dict:
    """The lesson with point ``index``'s note replaced (cut to the note limit)."""
    points = _points(data)
    if isinstance(index, int) and 0 <= index < len(points):
        text = note.replace("\r\n", "\n").strip()[:MAX_NOTE] if isinstance(note, str) else ""
        points[index] = [points[index][0], text]
    return _with(data, points=points)


def set_title(data, title) -> dict:
    """The lesson with a new title (one line, cut to the title limit)."""
    text = " ".join(title.split())[:MAX_TITLE] if isinstance(title, str) else ""
    return _with(data, title=text)


def set_intro(data, intro) -> dict:
    """The lesson with a new intro (cut to the intro limit)."""
    text = intro.replace("\r\n", "\n").strip()[:MAX_INTRO] if isinstance(intro, str) else ""
    return _with(data, intro=text)


def same(atlas: Atlas, data, other) -> bool:
    """Whether two stores hold the same lesson (no lesson and an empty, untitled one are the same)."""
    empty = lesson_from_data(atlas, {})
    return (lesson_from_data(atlas, data) or empty) == (lesson_from_data(atlas, other) or empty)


def open_file(atlas: Atlas, contents, filename) -> tuple[dict | None, list[str]]:
    """An uploaded lesson file (a data URL from the upload control) as the store's data, or its problems.

    The problems are the command line's (``bodymap lesson check``), naming the file and line.
    """
    name = file_name(filename)
    if not isinstance(contents, str) or "," not in contents:
        return None, [_unreadable(name)]
    encoded = contents.split(",", 1)[1]
    if len(encoded) > (MAX_BYTES + 2) * 4 // 3 + 4:
        return None, [too_large(name, len(encoded) * 3 // 4)]
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None, [_unreadable(name)]
    try:
        lesson = parse_lesson(atlas, raw, name)
    except LessonError as error:
        return None, error.problems
    return lesson_data(lesson), []


def _unreadable(name: str) -> str:
    """The problem line of a file that could not be read, as the command line's problems read."""
    # The "lesson.toml:1: file: " before it locates the problem, as `bodymap lesson check` does; it stays as it is.
    # TRANSLATORS: a problem with an opened lesson file, after "lesson.toml:1: file: ".
    return f"{name}:1: file: " + _("could not be read; choose the lesson's .toml file again")


def file_name(filename) -> str:
    """An opened file's name as its problems name it: the name alone, never a path."""
    if not isinstance(filename, str) or not filename.strip():
        return "lesson.toml"
    # Shown as text only; a path a browser may send is cut to the file's own name.
    return re.split(r"[\\/]", filename.strip())[-1][:MAX_NAME] or "lesson.toml"


def refused_file(refused) -> list[str]:
    """The problem of a file the browser would not send, being past the size limit (``{"name", "size"}``)."""
    if not isinstance(refused, dict) or not isinstance(refused.get("size"), int):
        return [_unreadable("lesson.toml")]
    return [too_large(file_name(refused.get("name")), refused["size"])]


def change(atlas: Atlas, data, action, index=None, value=None, *, selected=None, shown_views=()) -> tuple[dict, str]:
    """One edit of the panel: the new data and a sentence saying what happened (for a screen reader too).

    ``action`` is the id type of the control: add, up, down, remove, note or the title input.
    """
    points = _points(data)
    code = points[index][0] if isinstance(index, int) and 0 <= index < len(points) else ""
    if action == LESSON_ADD:
        return add_point(atlas, data, selected, shown_views or ())
    if action in (LESSON_UP, LESSON_DOWN):
        new = move_point(data, index, -1 if action == LESSON_UP else 1)
        place = next((k for k, p in enumerate(_points(new)) if p[0] == code), None)
        return new, (_("{code} is now point {number}.").format(code=code, number=place + 1)
                     if code and place is not None else "")
    if action == LESSON_REMOVE:
        return remove_point(data, index), (_("{code} was removed from the lesson.").format(code=code)
                                           if code else "")
    if action == LESSON_NOTE:
        return set_note(data, index, value), ""
    if action == ID.LESSON_TITLE:
        return set_title(data, value), ""
    if action == ID.LESSON_INTRO:
        return set_intro(data, value), ""
    return _with(data), ""


def problems_list(problems: list[str]) -> list:
    """A file's problems as the page shows them: a heading and one line each, as `bodymap lesson check` prints."""
    return [html.P(_("The lesson file was not opened:"), className="small fw-semibold mb-0"),
            html.Ul([html.Li(html.Code(problem, className="text-danger")) for problem in problems],
                    className="small ps-3 mb-1")]


def download_name(lesson: Lesson) -> str:
    """The lesson file's name, from its title: ``week-3-the-low-back.toml``."""
    slug = re.sub(r"[^a-z0-9-]+", "-", lesson.title.lower()).strip("-")[:60]
    return f"{slug or 'lesson'}.toml"


def toml_href(lesson: Lesson) -> str:
    """A data URL of the lesson's TOML text (:func:`~bodymap.lesson.lesson_toml`), for a download link."""
    return "data:application/toml;charset=utf-8," + urllib.parse.quote(lesson_toml(lesson))


def page_base(href) -> str:
    """The page's own address without its query, as the base of the lesson's links."""
    if not isinstance(href, str) or not href.startswith(("http://", "https://")):
        return "/"
    parts = urllib.parse.urlsplit(href)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def links(lesson: Lesson, base: str) -> tuple[str, str, str]:
    """The lesson's link, its quiz's link, and "" or why a link cannot hold the lesson."""
    try:
        return lesson_url(lesson, base), lesson_url(lesson, base, mode="quiz"), ""
    except LessonError as error:
        return "", "", " ".join(error.problems).removeprefix("link: ")


# --- what the panel shows ------------------------------------------------------------------------------

def build() -> html.Section:
    """The panel: title, the points with their notes, and the lesson's file and links."""
    return html.Section(
        [
            html.H2(_("Lesson"), className="h6 fw-semibold mb-1", id=ID.LESSON_HEADING),
            html.P(_("Add points from a point's details, or open a lesson file."), id=ID.LESSON_HINT,
                   className="small text-muted mb-1"),
            dbc.Label(_("Title"), html_for=ID.LESSON_TITLE, className="small mb-0"),
            dbc.Input(id=ID.LESSON_TITLE, placeholder=_(UNTITLED), maxLength=MAX_TITLE, debounce=True, size="sm",
                      className="mb-1", autoComplete="off"),
            # TRANSLATORS: the label of a lesson's introduction, a sentence printed under its title.
            dbc.Label(_("Intro"), html_for=ID.LESSON_INTRO, className="small mb-0"),
            dbc.Textarea(id=ID.LESSON_INTRO, placeholder=_("optional: a sentence under the handout's title"),
                         maxLength=MAX_INTRO, rows=1, debounce=True, className="form-control-sm mb-1 lesson-note"),
            html.P(id=ID.LESSON_STATUS, className="small mb-1 lesson-status", role="status"),
            html.Ol(id=ID.LESSON_POINTS, className="lesson-points list-unstyled mb-1",
                    **{"aria-labelledby": ID.LESSON_HEADING}),
            html.Div(dbc.Switch(id=ID.LESSON_ONLY, label=_("Show only the lesson's points"), value=True,
                                className="small"), id=f"{ID.LESSON_ONLY}-holder", hidden=True),
            html.Div([
                html.A(_("Download lesson (.toml)"), id=ID.LESSON_DOWNLOAD, download="lesson.toml", href="",
                       className="btn btn-outline-primary btn-sm", role="button"),
                dcc.Upload(html.Span(_("Open a lesson file…"), className="btn btn-outline-secondary btn-sm"),
                           id=ID.LESSON_UPLOAD, accept=".toml,text/plain,application/toml", multiple=False,
                           className="lesson-upload"),
                html.Button(_("New lesson"), id=ID.LESSON_CLEAR, type="button", className="btn btn-link btn-sm"),
            ], className="d-flex flex-wrap gap-1 mb-1 align-items-center"),
            html.Div(id=ID.LESSON_PROBLEMS, className="lesson-problems", role="alert"),
            html.Div([
                dbc.Label(_("Link to this lesson"), html_for=ID.LESSON_LINK, className="small mb-0"),
                dbc.InputGroup([
                    dbc.Input(id=ID.LESSON_LINK, readonly=True, value="", className="lesson-link"),
                    # TRANSLATORS: a button that copies the link beside it.
                    html.Button(_("Copy"), id=ID.LESSON_COPY, type="button", className="btn btn-outline-primary",
                                **{"aria-label": _("Copy the lesson's link")}),
                ], size="sm", className="mb-1"),
                dbc.Label(_("Link to its quiz"), html_for=ID.LESSON_QUIZ_LINK, className="small mb-0"),
                dbc.InputGroup([
                    dbc.Input(id=ID.LESSON_QUIZ_LINK, readonly=True, value="", className="lesson-link"),
                    html.Button(_("Copy"), id=ID.LESSON_QUIZ_COPY, type="button", className="btn btn-outline-primary",
                                **{"aria-label": _("Copy the quiz's link")}),
                ], size="sm", className="mb-1"),
                html.P(id=ID.LESSON_COPIED, className="small mb-1 text-success", role="status"),
                html.Div([
                    dcc.Link(_("Start the quiz: find the points"), id=ID.LESSON_QUIZ_FIND, href="",
                             className="btn btn-primary btn-sm"),
                    dcc.Link(_("Name the points"), id=ID.LESSON_QUIZ_NAME, href="",
                             className="btn btn-outline-primary btn-sm"),
                ], className="d-flex flex-wrap gap-1"),
            ], id=ID.LESSON_SHARE, hidden=True),
        ],
        id=ID.LESSON_PANEL, className="lesson-panel", **{"aria-labelledby": ID.LESSON_HEADING},
    )


def banner() -> html.Div:
    """Above the figures: the open lesson's title and intro, so a link's reader sees what it is."""
    return html.Div(id=ID.LESSON_BANNER, className="lesson-banner", hidden=True)


def banner_parts(lesson: Lesson, quiz_href: str) -> list:
    """The banner's content: the lesson's title and intro, a link to its panel and one to its quiz."""
    # TRANSLATORS: before a lesson's title, above the figures.
    parts = [html.H2([_("Lesson: "), lesson.title], className="h6 mb-0")]
    if lesson.intro:
        parts.append(html.P(lesson.intro, className="small mb-0"))
    count = len(lesson.points)
    # TRANSLATORS: a link to the lesson panel: the lesson's points and their notes.
    links = [html.A(ngettext("Its {count} points and notes", "Its {count} points and notes", count).format(count=count),
                    href=f"#{ID.LESSON_PANEL}", className="small")]
    if quiz_href:
        links.append(dcc.Link(_("Take the quiz"), href=quiz_href, className="small"))
    parts.append(html.Div(links, className="d-flex flex-wrap gap-3"))
    return parts


def render_points(atlas: Atlas, data) -> list:
    """The lesson's points in order, each with move, remove and its note; every control named for its point."""
    lesson = lesson_from_data(atlas, data)
    if lesson is None or not lesson.points:
        return []
    count = len(lesson.points)
    items = []
    for index, entry in enumerate(lesson.points):
        point = atlas.points[entry.code]
        cautions = sorted({c.kind for c in point.cautions})
        items.append(html.Li([
            html.Div([
                html.Span(f"{index + 1}", className="lesson-number", **{"aria-hidden": "true"}),
                html.Button([html.Strong(point.code), f" {point.pinyin}"], type="button",
                            className="btn btn-link btn-sm p-0 text-start me-auto lesson-code",
                            title=_("Show {code} on the map").format(code=point.code),
                            **{"data-key": f"show-{point.code}", "data-code": point.code}),
                *[html.Span(f"⚠ {kind}", className="badge text-bg-warning ms-1") for kind in cautions],
                html.Button("↑", id={"type": LESSON_UP, "index": index}, type="button", disabled=index == 0,
                            className="btn btn-outline-secondary btn-sm lesson-move",
                            **{"aria-label": _("Move {code} up").format(code=point.code),
                               "data-key": f"up-{point.code}"}),
                html.Button("↓", id={"type": LESSON_DOWN, "index": index}, type="button", disabled=index == count - 1,
                            className="btn btn-outline-secondary btn-sm lesson-move",
                            **{"aria-label": _("Move {code} down").format(code=point.code),
                               "data-key": f"down-{point.code}"}),
                html.Button("✕", id={"type": LESSON_REMOVE, "index": index}, type="button",
                            className="btn btn-outline-danger btn-sm lesson-move",
                            **{"aria-label": _("Remove {code} from the lesson").format(code=point.code),
                               "data-key": f"remove-{point.code}"}),
            ], className="d-flex align-items-center gap-1"),
            # The label wraps its textarea: a pattern id has no plain DOM id to point a `for` at.
            html.Label([
                html.Span(_("Note for {code}").format(code=point.code), className="visually-hidden"),
                dbc.Textarea(id={"type": LESSON_NOTE, "index": index}, value=entry.note, maxLength=MAX_NOTE, rows=1,
                             debounce=True, placeholder=_("Note (optional)"), className="form-control-sm lesson-note"),
            ], className="d-block"),
        ], className="lesson-point", **{"data-code": point.code}))
    return items


def summary(atlas: Atlas, data) -> str:
    """A one-line account of the lesson for the status line."""
    lesson = lesson_from_data(atlas, data)
    if lesson is None or not lesson.points:
        return ""
    count = len(lesson.points)
    views = _(", ").join(atlas.views[v].name for v in lesson.views)
    if not views:
        # TRANSLATORS: in place of the view names of a lesson that names none: "6 points; views: chosen for the points."
        views = _("chosen for the points")
    return ngettext("{count} point; views: {views}.", "{count} points; views: {views}.", count).format(count=count,
                                                                                                      views=views)


def render(atlas: Atlas, data, href) -> tuple:
    """The panel's parts for the lesson in ``data``: its points, a summary line, the TOML
    download, its links (or why it has none), and the banner above the figures."""
    lesson = lesson_from_data(atlas, data)
    if lesson is None or not lesson.points:
        hint = _("Add points from a point's details, or open a lesson file.")
        return [], hint, "", "lesson.toml", True, True, "", "", "", "", [], True, True
    lesson_link, quiz_link, problem = links(lesson, page_base(href))
    hint = summary(atlas, data) + (f" {problem}" if problem else "")
    local = "" if problem else urllib.parse.urlsplit(quiz_link)
    find = f"{local.path}?{local.query}" if local else ""
    name = f"{find}&ask=name" if find else ""
    return (render_points(atlas, data), hint, toml_href(lesson), download_name(lesson), False, bool(problem),
            lesson_link, quiz_link, find, name, banner_parts(lesson, find), False, False)
