"""The page: controls on the left, the chosen views, the results list and
the selected point's details."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..model import ILLUSTRATIVE_NOTICE, Atlas
from . import catalogue, controls, details
from .figures import view_figure
from .ids import ID, graph_id, panel_id


def views_grid(atlas: Atlas) -> html.Div:
    panels = [
        html.Section(
            [html.H2(view.name, className="h6 mb-0 ps-1"),
             dcc.Graph(id=graph_id(view.id), figure=view_figure(atlas, view.id),
                       config={"displaylogo": False, "responsive": True, "scrollZoom": False,
                               "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]},
                       style={"height": "640px"})],
            id=panel_id(view.id), className="view-panel", style={"display": "none"},
            **{"data-view": view.id, "aria-label": f"{view.name} view"},
        )
        for view in atlas.views.values()
    ]
    return html.Div(panels, id=ID.GRID, className="view-grid")


def build(atlas: Atlas) -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ID.URL, refresh=False),
            dcc.Store(id=ID.URL_APPLIED, data=False),
            dcc.Store(id=ID.CATALOGUE, data=catalogue.build(atlas)),
            dcc.Store(id=ID.PAYLOAD),
            dcc.Store(id=ID.SELECTED),
            dcc.Store(id=ID.APPLIED),
            html.Header(
                [html.H1("bodymap", className="h4 mb-0 me-3"),
                 html.Span("An open map of acupuncture and acupressure points", className="text-muted small")],
                className="d-flex align-items-baseline flex-wrap mt-2",
            ),
            dbc.Alert(ILLUSTRATIVE_NOTICE, id=ID.NOTICE, color="warning", className="py-1 my-2 small notice"),
            dbc.Alert(id=ID.URL_NOTE, color="info", is_open=False, dismissable=True, className="py-1 small"),
            dbc.Row(
                [
                    dbc.Col(html.Aside(controls.build(atlas), **{"aria-label": "Filters"}), md=4, lg=3, className="mb-3"),
                    dbc.Col(
                        [
                            views_grid(atlas),
                            dbc.Row([
                                dbc.Col([
                                    html.H2(id=ID.RESULTS_COUNT, className="h6 mt-2", **{"aria-live": "polite"}),
                                    html.Div(id=ID.RESULTS, className="list-group list-group-flush small results",
                                             role="list"),
                                ], lg=6),
                                dbc.Col(details.build(), lg=6, className="mt-2"),
                            ]),
                        ],
                        md=8, lg=9,
                    ),
                ]
            ),
        ],
        className="container-fluid",
    )
