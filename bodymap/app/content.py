"""Pure functions that turn app state into what the page shows.

Callbacks only call these, so tests exercise them without a browser.
"""

from __future__ import annotations

from dash import html

from ..figure import body_figure
from ..model import Atlas
from ..query import QueryResult, query


def default_view(atlas: Atlas) -> str:
    return "front" if "front" in atlas.views else next(iter(atlas.views))


def view_or_default(atlas: Atlas, view: str | None) -> str:
    return view if view in atlas.views else default_view(atlas)


def points_on_view(atlas: Atlas, view: str) -> QueryResult:
    return query(atlas, views=[view])


def results_items(atlas: Atlas, result: QueryResult) -> list:
    """The text alternative to the figure: one list item per point."""
    items = []
    for match in result.matches:
        point = match.point
        meridian = atlas.meridians[point.meridian]
        cautions = [html.Span(f"⚠ {c.kind}", className="badge text-bg-warning ms-2") for c in point.cautions]
        items.append(html.Li(
            [html.Strong(point.code), f" {point.pinyin} {point.hanzi} · {point.english}",
             html.Span(f" · {meridian.name}", className="text-muted"), *cautions],
            className="list-group-item py-1",
            **{"data-code": point.code},
        ))
    return items


def view_content(atlas: Atlas, view: str | None):
    """Figure, result items and a count for one view."""
    view = view_or_default(atlas, view)
    result = points_on_view(atlas, view)
    figure = body_figure(atlas, view, result)
    count = f"{len(result)} points on the {atlas.views[view].name.lower()} view"
    return figure, results_items(atlas, result), count
