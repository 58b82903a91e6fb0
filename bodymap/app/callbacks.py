"""Callbacks, kept thin: each one hands its inputs to a pure function.

Filtering runs on the server (one query function for the CLI, the app and
exports) but answers with a bitmask; the browser hides and shows markers
itself (``assets/bodymap.js``), so no figure crosses the wire after load.
"""

from __future__ import annotations

import json

from dash import ALL, ClientsideFunction, Dash, Input, Output, State
from dash.exceptions import PreventUpdate
from plotly.utils import PlotlyJSONEncoder

from ..model import Atlas
from . import details
from .controls import condition_groups
from .ids import CONDITION_GROUP, ID, graph_id
from .state import catalogue_order, parse_query, search_payload, state_from_controls, to_query


def register(app: Dash, atlas: Atlas) -> None:
    order = {code: index for index, code in enumerate(catalogue_order(atlas))}
    views = list(atlas.views)
    groups = condition_groups(atlas)
    conditions = {"type": CONDITION_GROUP, "group": ALL}  # one checklist per group, in layout order

    def by_group(chosen) -> list[list[str]]:
        return [[c.id for c in members if c.id in chosen] for _, members in groups]

    def flatten(values) -> list:
        return [v for group in values or [] if isinstance(group, list) for v in group]

    @app.callback(
        Output(ID.VIEWS, "value"), Output(conditions, "value"), Output(ID.MERIDIANS, "value"),
        Output(ID.SEARCH, "value"), Output(ID.SELECTED, "data"), Output(ID.LABELS, "value"),
        Output(ID.CHANNELS, "value"), Output(ID.CATEGORIES, "value"), Output(ID.FIT, "value"),
        Output(ID.URL_NOTE, "children"),
        Output(ID.URL_NOTE, "is_open"),
        Output(ID.URL_APPLIED, "data"), Output(ID.URL_WRITTEN, "data"),
        # The link on load, and every Back or Forward after it.
        Input(ID.URL, "pathname"), Input(ID.URL, "search"), State(ID.URL_WRITTEN, "data"),
    )
    def restore_from_url(_pathname, search, written):
        search = search if isinstance(search, str) else ""
        if written is not None and search.lstrip("?") == written.lstrip("?"):
            raise PreventUpdate  # the page's own write coming back
        state = parse_query(atlas, search)
        note = ("Some of the link was not understood: " + "; ".join(state.notes) + ".") if state.notes else ""
        # The canonical query of this state counts as written: the page does not
        # push a second history entry for a link that only said it another way.
        return (list(state.views), by_group(state.conditions), list(state.meridians), state.search, state.point,
                state.labels, state.channels, list(state.categories), state.fit, note, bool(note), True,
                to_query(atlas, state))

    @app.callback(
        Output(ID.PAYLOAD, "data"), Output(ID.SEARCH_NOTE, "children"),
        Input(ID.SEARCH, "value"), State(ID.URL_APPLIED, "data"),
        prevent_initial_call=True,
    )
    def search_points(search, applied):
        if not applied:
            raise PreventUpdate
        payload = search_payload(atlas, search, order)
        return payload, (payload or {}).get("note", "")

    @app.callback(
        Output(ID.URL, "search"), Output(ID.URL_WRITTEN, "data", allow_duplicate=True),
        Input(ID.APPLIED, "data"),
        State(ID.VIEWS, "value"), State(conditions, "value"), State(ID.MERIDIANS, "value"),
        State(ID.SEARCH, "value"), State(ID.SELECTED, "data"), State(ID.LABELS, "value"),
        State(ID.CHANNELS, "value"), State(ID.CATEGORIES, "value"), State(ID.FIT, "value"),
        State(ID.URL_APPLIED, "data"), State(ID.URL_WRITTEN, "data"),
        prevent_initial_call=True,
    )
    def shareable_url(_applied_at, views, chosen, meridians, search, point, labels, channels, categories, fit,
                      applied, written):
        # Runs once the browser has filtered and drawn, so the figure never waits
        # for it. Each new state is one history entry (the URL component pushes it).
        if not applied:
            raise PreventUpdate
        query = to_query(atlas, state_from_controls(atlas, views, flatten(chosen), meridians, search, point, labels,
                                                    channels, categories, fit))
        if query == written:
            raise PreventUpdate
        return query or "?", query

    @app.callback(Output(ID.MERIDIANS, "value", allow_duplicate=True),
                  Input(ID.MERIDIANS_ALL, "n_clicks"), Input(ID.MERIDIANS_NONE, "n_clicks"),
                  prevent_initial_call=True)
    def all_or_no_meridians(_all, _none):
        from dash import ctx

        return list(atlas.meridians) if ctx.triggered_id == ID.MERIDIANS_ALL else []

    # A point's details do not change while the app runs. Building and encoding
    # them was the costliest callback (about 1.7 ms against 0.5 for the others),
    # so each is made once and kept as the plain data dash sends: at most one
    # entry per point.
    rendered_details = {}

    @app.callback(Output(ID.DETAILS, "children"), Input(ID.SELECTED, "data"))
    def show_details(code):
        key = code if isinstance(code, str) and code in atlas.points else None
        if key not in rendered_details:
            rendered_details[key] = json.loads(json.dumps(details.render(atlas, key), cls=PlotlyJSONEncoder))
        return rendered_details[key]

    app.clientside_callback(
        ClientsideFunction("bodymap", "apply"),
        Output(ID.APPLIED, "data"), Output(ID.RESULTS_COUNT, "children"),
        Input(ID.PAYLOAD, "data"), Input(ID.VIEWS, "value"), Input(conditions, "value"),
        Input(ID.MERIDIANS, "value"), Input(ID.SELECTED, "data"), Input(ID.LABELS, "value"),
        Input(ID.CHANNELS, "value"), Input(ID.CATEGORIES, "value"), Input(ID.FIT, "value"),
        State(ID.URL_APPLIED, "data"),
        State(ID.CATALOGUE, "data"),
    )

    app.clientside_callback(
        ClientsideFunction("bodymap", "select"),
        Output(ID.SELECTED, "data", allow_duplicate=True),
        *[Input(graph_id(v), "clickData") for v in views],
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("bodymap", "exportLink"),
        Output(ID.EXPORT_LINK, "href"),
        Input(ID.URL_WRITTEN, "data"), Input(ID.EXPORT_TITLE, "value"), Input(ID.EXPORT_PAPER, "value"),
        Input(ID.EXPORT_LANDSCAPE, "value"), Input(ID.EXPORT_FORMAT, "value"), Input(ID.EXPORT_TABLE, "value"),
        Input(ID.EXPORT_FRAME, "value"),
    )
