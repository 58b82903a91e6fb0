"""The page: a header, then the filters beside the chosen views (in a drawer
on a phone), the results list and the selected point's details."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..model import ILLUSTRATIVE_NOTICE, Atlas
from ..i18n import _
from . import catalogue, controls, details, language, lesson_panel, quiz_page, scene
from .figures import FIGURE_HEIGHT, view_figure, waiting_figure
from .ids import ID, graph_id, panel_id, summary_id

# Below Bootstrap's md breakpoint the filters become an off-canvas drawer, so a
# phone's first screen shows the body, not the controls.
DRAWER_CLASS = "offcanvas-md offcanvas-start"


def views_grid(atlas: Atlas, *, basic: bool = True) -> html.Div:
    panels = [
        html.Section(
            [html.H2(view.name, className="h6 mb-0 ps-1", id=f"{panel_id(view.id)}-title"),
             html.P(id=summary_id(view.id), className="view-summary small text-muted mb-0 ps-1"),
             # Each figure waits in the figures store until its view is first shown, or the page is
             # idle: plotting all twelve at once cost a second of a first visit here.
             dcc.Graph(id=graph_id(view.id), figure=waiting_figure(view.id),
                       # No double-click reset: a touch screen's tap can arrive as two clicks, and the
                       # body would jump under the finger; the toolbar's home button resets instead.
                       config={"displaylogo": False, "responsive": True, "scrollZoom": False, "doubleClick": False,
                               "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]},
                       style={"height": f"{FIGURE_HEIGHT}px"})],
            # Hidden panels stay laid out at a column's width (see bodymap.css), so
            # showing one is a style change rather than a redraw of its figure.
            id=panel_id(view.id), className="view-panel is-hidden",
            **{"data-view": view.id, "aria-labelledby": f"{panel_id(view.id)}-title",
               "aria-describedby": summary_id(view.id)},
        )
        for view in atlas.views.values()
    ]
    if scene.has_scene(atlas):
        panels.append(scene.panel(atlas, basic=basic))
    return html.Div(panels, id=ID.GRID, className="view-grid")


def drawer(atlas: Atlas) -> html.Div:
    # A div, not an aside: Bootstrap gives it the dialog role while it is open on a phone.
    return html.Div(
        [
            html.Div([
                html.H2(_("Filters"), className="offcanvas-title h5", id=ID.DRAWER_TITLE),
                html.Button(type="button", className="btn-close", **{
                    "data-bs-dismiss": "offcanvas", "data-bs-target": f"#{ID.DRAWER}", "aria-label": _("Close filters")}),
            ], className="offcanvas-header"),
            html.Div(controls.build(atlas), className="offcanvas-body d-block"),
        ],
        id=ID.DRAWER, className=DRAWER_CLASS, tabIndex="-1", **{"aria-labelledby": ID.DRAWER_TITLE},
    )


def build(atlas: Atlas, *, basic: bool = True) -> html.Div:
    """The page. ``basic``: the page runs plotly.js's basic bundle (the 3D view fetches its own)."""
    return html.Div(
        [
            dcc.Location(id=ID.URL, refresh=False),
            # The page writes its new state to a second Location. Written to the one it reads,
            # the callbacks would form a loop (the URL sets the filters, the filters set the URL),
            # and Dash's scheduler can stall on such a loop: a first page left undrawn. This one
            # pushes the history entry and tells the reading Location of it (callback-nav).
            dcc.Location(id=ID.URL_PUSH, refresh="callback-nav"),
            dcc.Store(id=ID.URL_APPLIED, data=False),
            dcc.Store(id=ID.URL_WRITTEN),
            dcc.Store(id=ID.CATALOGUE, data=catalogue.build(atlas)),
            dcc.Store(id=ID.FIGURES, data={view: view_figure(atlas, view).to_plotly_json() for view in atlas.views}),
            dcc.Store(id=ID.PAYLOAD),
            dcc.Store(id=ID.SELECTED),
            dcc.Store(id=ID.APPLIED),
            dcc.Store(id=ID.MODE, data=""),
            dcc.Store(id=ID.LESSON),
            dcc.Store(id=ID.LESSON_UPLOAD_REFUSED),
            dcc.Store(id=ID.QUIZ_STATE),
            # Each quiz's progress, by quiz: it survives a reload, Back and Forward, and a
            # switch between "find" and "name" in the same tab.
            dcc.Store(id=ID.QUIZ_SAVED, storage_type="session"),
            dcc.Store(id=ID.QUIZ_CLICK),
            dcc.Store(id=ID.QUIZ_DRAWN),
            dcc.Store(id=ID.QUIZ_FOCUS),
            html.Header(
                [html.H1("bodymap", className="h4 mb-0 me-3"),
                 html.Span(_("An open map of acupuncture and acupressure points"),
                           className="text-muted small me-auto d-none d-sm-inline"),
                 language.menu(atlas, atlas.lang),
                 html.Button(_("Filters"), id=ID.DRAWER_OPEN, type="button",
                             className="btn btn-primary btn-sm d-md-none ms-auto browse-only",
                             **{"data-bs-toggle": "offcanvas", "data-bs-target": f"#{ID.DRAWER}",
                                "aria-controls": ID.DRAWER})],
                className="d-flex align-items-center flex-wrap gap-1 mt-2",
            ),
            html.Main(
                [
                    dbc.Alert(_(ILLUSTRATIVE_NOTICE), id=ID.NOTICE, color="warning", className="py-1 my-2 small notice"),
                    dbc.Alert(id=ID.URL_NOTE, color="info", is_open=False, dismissable=True, className="py-1 small"),
                    dbc.Row(
                        [
                            dbc.Col(drawer(atlas), md=4, lg=3, className="mb-md-3"),
                            dbc.Col(
                                [
                                    lesson_panel.banner(),
                                    views_grid(atlas, basic=basic),
                                    dbc.Row([
                                        dbc.Col([
                                            html.H2(id=ID.RESULTS_COUNT, className="h6 mt-2",
                                                    **{"aria-live": "polite"}),
                                            html.Ul(id=ID.RESULTS, className="list-group list-group-flush small results",
                                                    **{"aria-labelledby": ID.RESULTS_COUNT}),
                                        ], lg=6),
                                        dbc.Col([details.build(), lesson_panel.build()], lg=6, className="mt-2"),
                                    ]),
                                ],
                                md=8, lg=9,
                            ),
                        ],
                        id=ID.BROWSE, className="browse",
                    ),
                    quiz_page.build(),
                ],
            ),
        ],
        id=ID.PAGE, className="container-fluid",
    )
