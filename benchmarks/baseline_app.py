"""The plain way to build this app, kept as the yardstick for benchmarks.

Same data, same page as the benchmark's (two views, a condition chosen);
every filter change answers with whole new figures from the server. No
compression, plotly's full bundle.

    python benchmarks/baseline_app.py PORT
"""

from __future__ import annotations

import sys

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from bodymap import body_figure, load_atlas, query

VIEWS = ("back", "side")
CONDITION = "sciatica"


def create_baseline(atlas) -> Dash:
    app = Dash(__name__, title="baseline")
    first = query(atlas, conditions=[CONDITION])
    app.layout = html.Div([
        dbc.Checklist(id="meridian-select", value=list(atlas.meridians),
                      options=[{"label": m.code, "value": m.code} for m in atlas.meridians.values()]),
        html.Div([dcc.Graph(id=f"graph-{view}", figure=body_figure(atlas, view, first)) for view in VIEWS],
                 style={"display": "grid", "gridTemplateColumns": "1fr 1fr"}),
    ])

    @app.callback([Output(f"graph-{view}", "figure") for view in VIEWS], Input("meridian-select", "value"),
                  prevent_initial_call=True)
    def redraw(meridians):
        result = query(atlas, conditions=[CONDITION], meridians=meridians) if meridians else []
        return [body_figure(atlas, view, result) for view in VIEWS]

    return app


if __name__ == "__main__":
    create_baseline(load_atlas()).run(host="127.0.0.1", port=int(sys.argv[1]), debug=False)
