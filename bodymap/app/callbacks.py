"""Callbacks, kept thin: each one hands its inputs to a pure function."""

from __future__ import annotations

from dash import Dash, Input, Output

from ..model import Atlas
from .content import view_content
from .ids import ID


def register(app: Dash, atlas: Atlas) -> None:
    @app.callback(
        Output(ID.FIGURE, "figure"),
        Output(ID.RESULTS, "children"),
        Output(ID.RESULTS_COUNT, "children"),
        Input(ID.VIEW, "value"),
        prevent_initial_call=True,
    )
    def show_view(view):
        return view_content(atlas, view)
