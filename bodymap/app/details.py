"""The details of one point: codes, names, where it is, cautions first."""

from __future__ import annotations

from ..i18n import _, caution_kind, marked

import dash_bootstrap_components as dbc
from dash import html

from ..model import ILLUSTRATIVE_NOTICE, Atlas
from ..serialise import category_text, trial_text
from .ids import ID, LESSON_ADD


def build() -> html.Div:
    # Focusable, so a keyboard can scroll long details; a named region for screen readers.
    return html.Div(placeholder(), id=ID.DETAILS, className="details", tabIndex="0", role="region",
                    **{"aria-live": "polite", "aria-label": _("Point details")})


def placeholder() -> list:
    return [html.P(_("Click a point on a figure or in the list to read about it."), className="text-muted small mb-0")]


def render(atlas: Atlas, code: str | None, lesson_codes=()) -> list:
    """Details of ``code`` as page components; the placeholder when none.

    ``lesson_codes`` are the points of the lesson being built: the details
    offer to add the point, or say where it already stands in the lesson.
    """
    point = atlas.points.get(code) if isinstance(code, str) else None
    if point is None:
        return placeholder()
    meridian = atlas.meridians[point.meridian]
    lesson_codes = list(lesson_codes or [])
    if point.code in lesson_codes:
        lesson = html.P(_("Point {number} of the lesson.").format(number=lesson_codes.index(point.code) + 1),
                        className="small text-muted mb-0 lesson-place")
    else:
        lesson = html.Button(_("Add {code} to the lesson").format(code=point.code), id={"type": LESSON_ADD, "index": 0}, type="button",
                             className="btn btn-outline-primary btn-sm")
    children = [
        html.Div([
            html.H2([html.Span(point.code, className="me-2"),
                     html.Span(f"{point.pinyin} {point.hanzi}", className="fw-normal")], className="h5 mb-1 me-auto"),
            lesson,
        ], className="d-flex flex-wrap align-items-start gap-1"),
        html.P([point.english, html.Span(f" · {meridian.name} ({meridian.code})", className="text-muted")],
               className="mb-2"),
    ]
    if point.outside_who:
        children.append(html.P([html.Span(_("outside the WHO list"), className="badge text-bg-info me-2"),
                                point.outside_who], className="small outside-who"))
    if point.cautions:
        children.append(dbc.Alert(
            [html.Strong(_("Caution")), html.Ul([html.Li([html.Strong(caution_kind(c.kind) + ": "), marked(c.text)]) for c in point.cautions],
                                             className="mb-0 ps-3")],
            color="danger", className="py-2 small"))
    if point.categories:
        cited = dict.fromkeys(atlas.sources[c.source].citation for c in point.categories)
        children += [html.H3(_("Special point categories"), className="h6 mt-2 mb-1"), html.Ul(
            [html.Li([category_text(atlas, c)] + ([html.Span(f" ({c.note})", className="text-muted")] if c.note else []))
             for c in point.categories], className="small ps-3 mb-0"),
            html.P(_("Source: {sources}").format(sources="; ".join(cited)), className="small text-muted")]
    children += [
        html.H3(_("Location"), className="h6 mt-2 mb-1"), html.P(marked(point.location), className="small"),
    ]
    if point.location_note:
        children.append(html.P([html.Strong(_("Where authorities differ: ")), marked(point.location_note.text),
                                html.Span(f" ({atlas.sources[point.location_note.source].citation})",
                                          className="text-muted")], className="small location-note"))
    children += [
        html.H3(_("How to find it"), className="h6 mb-1"), html.P(marked(point.how_to_find), className="small"),
    ]
    if point.aliases:
        children += [html.H3(_("Also written"), className="h6 mb-1"), html.Ul(
            [html.Li([html.Code(a.code), f" — {a.system}" + (f" ({a.note})" if a.note and not a.derived else "")])
             for a in point.aliases], className="small ps-3")]
    if point.links:
        by_condition: dict[str, list] = {}
        for link in point.links:
            by_condition.setdefault(link.condition, []).append(link)
        children += [html.H3(_("Traditionally used for"), className="h6 mb-1"), html.Ul([
            html.Li([html.Span(atlas.conditions[cid].name, className="fw-semibold"), html.Ul([
                html.Li([atlas.sources[link.source].citation] + ([html.Br(), html.Em(link.note)] if link.note else []))
                for link in links], className="ps-3 text-muted")])
            for cid, links in by_condition.items()], className="small ps-3")]
    if point.trials:
        # Research, kept apart from the traditional indications and worded as what was done, not what it showed.
        children += [html.H3(_("In research"), className="h6 mb-1"), html.P(
            _("Randomised trials whose treated group had this point among its needles. That a trial used a point "
              "does not show that the point works."), className="small text-muted mb-1"), html.Ul([
                html.Li([_sentence(trial_text(atlas, doi)) + " — ",
                         html.A(f"doi:{doi}", href=atlas.trials[doi].url, target="_blank", rel="noopener noreferrer")])
                for doi in point.trials], className="small ps-3 mb-1"),
            html.P(_("Source: {sources}").format(sources=atlas.sources[atlas.trials[point.trials[0]].source].citation),
                   className="small text-muted")]
    views = _(", ").join(dict.fromkeys(atlas.views[p.view].name for p in point.placements))
    children.append(html.P([html.Span(_("illustrative position"), className="badge text-bg-secondary me-2"),
                            _("Shown on: {views}.").format(views=views) + " " + _(ILLUSTRATIVE_NOTICE)], className="small text-muted"))
    return children


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
