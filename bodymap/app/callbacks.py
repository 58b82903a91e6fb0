"""Callbacks, kept thin: each one hands its inputs to a pure function.

Filtering runs on the server (one query function for the CLI, the app and
exports) but answers with a bitmask; the browser hides and shows markers
itself (``assets/bodymap.js``), so no figure crosses the wire after load.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from ..model import Atlas
from . import details
from .ids import ID, graph_id, panel_id
from .state import catalogue_order, parse_query, search_payload, state_from_controls, to_query


def register(app: Dash, atlas: Atlas) -> None:
    order = {code: index for index, code in enumerate(catalogue_order(atlas))}
    views = list(atlas.views)

    @app.callback(
        Output(ID.VIEWS, "value"), Output(ID.CONDITIONS, "value"), Output(ID.MERIDIANS, "value"),
        Output(ID.SEARCH, "value"), Output(ID.SELECTED, "data"), Output(ID.LABELS, "value"),
        Output(ID.CHANNELS, "value"), Output(ID.URL_NOTE, "children"), Output(ID.URL_NOTE, "is_open"),
        Output(ID.URL_APPLIED, "data"),
        # The pathname fires once on load; our own later writes to the search do not re-run this.
        Input(ID.URL, "pathname"), State(ID.URL, "search"), State(ID.URL_APPLIED, "data"),
    )
    def restore_from_url(_pathname, search, applied):
        # Only the first URL restores the page; later URL changes are our own echo.
        if applied:
            raise PreventUpdate
        state = parse_query(atlas, search if isinstance(search, str) else "")
        note = ("Some of the link was not understood: " + "; ".join(state.notes) + ".") if state.notes else ""
        return (list(state.views), list(state.conditions), list(state.meridians), state.search, state.point,
                state.labels, state.channels, note, bool(note), True)

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
        Output(ID.URL, "search"),
        Input(ID.APPLIED, "data"),
        State(ID.VIEWS, "value"), State(ID.CONDITIONS, "value"), State(ID.MERIDIANS, "value"),
        State(ID.SEARCH, "value"), State(ID.SELECTED, "data"), State(ID.LABELS, "value"),
        State(ID.CHANNELS, "value"), State(ID.URL_APPLIED, "data"),
        prevent_initial_call=True,
    )
    def shareable_url(_applied_at, views, conditions, meridians, search, point, labels, channels, applied):
        # Runs once the browser has filtered and drawn, so the figure never waits for it.
        if not applied:
            raise PreventUpdate
        state = state_from_controls(atlas, views, conditions, meridians, search, point, labels, channels)
        return to_query(atlas, state) or "?"

    @app.callback(Output(ID.MERIDIANS, "value", allow_duplicate=True),
                  Input(ID.MERIDIANS_ALL, "n_clicks"), Input(ID.MERIDIANS_NONE, "n_clicks"),
                  prevent_initial_call=True)
    def all_or_no_meridians(_all, _none):
        from dash import ctx

        return list(atlas.meridians) if ctx.triggered_id == ID.MERIDIANS_ALL else []

    @app.callback(Output(ID.DETAILS, "children"), Input(ID.SELECTED, "data"))
    def show_details(code):
        return details.render(atlas, code)

    app.clientside_callback(
        ClientsideFunction("bodymap", "apply"),
        Output(ID.APPLIED, "data"), Output(ID.RESULTS_COUNT, "children"),
        *[Output(panel_id(v), "style") for v in views],
        Input(ID.PAYLOAD, "data"), Input(ID.VIEWS, "value"), Input(ID.CONDITIONS, "value"),
        Input(ID.MERIDIANS, "value"), Input(ID.SELECTED, "data"), Input(ID.LABELS, "value"),
        Input(ID.CHANNELS, "value"), State(ID.URL_APPLIED, "data"), State(ID.CATALOGUE, "data"),
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
        Input(ID.URL, "search"), Input(ID.EXPORT_TITLE, "value"), Input(ID.EXPORT_PAPER, "value"),
        Input(ID.EXPORT_LANDSCAPE, "value"), Input(ID.EXPORT_FORMAT, "value"), Input(ID.EXPORT_TABLE, "value"),
    )
