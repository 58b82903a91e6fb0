"""The side panel: views, conditions, meridians, search and display switches."""

from __future__ import annotations

from ..i18n import _

from collections import defaultdict

import dash_bootstrap_components as dbc
from dash import html

from ..model import Atlas
from .ids import ID, condition_group_id
from .scene import SCENE_NAME
from .state import SCENE_VIEW, app_views

# A glyph per plotly marker symbol, so each meridian chip shows its marker's shape too.
SYMBOL_GLYPHS = {
    "circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲", "triangle-down": "▼",
    "triangle-left": "◀", "triangle-right": "▶", "pentagon": "⬟", "hexagon": "⬢", "star": "★",
    "cross": "✚", "x": "✖", "diamond-tall": "♦", "square-x": "⊠", "star-triangle-up": "✦",
}


def condition_groups(atlas: Atlas) -> list[tuple[str, list]]:
    """Conditions under their group headings, groups in data order, names sorted."""
    groups = defaultdict(list)
    for condition in atlas.conditions.values():
        groups[condition.group].append(condition)
    return [(group, sorted(conditions, key=lambda c: c.name)) for group, conditions in groups.items()]


def condition_picker(atlas: Atlas) -> html.Fieldset:
    """Every condition as a plain labelled checkbox, grouped, with a filter box.

    Native checkboxes rather than a custom multi-select: each is named and
    reachable for a screen reader and the keyboard, and ticking one costs the
    page little.
    """
    groups = [
        html.Fieldset([
            html.Legend(conditions[0].heading, className="condition-group-name small text-uppercase text-muted mb-0"),
            dbc.Checklist(id=condition_group_id(group), value=[], className="small",
                          options=[{"label": c.name, "value": c.id} for c in conditions]),
        ], className="condition-group mb-1", **{"data-group": group})
        for group, conditions in condition_groups(atlas)
    ]
    return html.Fieldset([
        html.Legend(_("Conditions"), className="fw-semibold mb-1 fs-6"),
        dbc.Label(_("Filter the list of conditions"), html_for=ID.CONDITION_FILTER, className="visually-hidden"),
        dbc.Input(id=ID.CONDITION_FILTER, type="search", size="sm", autoComplete="off", className="mb-1",
                  placeholder=_("Filter conditions…")),
        html.P(id=ID.CONDITIONS_CHOSEN, className="small mb-1 conditions-chosen", **{"aria-live": "polite"}),
        html.Div(groups, id=ID.CONDITIONS, className="condition-groups"),
    ], className="mb-3")


def category_picker(atlas: Atlas) -> html.Fieldset:
    """The special-point categories as plain labelled checkboxes; a point in any ticked one passes."""
    return html.Fieldset([
        html.Legend(_("Special points"), id=ID.CATEGORIES_LABEL, className="fw-semibold mb-1 fs-6"),
        dbc.Checklist(id=ID.CATEGORIES, value=[], className="small category-select",
                      options=[{"label": c.name, "value": c.id} for c in atlas.categories.values()]),
    ], className="mb-3")


def meridian_options(atlas: Atlas) -> list[dict]:
    return [
        {"label": html.Span([
            html.Span(SYMBOL_GLYPHS.get(m.symbol, "●"), className="meridian-chip", style={"color": m.colour},
                      **{"aria-hidden": "true"}),
            html.Span(f"{m.code} ", className="fw-semibold"),
            html.Span(m.name, className="text-muted"),
        ]), "value": m.code}
        for m in atlas.meridians.values()
    ]


def view_options(atlas: Atlas) -> list[dict]:
    """The drawn views (regions among them), then the 3D body when the atlas has one."""
    options = [{"label": v.name, "value": v.id} for v in atlas.views.values()]
    if SCENE_VIEW in app_views(atlas):
        options.append({"label": _(SCENE_NAME), "value": SCENE_VIEW})
    return options


def build(atlas: Atlas) -> html.Div:
    return html.Div(
        [
            html.Fieldset([
                html.Legend(_("Views"), className="fw-semibold mb-1 fs-6"),
                dbc.Checklist(id=ID.VIEWS, options=view_options(atlas), value=[], inline=True,
                              className="view-select"),
            ], className="mb-3"),
            html.Div([
                dbc.Label(_("Search"), html_for=ID.SEARCH, className="fw-semibold mb-1"),
                dbc.Input(id=ID.SEARCH, type="search", debounce=0.3, maxLength=100, autoComplete="off",
                          placeholder="BL23, UB-23, B54, Shen Shu, 肾俞, Joining Valley…"),
                html.Div(id=ID.SEARCH_NOTE, className="form-text", **{"aria-live": "polite"}),
            ], className="mb-3"),
            condition_picker(atlas),
            category_picker(atlas),
            html.Div([
                html.Div([
                    html.Span(_("Meridians"), id=ID.MERIDIANS_LABEL, className="fw-semibold mb-1 me-auto"),
                    dbc.Button(_("All"), id=ID.MERIDIANS_ALL, size="sm", color="link", className="py-0",
                               title=_("Tick every meridian")),
                    dbc.Button(_("None"), id=ID.MERIDIANS_NONE, size="sm", color="link", className="py-0",
                               title=_("Untick every meridian")),
                ], className="d-flex align-items-center"),
                dbc.Checklist(id=ID.MERIDIANS, options=meridian_options(atlas), value=list(atlas.meridians),
                              className="meridian-select small"),
            ], className="mb-3", role="group", **{"aria-labelledby": ID.MERIDIANS_LABEL}),
            html.Div([
                dbc.Switch(id=ID.LABELS, label=_("Point labels"), value=False),
                dbc.Switch(id=ID.CHANNELS, label=_("Channel lines"), value=False),
                dbc.Switch(id=ID.FIT, label=_("Fit to points"), value=False),
            ], className="mb-3"),
            export_panel(),
        ],
        className="controls",
    )


def export_panel() -> html.Section:
    """A one-page handout of what the page shows: the download link carries the page's state."""
    return html.Section(
        [
            html.H2(_("Handout"), className="h6 fw-semibold mb-1"),
            dbc.Label(_("Title"), html_for=ID.EXPORT_TITLE, className="small mb-0"),
            dbc.Input(id=ID.EXPORT_TITLE, placeholder=_("optional"), maxLength=120, className="mb-1", debounce=True),
            dbc.Row([
                dbc.Col([dbc.Label(_("Paper"), html_for=ID.EXPORT_PAPER, className="small mb-0"),
                         dbc.Select(id=ID.EXPORT_PAPER, value="a4", options=[
                             {"label": "A4", "value": "a4"}, {"label": _("US Letter"), "value": "letter"}])]),
                dbc.Col([dbc.Label(_("Format"), html_for=ID.EXPORT_FORMAT, className="small mb-0"),
                         dbc.Select(id=ID.EXPORT_FORMAT, value="pdf", options=[
                             {"label": "PDF", "value": "pdf"}, {"label": "SVG", "value": "svg"},
                             {"label": "PNG (300 dpi)", "value": "png"}])]),
            ], className="g-1 mb-1"),
            dbc.Switch(id=ID.EXPORT_LANDSCAPE, label=_("Landscape"), value=False),
            dbc.Switch(id=ID.EXPORT_TABLE, label=_("Table of points"), value=True),
            dbc.Switch(id=ID.EXPORT_FRAME, label=_("Frame views on the points"), value=True),
            html.A(_("Download handout"), id=ID.EXPORT_LINK, href="/_bodymap/export", download="",
                   className="btn btn-primary btn-sm mt-1", role="button"),
        ],
        className="export-panel",
    )
