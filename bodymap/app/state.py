"""The page's state: what the URL and the controls say, and what follows.

Pure functions over an :class:`~bodymap.model.Atlas`; the callbacks only
hand their inputs to these, and the tests call them directly.
"""

from __future__ import annotations

import base64
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

from ..lesson import (MAX_INTRO, MAX_NOTE, MAX_POINTS, MAX_TITLE, MAX_TOKEN, Lesson, LessonError, LessonPoint,
                      covering_views, decode_lesson, encode_lesson, resolve_code)
from ..i18n import N_, _, ngettext, supported
from ..model import Atlas
from ..query import QueryError, query, resolve_category, resolve_condition, resolve_meridian, resolve_point, resolve_view

# A link is at most about 2,000 characters, plus a lesson's token.
MAX_QUERY_LENGTH = 2000 + MAX_TOKEN
MAX_SEARCH_LENGTH = 100
MAX_READINGS = 64


@dataclass(frozen=True)
class FilterState:
    """Everything a shared link carries."""

    views: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    meridians: tuple[str, ...] = ()  # the ticked meridians; every one unless a link or the user narrows them
    search: str = ""
    point: str | None = None
    labels: bool = False
    channels: bool = False
    categories: tuple[str, ...] = ()  # special-point categories; a point in any of them passes
    fit: bool = False  # "Fit to points": each 2D view zooms to the matching points (``frame=points``)
    lesson: Lesson | None = None  # the lesson in the panel
    show_all: bool = False  # with a lesson: every point the filters pass, not only the lesson's
    mode: str = ""  # "quiz" for the quiz page
    quiz_points: tuple[str, ...] = ()  # a quiz's points when no lesson gives them
    ask: str = "find"  # find: click where the point is; name: choose the ringed point's code
    within: float = 1.0  # an answer this close, in cun, is correct
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def lesson_only(self) -> bool:
        """Whether the figures and the list show only the lesson's points."""
        return self.lesson is not None and not self.show_all


ASK = ("find", "name")
WITHIN = (0.5, 1.0, 1.5, 2.0)
UNTITLED = N_("Untitled lesson")
# The 3D view is the body itself, not one of the atlas's drawn views; the app offers it beside them.
SCENE_VIEW = "3d"


def default_views(atlas: Atlas, lesson: Lesson | None = None, points=()) -> tuple[str, ...]:
    """The views a page shows when its link names none: a lesson's own, or views that show a
    quiz's ``points``, else the front."""
    if lesson is not None and lesson.points:
        return lesson.views or covering_views(atlas, lesson.codes)
    if points:
        return covering_views(atlas, points)
    return ("front",) if "front" in atlas.views else (next(iter(atlas.views)),)


def app_views(atlas: Atlas) -> tuple[str, ...]:
    """The views the app offers: the atlas's, then the 3D body when the atlas has one."""
    return tuple(atlas.views) + ((SCENE_VIEW,) if atlas.body is not None else ())


def _resolve_app_view(atlas: Atlas, text: str) -> str:
    if text.strip().casefold() == SCENE_VIEW and atlas.body is not None:
        return SCENE_VIEW
    return resolve_view(atlas, text)


def _values(params: dict[str, list[str]], key: str) -> list[str]:
    return [part.strip() for value in params.get(key, []) for part in value.split(",") if part.strip()]


def _in_atlas_order(values, table) -> tuple[str, ...]:
    # One order for the same set, however a link or the controls listed it, so
    # the same state always has the same URL (and history entry).
    order = {key: i for i, key in enumerate(table)}
    return tuple(sorted(values, key=order.__getitem__))


_UNKNOWN = {
    "view": N_("unknown view “{value}” ignored"), "condition": N_("unknown condition “{value}” ignored"),
    "category": N_("unknown category “{value}” ignored"), "meridian": N_("unknown meridian “{value}” ignored"),
    "point": N_("unknown point “{value}” ignored"),
}


