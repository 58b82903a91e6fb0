"""Lessons: a teacher's points in teaching order, each with an optional note.

A lesson is read from TOML (checked against the atlas, every problem reported
as ``FILE:LINE: field: message``), written back as TOML, and carried whole in
a short URL token so that any worker can open it without storing anything.
It sits above the query layer; handouts, quizzes, the app and the CLI read it.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import tomllib
import unicodedata
import urllib.parse
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from weakref import WeakKeyDictionary

import tomli_w

from .codes import name_key
from .i18n import _, ngettext, supported
from .model import Atlas, Placement
from .problems import display_path
from .query import QueryError, resolve_point, resolve_view, search_points

MAX_BYTES = 64 * 1024
MAX_POINTS = 60
MAX_TITLE = 120
MAX_INTRO = 500
MAX_NOTE = 300
MAX_TOKEN = 1800
FRAMES = ("points", "body")
TOKEN_VERSION = "1"

TOP_KEYS = ("title", "intro", "views", "frame", "lang", "point")
POINT_KEYS = ("code", "note")


@dataclass(frozen=True)
class LessonPoint:
    code: str
    note: str = ""


@dataclass(frozen=True)
class Lesson:
    title: str
    points: tuple[LessonPoint, ...]
    intro: str = ""
    views: tuple[str, ...] = ()
    frame: str = ""
    # The language of the lesson's handout, quiz and link ("" for the reader's own).
    lang: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(point.code for point in self.points)


class LessonError(ValueError):
    """A lesson that cannot be used; ``problems`` says what is wrong and what to do, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- where things are in the TOML text -------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.]""")


class _Lines:
    """Line numbers of the top-level keys and of each [[point]] table and its keys.

    tomllib gives values without positions, so the text is scanned for them;
    a key not found (written in an unusual way) falls back to its table's line.
    """

    def __init__(self, text: str):
        self.top: dict[str, int] = {}
        self.points: list[tuple[int, dict[str, int]]] = []
        self.last = max(1, text.count("\n") + 1)
        section: dict[str, int] | None = self.top
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                name = header.group(2).strip("\"' ")
                if header.group(1) == "[[" and name == "point":
                    self.points.append((number, {}))
                    section = self.points[-1][1]
                else:
                    self.top.setdefault(name.split(".")[0], number)
                    section = None
                continue
            key = _KEY.match(line)
            if key and section is not None:
                section.setdefault(next(g for g in key.groups() if g is not None), number)

    def of(self, index: int | None, key: str | None) -> int:
        if index is None:
            return self.top.get(key, 1) if key else 1
        if index < len(self.points):
            start, keys = self.points[index]
            return keys.get(key, start) if key else start
        return self.top.get("point", 1)


# --- checking a lesson document ---------------------------------------------------------------------

Where = Callable[[int | None, str | None], str]


def _bad_text(text: str, newlines: bool) -> str:
    """Why ``text`` cannot be printed on a page, or ""."""
    for ch in text:
        if ch in "\n\t" and newlines:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
            return _("contains the control character U+{number}; remove it").format(number=f"{ord(ch):04X}")
    return ""


_EXACT_CODES: "WeakKeyDictionary[Atlas, dict[str, str]]" = WeakKeyDictionary()


def _exact_codes(atlas: Atlas) -> dict[str, str]:
    codes = _EXACT_CODES.get(atlas)
    if codes is None:
        codes = _EXACT_CODES[atlas] = {name_key(code): code for code in atlas.points}
    return codes


def resolve_code(atlas: Atlas, text: str) -> str:
    """The WHO code that ``text`` names; a QueryError says why there is none.

    A WHO code in any spelling (``BL-54``) is that point. Any other form
    (``UB23``, ``Ren12``, ``B54``, ``Weizhong``, a popular name) must have
    one reading: ``B54`` is BL54 in WHO numbering but BL40 in the older
    bladder numbering, so it is refused with both readings listed.
    """
    key = name_key(text)
    if not key:
        raise QueryError(_("is empty; write a point code such as BL23"))
    exact = _exact_codes(atlas).get(key)
    if exact:
        return exact
    matches = search_points(atlas, text)
    precise = [m for m in matches if m.field in ("code", "alias")]
    if not precise:
        precise = [m for m in matches if m.field in ("pinyin", "hanzi", "english")
                   and key == name_key(getattr(m.point, m.field))]
    codes = list(dict.fromkeys(m.point.code for m in precise))
    if len(codes) == 1:
        return codes[0]
    if len(codes) > 1:
        readings = "; ".join(f"[{m.reading or m.field}] {m.how}" for m in precise)
        # TRANSLATORS: joins the WHO codes a point name may mean: "BL54 or BL40".
        alternatives = _(" or ").join(codes)
        raise QueryError(_("{text} is ambiguous: {readings}; write the WHO code you mean ({codes})").format(
            text=repr(text), readings=readings, codes=alternatives))
    near = [m.point.code for m in matches if m.field in ("pinyin", "hanzi", "english", "alias")][:5]
    if near:
        raise QueryError(_("{text} is not a point bodymap knows; did you mean {codes}?").format(
            text=repr(text), codes=", ".join(near)))
    raise QueryError(_("{text} is not a point bodymap knows; `bodymap points --search TEXT` finds codes").format(
        text=repr(text)))


def _check(atlas: Atlas, document: dict, where: Where) -> Lesson:
    problems: list[str] = []

    def problem(index: int | None, key: str | None, field: str, message: str) -> None:
        problems.append(f"{where(index, key)}: {field}: {message}")

    for key in document:
        if key not in TOP_KEYS:
            if key == "points":
                message = _("unknown key {key}; write each point as a [[point]] table with code = \"BL23\"")
            else:
                message = _("unknown key {key}; a lesson has {keys} and [[point]] tables")
            problem(None, key, key, message.format(key=repr(key), keys=", ".join(TOP_KEYS[:-1])))

    def text(index, table, key, limit, *, required=False, newlines=False) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            problem(index, key, key, _("give a string in quotes, like {key} = \"...\"").format(key=key))
            return ""
        value = value.replace("\r\n", "\n").strip()
        if required and not value:
            message = (_("is empty; add {key} = \"Week 3: the low back\" at the top of the lesson") if key in table
                       else _("is missing; add {key} = \"Week 3: the low back\" at the top of the lesson"))
            problem(index, key, key, message.format(key=key))
        elif len(value) > limit:
            problem(index, key, key, ngettext("is {count} character; shorten it to at most {limit}",
                                              "is {count} characters; shorten it to at most {limit}",
                                              len(value)).format(count=len(value), limit=limit))
        elif _bad_text(value, newlines):
            problem(index, key, key, _bad_text(value, newlines))
        return value

    title = text(None, document, "title", MAX_TITLE, required=True)
    intro = text(None, document, "intro", MAX_INTRO, newlines=True)

    frame = document.get("frame", "")
    if not isinstance(frame, str) or frame not in ("",) + FRAMES:
        problem(None, "frame", "frame", _("{value} is not one of: {choices} (points: the figure zooms to the "
                                          "lesson's points; body: the whole body)").format(
            value=repr(frame), choices=", ".join(FRAMES)))
        frame = ""

    lang = document.get("lang", "")
    chosen = supported(lang, atlas.languages) if isinstance(lang, str) and lang else ""
    if lang and not chosen:
        problem(None, "lang", "lang", _("{value} is not one of: {choices}").format(
            value=repr(lang), choices=", ".join(atlas.languages)))

    views: list[str] = []
    raw_views = document.get("views", [])
    if not isinstance(raw_views, list) or not all(isinstance(v, str) for v in raw_views):
        problem(None, "views", "views", _("give a list of view ids in quotes, like views = [\"back\", \"side\"]"))
        raw_views = []
    for view in raw_views:
        try:
            view_id = resolve_view(atlas, view)
        except QueryError as error:
            problem(None, "views", "views", f"{error}")
            continue
        if view_id in views:
            problem(None, "views", "views", _("{view} is listed twice; list each view once").format(
                view=repr(view_id)))
        else:
            views.append(view_id)

    raw_points = document.get("point", [])
    if not isinstance(raw_points, list) or not all(isinstance(p, dict) for p in raw_points):
        problem(None, "point", "point", _("write each point as its own [[point]] table (two brackets) "
                                          "with code = \"BL23\""))
        raw_points = []
    elif not raw_points and "points" not in document:  # a misspelt `points` is reported above
        problem(None, None, "point", _("the lesson has no points; add a [[point]] table with code = \"BL23\" "
                                       "for each point, in teaching order"))
    points: list[LessonPoint] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(raw_points):
        if index == MAX_POINTS:
            problem(index, None, "point", ngettext(
                "a lesson holds at most {limit} point and this is point {number}; split the lesson into two",
                "a lesson holds at most {limit} points and this is point {number}; split the lesson into two",
                MAX_POINTS).format(limit=MAX_POINTS, number=index + 1))
            break
        for key in table:
            if key not in POINT_KEYS:
                problem(index, key, key, _("unknown key {key} in point {number}; a point has code and note").format(
                    key=repr(key), number=index + 1))
        raw_code = table.get("code")
        code = ""
        if raw_code is None:
            problem(index, None, "code", _("point {number} has no code; add code = \"BL23\"").format(
                number=index + 1))
        elif not isinstance(raw_code, str):
            problem(index, "code", "code", _("give the code as a string in quotes, like code = \"BL23\""))
        else:
            try:
                code = resolve_code(atlas, raw_code)
            except QueryError as error:
                problem(index, "code", "code", str(error))
        note = text(index, table, "note", MAX_NOTE, newlines=True)
        if not code:
            continue
        if code in seen:
            problem(index, "code", "code", _("{written} is {code}, already point {number} ({where}); "
                                             "keep one of them").format(
                written=repr(raw_code), code=code, number=seen[code] + 1, where=where(seen[code], "code")))
            continue
        seen[code] = index
        placed = dict.fromkeys(p.view for p in atlas.points[code].placements if not atlas.views[p.view].region_of)
        if views and not set(views) & {p.view for p in atlas.points[code].placements}:
            problem(index, "code", "code", _("{code} is not drawn on {views}; add one of its views "
                                             "({placed}) to views").format(
                code=code, views=", ".join(views), placed=", ".join(placed)))
        points.append(LessonPoint(code, note))
    if problems:
        raise LessonError(problems)
    return Lesson(title=title, points=tuple(points), intro=intro, views=tuple(views), frame=frame, lang=chosen or "")


# --- reading and writing files ----------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def too_large(name: str, size: int) -> str:
    """The problem line for a lesson file of ``size`` bytes, past MAX_BYTES (also said before an upload)."""
    message = ngettext("is {size} byte; a lesson may be at most {limit} bytes (64 KiB): split it into smaller lessons",
                       "is {size} bytes; a lesson may be at most {limit} bytes (64 KiB): split it into smaller lessons",
                       size).format(size=f"{size:,}", limit=f"{MAX_BYTES:,}")
    return f"{name}:1: file: {message}"


def parse_lesson(atlas: Atlas, text: str, name: str = "lesson.toml") -> Lesson:
    """A checked :class:`Lesson` from TOML text, or :class:`LessonError` listing every problem."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = _("is not UTF-8 text (byte {number}); save it as UTF-8").format(number=error.start + 1)
            raise LessonError([f"{name}:1: file: {message}"]) from None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise LessonError([too_large(name, size)])
    text = text.removeprefix("\ufeff")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = text.count("\n") + 1
        if position and position.group(1):
            line = int(position.group(1))
            message = _TOML_POSITION.sub(f" at column {position.group(2)}", message)
        else:
            message = _TOML_POSITION.sub(" at the end of the file", message)
        # TRANSLATORS: {error} is the TOML reader's own message, in English.
        message = _("{error}; fix the TOML syntax (strings in double quotes, one key = value a line)").format(
            error=message)
        raise LessonError([f"{name}:{line}: TOML: {message}"]) from None
    lines = _Lines(text)
    return _check(atlas, document, lambda index, key: f"{name}:{lines.of(index, key)}")


