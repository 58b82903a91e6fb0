"""What a handout shows, checked against the atlas before anything is drawn."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..i18n import _, ngettext
from ..model import Atlas
from ..query import QueryError, QueryResult, query, resolve_view

PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # points, portrait
FORMATS = ("pdf", "svg", "png")
# "points": each view framed on the handout's points (about 2 cun round them); "body": the whole view.
FRAMES = ("points", "body")
MAX_TITLE = 120
MAX_VIEWS = 4


class ExportError(ValueError):
    """A handout option that cannot be honoured; the message says what to change."""


class ExportTimeout(ExportError):
    """The converter did not finish in time: nothing wrong with the request, try again."""


@dataclass(frozen=True)
class HandoutSpec:
    conditions: tuple[str, ...] = ()
    meridians: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    search: str = ""
    views: tuple[str, ...] = ()
    title: str = ""
    subtitle: str = ""
    paper: str = "a4"
    landscape: bool = False
    table: bool = True
    format: str = "pdf"
    frame: str = "points"
    # The handout's language ("" for the language in use); see bodymap.i18n.
    lang: str = ""
    date: str = field(default="", compare=False)

    @property
    def page_size(self) -> tuple[float, float]:
        width, height = PAPERS[self.paper]
        return (height, width) if self.landscape else (width, height)


@dataclass(frozen=True)
class Selection:
    """A checked spec: the points in order (numbered from 1) and the views to draw."""

    spec: HandoutSpec
    result: QueryResult
    views: tuple[str, ...]
    title: str
    subtitle: str
    # A lesson's teaching notes, one per point in result order ("" for none), and its intro.
    notes: tuple[str, ...] = ()
    intro: str = ""


def dated(spec: HandoutSpec) -> HandoutSpec:
    """The spec with today's date when it has none."""
    import datetime

    return spec if spec.date else replace(spec, date=datetime.date.today().isoformat())


def select(atlas: Atlas, spec: HandoutSpec) -> Selection:
    """Resolve a spec to points and views, or raise :class:`ExportError`."""
    if spec.paper not in PAPERS:
        raise ExportError(_("paper {value} is not one of: {choices}").format(value=repr(spec.paper),
                                                                             choices=", ".join(PAPERS)))
    if spec.format not in FORMATS:
        raise ExportError(_("format {value} is not one of: {choices}").format(value=repr(spec.format),
                                                                              choices=", ".join(FORMATS)))
    if spec.frame not in FRAMES:
        raise ExportError(_("frame {value} is not one of: {choices}").format(value=repr(spec.frame),
                                                                             choices=", ".join(FRAMES)))
    if len(spec.title) > MAX_TITLE or len(spec.subtitle) > MAX_TITLE:
        raise ExportError(ngettext("title and subtitle may be at most {limit} character",
                                   "title and subtitle may be at most {limit} characters",
                                   MAX_TITLE).format(limit=MAX_TITLE))
    try:
        result = query(atlas, conditions=spec.conditions, meridians=spec.meridians, points=spec.points,
                       categories=spec.categories, search=spec.search)
        views = tuple(dict.fromkeys(resolve_view(atlas, v) for v in spec.views))
    except QueryError as error:
        raise ExportError(str(error)) from None
    if not result.matches:
        raise ExportError(_("no points match these options; choose a condition, meridian or point that has points"))
    if not views:
        views = _views_showing(atlas, result)
    if len(views) > MAX_VIEWS:
        raise ExportError(ngettext("a handout shows at most {limit} view; choose fewer with --views",
                                   "a handout shows at most {limit} views; choose fewer with --views",
                                   MAX_VIEWS).format(limit=MAX_VIEWS))
    shown = {p.point for v in views for p in _placements(atlas, result, v)}
    if not shown:
        raise ExportError(_("none of the chosen points is placed on {views}; choose other views").format(
            views=", ".join(views)))
    return Selection(spec, result, views, spec.title or default_title(atlas, spec), spec.subtitle)


def _area(atlas: Atlas, view: str) -> float:
    _unused, _unused, width, height = atlas.views[view].silhouette.view_box
    return width * height


def _placements(atlas: Atlas, result: QueryResult, view: str):
    return [p for m in result.matches for p in m.point.placements if p.view == view]


# A region of a chosen view is added as a close-up when at least this many of the points crowd into it.
CLOSE_UP_POINTS = 8


def _views_showing(atlas: Atlas, result: QueryResult) -> tuple[str, ...]:
    """The full-body views that show most of the points, at most two, and a close-up of the region where
    many of them crowd together (the lower back of a back-pain handout)."""
    counts = {v: len({p.point for p in _placements(atlas, result, v)}) for v in ("front", "back", "side")
              if v in atlas.views}
    ranked = sorted((v for v in counts if counts[v]), key=lambda v: -counts[v])[:2]
    if ranked:
        close_ups = []
        for view in ranked:
            crowds = {rid: len({p.point for p in _placements(atlas, result, rid)}) for rid, region in
                      atlas.views.items() if region.region_of == view}
            best = max(crowds, key=lambda rid: (crowds[rid], -_area(atlas, rid)), default=None)
            if best is not None and crowds[best] >= CLOSE_UP_POINTS and crowds[best] < counts[view]:
                close_ups.append((crowds[best], best))
        return tuple(ranked) + tuple(rid for _unused, rid in sorted(close_ups, reverse=True)[:MAX_VIEWS - len(ranked) - 1])
    for view in atlas.views:  # points only on close-ups (the hand, the foot)
        if _placements(atlas, result, view):
            return (view,)
    return ()


def file_stem(title: str) -> str:
    """A file name for a handout titled ``title``: lowercase words joined by hyphens."""
    return re.sub(r"[^a-z0-9-]+", "-", title.lower()).strip("-")[:60] or "bodymap-handout"


def default_title(atlas: Atlas, spec: HandoutSpec) -> str:
    together = _(", ")
    if spec.conditions:
        names = [atlas.conditions[c].name for c in spec.conditions if c in atlas.conditions]
        return _("Points for {conditions}").format(conditions=together.join(names).lower()) if names else _("Points")
    if spec.meridians:
        names = [atlas.meridians[m].name for m in spec.meridians if m in atlas.meridians]
        return ngettext("The {names} channel", "The {names} channels", len(names)).format(names=together.join(names))
    if spec.categories:
        names = [atlas.categories[c].short_name for c in spec.categories if c in atlas.categories]
        # TRANSLATORS: {names} are special-point categories without the word "point": "Back-shu, Front-mu".
        return _("{names} points").format(names=together.join(names)) if names else _("Special points")
    return _("Acupuncture points")