def _resolve_all(values, resolve, label, notes) -> tuple[str, ...]:
    kept = []
    for value in values:
        try:
            resolved = resolve(value)
        except QueryError:
            notes.append(_(_UNKNOWN[label]).format(value=value))
            continue
        if resolved not in kept:
            kept.append(resolved)
    return tuple(kept)


def parse_query(atlas: Atlas, search: str | None) -> FilterState:
    """State from a URL query string; unknown values are dropped and noted.

    ``?view=back&condition=sciatica&meridian=BL,GB&category=back-shu&point=BL40&frame=points``; a
    lesson's link ``?lesson=TOKEN`` (its views shown unless the link names others); a quiz
    ``?mode=quiz&points=BL40,GB30&view=back&ask=find&within=0.5``.
    """
    text = (search or "").lstrip("?")
    notes: list[str] = []
    if len(text) > MAX_QUERY_LENGTH:
        notes.append(_("the link was too long and was ignored"))
        text = ""
    params = parse_qs(text, keep_blank_values=False)
    # `lang` is the page's language, read by the server for every request (app/language.py).
    known = {"view", "condition", "meridian", "category", "search", "point", "labels", "channels", "frame", "lesson",
             "show", "mode", "points", "ask", "within", "lang"}
    for key in sorted(set(params) - known):
        notes.append(_("unknown setting “{key}” ignored").format(key=key[:40]))
    for lang in params.get("lang", [])[-1:]:
        if not supported(lang, atlas.languages):
            # The page is then in the browser's language (app/language.py); say why.
            notes.append(_("unknown language “{lang}” ignored").format(lang=lang[:40]))
    lesson = None
    if params.get("lesson"):
        try:
            lesson = decode_lesson(atlas, params["lesson"][-1])
        except LessonError as error:
            notes.append(_("the lesson in the link could not be opened: {problems}").format(
                problems=" ".join(error.problems)))
    views = _resolve_all(_values(params, "view"), lambda v: _resolve_app_view(atlas, v), "view", notes)
    frame = params.get("frame", ["body"])[-1]
    if frame not in ("points", "body"):
        notes.append(_("unknown frame “{frame}” ignored (points or body)").format(frame=frame[:40]))
    conditions = _in_atlas_order(
        _resolve_all(_values(params, "condition"), lambda c: resolve_condition(atlas, c), "condition", notes),
        atlas.conditions)
    categories = _in_atlas_order(
        _resolve_all(_values(params, "category"), lambda c: resolve_category(atlas, c), "category", notes),
        atlas.categories)
    asked = _values(params, "meridian")
    meridians = () if asked == ["none"] else _resolve_all(asked, lambda m: resolve_meridian(atlas, m), "meridian", notes)
    if not meridians and asked != ["none"]:
        meridians = tuple(atlas.meridians)
    points = _resolve_all(_values(params, "point")[:1], lambda p: resolve_point(atlas, p), "point", notes)
    search_text = " ".join(params.get("search", []))[:MAX_SEARCH_LENGTH]
    mode = _choice(params, "mode", ("quiz",), "", notes)
    quiz_points = []
    for value in _values(params, "points")[:MAX_POINTS]:
        try:
            code = resolve_code(atlas, value[:40])
        except QueryError as error:
            notes.append(_("quiz point {problem}").format(problem=error))
            continue
        if code not in quiz_points:
            quiz_points.append(code)
    ask = _choice(params, "ask", ASK, "find", notes)
    within = _choice(params, "within", [_number(w) for w in WITHIN], _number(1.0), notes)
    show = _choice(params, "show", ("all",), "", notes)
    return FilterState(
        views=views or default_views(atlas, lesson, quiz_points if mode else ()),
        conditions=conditions,
        meridians=meridians,
        search=search_text,
        point=points[0] if points else None,
        labels=params.get("labels", ["0"])[-1] in ("1", "on", "true"),
        channels=params.get("channels", ["0"])[-1] in ("1", "on", "true"),
        categories=categories,
        # A lesson may ask to be framed on its points; a link's own frame= wins.
        fit=frame == "points" if "frame" in params else bool(lesson is not None and lesson.frame == "points"),
        lesson=lesson,
        show_all=bool(show) and lesson is not None,
        mode=mode,
        quiz_points=tuple(quiz_points),
        ask=ask,
        within=float(within),
        notes=tuple(notes),
    )