def load_lesson(atlas: Atlas, path) -> Lesson:
    """The lesson in the file at ``path``; file problems are a :class:`LessonError` naming it."""
    path = Path(path)
    name = display_path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise LessonError([too_large(name, path.stat().st_size)])
        raw = path.read_bytes()
    except IsADirectoryError:
        message = _("is a folder; give the lesson's .toml file")
        raise LessonError([f"{name}:1: file: {message}"]) from None
    except FileNotFoundError:
        message = _("does not exist; check the name and folder")
        raise LessonError([f"{name}:1: file: {message}"]) from None
    except OSError as error:
        message = _("cannot be read ({reason}); check its permissions").format(reason=error.strerror)
        raise LessonError([f"{name}:1: file: {message}"]) from None
    return parse_lesson(atlas, raw, name)


def looks_like_lesson(text: str) -> bool:
    """True for a lesson (it has [[point]] tables) rather than a handout spec file."""
    return bool(re.search(r"^\s*\[\[\s*point\s*\]\]|^\s*point\s*=", text, re.MULTILINE))


def _document(lesson: Lesson) -> dict:
    document: dict = {"title": lesson.title}
    if lesson.intro:
        document["intro"] = lesson.intro
    if lesson.views:
        document["views"] = list(lesson.views)
    if lesson.frame:
        document["frame"] = lesson.frame
    if lesson.lang:
        document["lang"] = lesson.lang
    document["point"] = [{"code": p.code, **({"note": p.note} if p.note else {})} for p in lesson.points]
    return document


