"""The side panel: views, conditions, meridians, search and display switches."""

from __future__ import annotations

from collections import defaultdict

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..model import Atlas
from .ids import ID

# A glyph per plotly marker symbol, so each meridian chip shows its marker's shape too.
SYMBOL_GLYPHS = {
    "circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲", "triangle-down": "▼",
    "triangle-left": "◀", "triangle-right": "▶", "pentagon": "⬟", "hexagon": "⬢", "star": "★",
    "cross": "✚", "x": "✖", "diamond-tall": "♦", "square-x": "⊠", "star-triangle-up": "✦",
}


def condition_options(atlas: Atlas) -> list[dict]:
    """Conditions grouped under disabled section headings, groups in data order."""
    groups = defaultdict(list)
    for condition in atlas.conditions.values():
        groups[condition.group].append(condition)
    options = []
    for group, conditions in groups.items():
        options.append({"label": group.upper(), "value": f"group:{group}", "disabled": True})
        options.extend({"label": c.name, "value": c.id, "search": f"{c.name} {group} {c.id}"}
                       for c in sorted(conditions, key=lambda c: c.name))
    return options


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


def build(atlas: Atlas) -> html.Div:
    return html.Div(
        [
            html.Div([
                dbc.Label("Views", html_for=ID.VIEWS, className="fw-semibold mb-1"),
                dbc.Checklist(id=ID.VIEWS, options=[{"label": v.name, "value": v.id} for v in atlas.views.values()],
                              value=[], inline=True, className="view-select"),
            ], className="mb-3"),
            html.Div([
                dbc.Label("Search", html_for=ID.SEARCH, className="fw-semibold mb-1"),
                dbc.Input(id=ID.SEARCH, type="search", debounce=0.3, maxLength=100, autoComplete="off",
                          placeholder="BL23, UB-23, B54, Shen Shu, 肾俞, Joining Valley…"),
                html.Div(id=ID.SEARCH_NOTE, className="form-text", **{"aria-live": "polite"}),
            ], className="mb-3"),
            html.Div([
                dbc.Label("Conditions", html_for=ID.CONDITIONS, className="fw-semibold mb-1"),
                dcc.Dropdown(id=ID.CONDITIONS, options=condition_options(atlas), value=[], multi=True,
                             searchable=True, placeholder="Choose one or more…", className="condition-select",
                             maxHeight=360),
            ], className="mb-3"),
            html.Div([
                html.Div([
                    dbc.Label("Meridians", html_for=ID.MERIDIANS, className="fw-semibold mb-1 me-auto"),
                    dbc.Button("All", id=ID.MERIDIANS_ALL, size="sm", color="link", className="py-0"),
                    dbc.Button("None", id=ID.MERIDIANS_NONE, size="sm", color="link", className="py-0"),
                ], className="d-flex align-items-center"),
                dbc.Checklist(id=ID.MERIDIANS, options=meridian_options(atlas), value=list(atlas.meridians),
                              className="meridian-select small"),
            ], className="mb-3"),
            html.Div([
                dbc.Switch(id=ID.LABELS, label="Point labels", value=False),
                dbc.Switch(id=ID.CHANNELS, label="Channel lines", value=False),
            ], className="mb-3"),
            export_panel(),
        ],
        className="controls",
    )


def export_panel() -> html.Section:
    """A one-page handout of what the page shows: the download link carries the page's state."""
    return html.Section(
        [
            html.H2("Handout", className="h6 fw-semibold mb-1"),
            dbc.Label("Title", html_for=ID.EXPORT_TITLE, className="small mb-0"),
            dbc.Input(id=ID.EXPORT_TITLE, placeholder="optional", maxLength=120, className="mb-1", debounce=True),
            dbc.Row([
                dbc.Col([dbc.Label("Paper", html_for=ID.EXPORT_PAPER, className="small mb-0"),
                         dbc.Select(id=ID.EXPORT_PAPER, value="a4", options=[
                             {"label": "A4", "value": "a4"}, {"label": "US Letter", "value": "letter"}])]),
                dbc.Col([dbc.Label("Format", html_for=ID.EXPORT_FORMAT, className="small mb-0"),
                         dbc.Select(id=ID.EXPORT_FORMAT, value="pdf", options=[
                             {"label": "PDF", "value": "pdf"}, {"label": "SVG", "value": "svg"},
                             {"label": "PNG (300 dpi)", "value": "png"}])]),
            ], className="g-1 mb-1"),
            dbc.Switch(id=ID.EXPORT_LANDSCAPE, label="Landscape", value=False),
            dbc.Switch(id=ID.EXPORT_TABLE, label="Table of points", value=True),
            html.A("Download handout", id=ID.EXPORT_LINK, href="/_bodymap/export", download="",
                   className="btn btn-primary btn-sm mt-1", role="button"),
        ],
        className="export-panel",
    )