def _number(value: float) -> str:
    """A cun setting as a link writes it: 0.5, 1, 1.5."""
    return f"{value:g}"


def _choice(params: dict[str, list[str]], key: str, allowed, default: str, notes: list[str]) -> str:
    values = params.get(key, [])
    if not values:
        return default
    value = values[-1].strip().lower()
    if value in allowed:
        return value
    notes.append(_("{key} “{value}” ignored (it may be: {allowed})").format(key=key, value=value[:40],
                                                                            allowed=", ".join(allowed)))
    return default


def to_query(atlas: Atlas, state: FilterState) -> str:
    """The query string that reopens ``state`` (defaults left out).

    A lesson too long for a link (see :func:`bodymap.lesson.encode_lesson`) is
    left out; the lesson panel says so.
    """
    params = []
    token = lesson_token(state.lesson)
    quiz_points = state.quiz_points if state.mode else ()
    if state.views and state.views != default_views(atlas, state.lesson if token else None, quiz_points):
        params.append(("view", ",".join(state.views)))
    if state.conditions:
        params.append(("condition", ",".join(state.conditions)))
    if set(state.meridians) != set(atlas.meridians):
        params.append(("meridian", ",".join(state.meridians) or "none"))
    if state.categories:
        params.append(("category", ",".join(state.categories)))
    if state.search.strip():
        params.append(("search", state.search.strip()))
    if state.point:
        params.append(("point", state.point))
    if state.labels:
        params.append(("labels", "1"))
    if state.channels:
        params.append(("channels", "1"))
    # A lesson may ask to be framed on its points; the link says so only where it differs.
    fit_by_default = bool(token) and state.lesson.frame == "points"
    if state.fit != fit_by_default:
        params.append(("frame", "points" if state.fit else "body"))
    if token:
        params.append(("lesson", token))
        if state.show_all:
            params.append(("show", "all"))
    if state.mode:
        params.append(("mode", state.mode))
        if state.quiz_points:
            params.append(("points", ",".join(state.quiz_points)))
        if state.ask != "find":
            params.append(("ask", state.ask))
        if state.within != 1.0:
            params.append(("within", _number(state.within)))
    return "?" + urlencode(params, safe=",") if params else ""


def lesson_token(lesson: Lesson | None) -> str:
    """The lesson's link token, or "" when there is no lesson or it is too long for a link."""
    if lesson is None or not lesson.points:
        return ""
    try:
        return encode_lesson(lesson)
    except LessonError:
        return ""


def lesson_from_data(atlas: Atlas, data) -> Lesson | None:
    """The lesson the page's store holds (see :func:`lesson_data`), tolerating anything a request sends.

    Unknown codes and junk are dropped; limits are kept; an empty title
    becomes "Untitled lesson", so the lesson can always be written and linked.
    """
    if not isinstance(data, dict):
        return None

    def text(value, limit, newlines=False) -> str:
        if not isinstance(value, str):
            return ""
        value = value.replace("\r\n", "\n")
        # What a lesson file may not hold (control characters) never reaches its link.
        kept = "".join(ch for ch in value if (newlines and ch in "\n\t") or
                       (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in "\ufffe\uffff"))
        return kept.strip()[:limit].strip()

    points, seen = [], set()
    for entry in data.get("points") if isinstance(data.get("points"), list) else []:
        if not isinstance(entry, (list, tuple)) or not entry or not isinstance(entry[0], str):
            continue
        code = entry[0]
        if code in atlas.points and code not in seen and len(points) < MAX_POINTS:
            seen.add(code)
            points.append(LessonPoint(code, text(entry[1] if len(entry) > 1 else "", MAX_NOTE, newlines=True)))
    views = data.get("views") if isinstance(data.get("views"), list) else []
    views = list(dict.fromkeys(v for v in views if isinstance(v, str) and v in atlas.views))
    if views:  # a lesson file's rule: every point is drawn on one of its views
        for point in points:
            drawn = [p.view for p in atlas.points[point.code].placements]
            if not set(drawn) & set(views):
                views.append(drawn[0])
    frame = data.get("frame") if data.get("frame") in ("points", "body") else ""
    return Lesson(title=text(data.get("title"), MAX_TITLE) or UNTITLED, points=tuple(points),
                  intro=text(data.get("intro"), MAX_INTRO, newlines=True), views=tuple(views), frame=frame)