def lesson_toml(lesson: Lesson) -> str:
    """The lesson as TOML text that :func:`parse_lesson` reads back to the same lesson."""
    document = _document(lesson)
    points = document.pop("point")
    # tomli-w escapes the strings; the [[point]] tables are laid out as teachers write them.
    parts = [tomli_w.dumps(document)] + ["[[point]]\n" + tomli_w.dumps(point) for point in points]
    return "\n".join(parts)


def covering_views(atlas: Atlas, codes, limit: int = 4) -> tuple[str, ...]:
    """Few views (at most ``limit``) that between them show every point: the one showing most of the rest first.

    For a lesson without ``views``: its handout, its quiz and the app show these.
    """
    shows = {view: {c for c in codes if any(p.view == view for p in atlas.points[c].placements)}
             for view in atlas.views}
    chosen, missing = [], set(codes)
    while missing and len(chosen) < limit:
        best = max(atlas.views, key=lambda v: len(shows[v] & missing))  # ties: the atlas's order
        if not shows[best] & missing:
            break
        chosen.append(best)
        missing -= shows[best]
    return tuple(chosen)


# --- the lesson in a URL -----------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_JSON = 64 * 1024


def encode_lesson(lesson: Lesson) -> str:
    """The whole lesson as a URL-safe token: ``1`` + base64url(raw deflate(compact JSON)).

    Raises :class:`LessonError` when the token would be longer than MAX_TOKEN characters.
    """
    payload = {"t": lesson.title, "p": [[p.code, p.note] if p.note else [p.code] for p in lesson.points]}
    if lesson.intro:
        payload["i"] = lesson.intro
    if lesson.views:
        payload["v"] = list(lesson.views)
    if lesson.frame:
        payload["f"] = lesson.frame
    if lesson.lang:
        payload["l"] = lesson.lang
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    token = TOKEN_VERSION + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(token) > MAX_TOKEN:
        message = ngettext("the lesson needs {count} character in a link and a link holds at most {limit}; "
                           "shorten the notes or the intro, or split the lesson into two",
                           "the lesson needs {count} characters in a link and a link holds at most {limit}; "
                           "shorten the notes or the intro, or split the lesson into two",
                           len(token)).format(count=len(token), limit=MAX_TOKEN)
        raise LessonError([f"link: {message}"])
    return token


