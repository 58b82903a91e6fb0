"""The plain way to build this app, kept as the yardstick for benchmarks.

Same data, same controls; every filter change answers with a whole new
figure from the server. No compression, plotly's full bundle.

    python benchmarks/baseline_app.py PORT
"""

from __future__ import annotations

import sys

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from bodymap import body_figure, load_atlas, query


def create_baseline(atlas) -> Dash:
    app = Dash(__name__, title="baseline")
    app.layout = html.Div([
        dbc.Checklist(id="meridian-select", value=list(atlas.meridians),
                      options=[{"label": m.code, "value": m.code} for m in atlas.meridians.values()]),
        dcc.Graph(id="graph-front", figure=body_figure(atlas, "front")),
    ])

    @app.callback(Output("graph-front", "figure"), Input("meridian-select", "value"), prevent_initial_call=True)
    def redraw(meridians):
        result = query(atlas, meridians=meridians) if meridians else []
        return body_figure(atlas, "front", result)

    return app


if __name__ == "__main__":
    create_baseline(load_atlas()).run(host="127.0.0.1", port=int(sys.argv[1]), debug=False)
