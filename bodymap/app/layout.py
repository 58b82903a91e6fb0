"""The page: a view selector, the body figure and the list of points."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..model import ILLUSTRATIVE_NOTICE, Atlas
from .content import default_view, view_content
from .ids import ID


def build(atlas: Atlas) -> dbc.Container:
    view = default_view(atlas)
    figure, items, count = view_content(atlas, view)
    return dbc.Container(
        [
            html.Header(
                [
                    html.H1("bodymap", className="h3 mb-0"),
                    html.P("An open map of acupuncture and acupressure points.", className="text-muted mb-2"),
                ],
                className="mt-3",
            ),
            dbc.Alert(ILLUSTRATIVE_NOTICE, id=ID.NOTICE, color="warning", className="py-2"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Label("View", htmlFor=ID.VIEW, className="form-label fw-semibold"),
                            dbc.RadioItems(
                                id=ID.VIEW,
                                options=[{"label": v.name, "value": v.id} for v in atlas.views.values()],
                                value=view,
                                className="btn-group flex-wrap",
                                inputClassName="btn-check",
                                labelClassName="btn btn-outline-secondary",
                                labelCheckedClassName="active",
                            ),
                        ],
                        width=12,
                        className="mb-2",
                    ),
                    dbc.Col(
                        dcc.Graph(id=ID.FIGURE, figure=figure, config={"displaylogo": False, "responsive": True}),
                        lg=7,
                    ),
                    dbc.Col(
                        [
                            html.H2(count, id=ID.RESULTS_COUNT, className="h6 mt-2", **{"aria-live": "polite"}),
                            html.Ul(items, id=ID.RESULTS, className="list-group small"),
                        ],
                        lg=5,
                    ),
                ]
            ),
        ],
        fluid=True,
    )