def decode_lesson(atlas: Atlas, token: str) -> Lesson:
    """The lesson a token carries, checked like a file; junk is a :class:`LessonError`, never a crash."""
    def refuse(message: str) -> LessonError:
        # TRANSLATORS: {problem} says what is wrong with the lesson link: "is cut short".
        advice = _("{problem}; ask for a fresh link (`bodymap lesson link FILE`)").format(problem=message)
        return LessonError([f"link: lesson: {advice}"])

    if not isinstance(token, str):
        raise refuse(_("is not text"))
    token = token.strip()
    if len(token) > MAX_TOKEN + 1:
        raise refuse(ngettext("is {count} character, longer than a lesson link can be ({limit})",
                              "is {count} characters, longer than a lesson link can be ({limit})",
                              len(token)).format(count=len(token), limit=MAX_TOKEN))
    if not token.startswith(TOKEN_VERSION) or not _TOKEN.match(token):
        raise refuse(_("is not a bodymap lesson link (it may have been cut short or changed)"))
    body = token[1:]
    damaged = _("is damaged (it may have been cut short or changed)")
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        unpacker = zlib.decompressobj(-15)
        data = unpacker.decompress(packed, MAX_JSON + 1)  # bounded: a small token cannot unpack to gigabytes
    except (binascii.Error, ValueError, zlib.error):
        raise refuse(damaged) from None
    if len(data) > MAX_JSON or unpacker.unconsumed_tail:
        raise refuse(_("unpacks to more than a lesson can hold"))
    if not unpacker.eof:
        raise refuse(_("is cut short"))
    try:
        payload = json.loads(data.decode("utf-8"))
    except ValueError:
        raise refuse(damaged) from None
    if not isinstance(payload, dict):
        raise refuse(_("holds no lesson"))
    points = payload.get("p")
    if not isinstance(points, list) or not all(
            isinstance(p, list) and 1 <= len(p) <= 2 and all(isinstance(s, str) for s in p) for p in points):
        raise refuse(_("holds no list of points"))
    unknown = set(payload) - {"t", "p", "i", "v", "f", "l"}
    if unknown:
        raise refuse(_("has unknown fields ({fields})").format(fields=", ".join(sorted(unknown))))
    document = {"title": payload.get("t"), "point": [{"code": p[0], **({"note": p[1]} if len(p) > 1 else {})}
                                                   for p in points]}
    for short, key in (("i", "intro"), ("v", "views"), ("f", "frame"), ("l", "lang")):
        if short in payload:
            document[key] = payload[short]
    if document["title"] is None:
        del document["title"]

    def where(index, key):
        return "link" if index is None else f"link: point {index + 1}"

    return _check(atlas, document, where)