def lesson_data(lesson: Lesson | None) -> dict | None:
    """The lesson as the page's store keeps it: plain JSON."""
    if lesson is None:
        return None
    return {"title": lesson.title, "intro": lesson.intro, "views": list(lesson.views), "frame": lesson.frame,
            "points": [[p.code, p.note] for p in lesson.points]}


def state_from_controls(atlas: Atlas, views, conditions, meridians, search, point, labels, channels,
                        lesson=None, lesson_only=True, *, categories=(), fit=False) -> FilterState:
    """State from the controls' values and the lesson's store, tolerating anything a request sends."""
    def codes(values, allowed) -> tuple[str, ...]:
        if not isinstance(values, (list, tuple)):
            return ()
        return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v in allowed))

    chosen = lesson_from_data(atlas, lesson)
    if chosen is not None and not chosen.points:
        chosen = None  # an emptied lesson is not carried in the link
    return FilterState(
        views=codes(views, app_views(atlas)) or default_views(atlas),
        conditions=_in_atlas_order(codes(conditions, atlas.conditions), atlas.conditions),
        meridians=codes(meridians, atlas.meridians) if isinstance(meridians, (list, tuple)) else tuple(atlas.meridians),
        search=search[:MAX_SEARCH_LENGTH] if isinstance(search, str) else "",
        point=point if isinstance(point, str) and point in atlas.points else None,
        labels=bool(labels),
        channels=bool(channels),
        categories=_in_atlas_order(codes(categories, atlas.categories), atlas.categories),
        fit=bool(fit),
        lesson=chosen,
        show_all=chosen is not None and not lesson_only,
    )


def catalogue_order(atlas: Atlas) -> list[str]:
    """Point codes in channel order: the order of the client's catalogue and masks."""
    return list(query(atlas).codes)