def lesson_url(lesson: Lesson, base: str = "http://127.0.0.1:8050/", mode: str = "") -> str:
    """``base?lesson=TOKEN`` (``&mode=quiz`` for a quiz) that opens the lesson in the app."""
    if mode not in ("", "quiz"):
        raise ValueError(f"mode {mode!r} is not one of: quiz (or empty for the lesson)")
    parts = urllib.parse.urlsplit(base)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in ("lesson", "mode")] + [("lesson", encode_lesson(lesson))]
    if mode:
        query.append(("mode", mode))
    if lesson.lang and not any(k == "lang" for k, _v in query):
        query.append(("lang", lesson.lang))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query), path=parts.path or "/"))


# --- scoring a click --------------------------------------------------------------------------------

def cun_units(atlas: Atlas, placement: Placement) -> float:
    """SVG units per cun at a placement: its anchor landmark's cun, else the nearest landmark's."""
    landmarks = atlas.landmarks.get(placement.view, {})
    if placement.anchor is not None and placement.anchor.landmark in landmarks:
        return landmarks[placement.anchor.landmark].cun
    if not landmarks:
        raise ValueError(f"the {placement.view} view has no landmarks, so it has no cun measure")
    nearest = min(landmarks.values(), key=lambda m: math.hypot(m.x - placement.x, m.y - placement.y))
    return nearest.cun


def cun_distance(atlas: Atlas, view: str, code: str, x: float, y: float) -> float:
    """Distance in cun from (x, y), in the view's SVG units, to the nearest placement of ``code`` on ``view``.

    Each placement's units are turned into cun with the cun measure of its
    anchor landmark (landmarks.csv ``cun``: units per cun), or of the landmark
    nearest to it when it has no anchor. Raises ValueError when the view is
    unknown, the point is unknown or not drawn on that view, or x/y are not numbers.
    """
    view_id = resolve_view(atlas, view)
    point = atlas.points.get(code) or atlas.points[resolve_point(atlas, code)]
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        raise ValueError(f"({x!r}, {y!r}) is not a position; give two numbers") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"({x}, {y}) is not a position on the view")
    placements = [p for p in point.placements if p.view == view_id]
    if not placements:
        shown = ", ".join(dict.fromkeys(p.view for p in point.placements))
        raise ValueError(f"{point.code} is not drawn on the {view_id} view (it is on: {shown})")
    return min(math.hypot(x - p.x, y - p.y) / cun_units(atlas, p) for p in placements)