def mask(positions: list[int], size: int) -> str:
    bits = bytearray((size + 7) // 8)
    for position in positions:
        bits[position // 8] |= 1 << (position % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")


def search_payload(atlas: Atlas, search: str, order: dict[str, int]) -> dict | None:
    """What a search matches, as a mask, with each reading explained.

    The browser combines it with the meridian and condition filters, which it
    holds as masks from :func:`condition_masks`; ``None`` for an empty search.
    """
    if not isinstance(search, str) or not search.strip():
        return None
    result = query(atlas, search=search[:MAX_SEARCH_LENGTH])
    payload = {
        "search_mask": mask([order[m.point.code] for m in result.matches], len(order)),
        "readings": [[order[m.point.code], m.how, m.reading] for m in result.matches[:MAX_READINGS]],
    }
    if result.ambiguous:
        payload["note"] = ambiguity_note(result)
    elif result.matches and result.matches[0].field == "condition":
        # Every entry's reading says so too, but only the first MAX_READINGS carry one.
        count = sum(1 for m in result.matches if m.field == "condition")
        how = result.matches[0].how
        payload["note"] = ngettext("{how}: {count} point", "{how}: {count} points", count).format(
            how=how[:1].upper() + how[1:], count=count)
    return payload


def condition_masks(atlas: Atlas, order: dict[str, int]) -> dict[str, str]:
    """Each condition's points as a mask over the catalogue order, from the query itself."""
    return {cid: mask([order[code] for code in query(atlas, conditions=[cid]).codes], len(order))
            for cid in atlas.conditions}


def category_masks(atlas: Atlas, order: dict[str, int]) -> dict[str, str]:
    """Each special-point category's points as a mask over the catalogue order."""
    return {cid: mask([order[code] for code in query(atlas, categories=[cid]).codes], len(order))
            for cid in atlas.categories}


def ambiguity_note(result) -> str:
    readings = [f"{m.reading}: {m.point.code} {m.point.pinyin}" for m in result.matches if m.reading]
    return _("“{search}” has {count} readings — {readings}").format(search=result.search.strip(), count=len(readings),
                                                                    readings="; ".join(readings))


EXPORT_SUFFIXES = {"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png"}


def export_spec(atlas: Atlas, search: str | None):
    """A handout spec from the export link's query string: the page's own state
    (views, conditions, meridians, point) plus title, paper, format, table and frame.

    Unlike the page, an export refuses what it does not understand, so a
    teacher never prints something other than what they chose.
    """
    from ..handout import ExportError, HandoutSpec

    text = (search or "").lstrip("?")
    if len(text) > MAX_QUERY_LENGTH:
        raise ExportError("the export link is too long")
    params = parse_qs(text)
    known = {"view", "condition", "meridian", "category", "search", "point", "labels", "channels", "title", "paper",
             "format", "table", "landscape", "frame", "lang"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ExportError(f"unknown export setting {unknown[0][:40]!r}")
    page_keys = ("view", "condition", "meridian", "category", "search", "point")
    state = parse_query(atlas, urlencode([(k, v) for k in page_keys for v in params.get(k, [])]))
    if state.notes:
        raise ExportError("; ".join(note.removesuffix(" ignored") for note in state.notes))

    def one(key, default):
        return params.get(key, [default])[-1]

    meridians = state.meridians if set(state.meridians) != set(atlas.meridians) else ()
    if not state.meridians:
        raise ExportError("no meridian is ticked, so no point would be printed")
    return HandoutSpec(
        conditions=state.conditions, meridians=meridians, categories=state.categories, search=state.search,
        # A handout draws the 2D views; with only the 3D view shown it chooses them for the points.
        views=tuple(v for v in state.views if v != SCENE_VIEW),
        title=one("title", "")[:200], paper=one("paper", "a4"), format=one("format", "pdf"),
        table=one("table", "1") not in ("0", "off", "false"), landscape=one("landscape", "0") in ("1", "on", "true"),
        frame=one("frame", "points"), lang=_language(atlas, one("lang", "")),
    )


def _language(atlas: Atlas, lang: str) -> str:
    from ..handout import ExportError

    if not lang:
        return ""
    chosen = supported(lang, atlas.languages)
    if chosen is None:
        raise ExportError(f"unknown language {lang[:40]!r}; choose one of: {', '.join(atlas.languages)}")
    return chosen


def lesson_export(atlas: Atlas, search: str | None):
    """The lesson and handout options of an export link that carries a lesson
    (``lesson=TOKEN&paper=a4&format=pdf``), or None when the link carries none.

    The page sends this while it shows only a lesson's points, so its handout
    is the lesson's (its order and notes), as ``bodymap export --spec`` makes it.
    Raises ExportError for anything it does not understand.
    """
    from ..handout import ExportError

    text = (search or "").lstrip("?")
    if len(text) > MAX_QUERY_LENGTH:
        raise ExportError("the export link is too long")
    params = parse_qs(text)
    if "lesson" not in params:
        return None
    unknown = sorted(set(params) - {"lesson", "title", "paper", "format", "table", "landscape", "frame", "lang"})
    if unknown:
        raise ExportError(f"unknown export setting {unknown[0][:40]!r}")
    try:
        lesson = decode_lesson(atlas, params["lesson"][-1])
    except LessonError as error:
        raise ExportError("; ".join(error.problems)) from None

    def one(key, default):
        return params.get(key, [default])[-1]

    title = " ".join(one("title", "").split())[:MAX_TITLE]
    if title:  # the handout panel's title, if the teacher gave one, over the lesson's
        lesson = replace(lesson, title=title)
    return lesson, {"paper": one("paper", "a4"), "format": one("format", "pdf"), "frame": one("frame", ""),
                    "lang": _language(atlas, one("lang", "")),
                    "table": one("table", "1") not in ("0", "off", "false"),
                    "landscape": one("landscape", "0") in ("1", "on", "true")}
