"""Callbacks, kept thin: each one hands its inputs to a pure function.

Filtering runs on the server (one query function for the CLI, the app and
exports) but answers with a bitmask; the browser hides and shows markers
itself (``assets/bodymap.js``), so no figure crosses the wire after load.
"""

from __future__ import annotations

import json
import random
import time
from urllib.parse import urlencode

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from flask import request
from plotly.utils import PlotlyJSONEncoder

from ..i18n import _, current, localize, ngettext
from ..model import Atlas
from . import details, lesson_panel, quiz, quiz_page
from .controls import condition_groups
from .ids import (CONDITION_GROUP, ID, LESSON_ADD, LESSON_DOWN, LESSON_NOTE, LESSON_REMOVE, LESSON_UP, QUIZ_CHOICE,
                  graph_id)
from .state import (UNTITLED, catalogue_order, default_views, lesson_data, lesson_from_data, parse_query,
                    search_payload, state_from_controls, to_query)


def url_note(notes, remarks=()) -> list | str:
    """What the page says about a link: what it could not use (one sentence, or a list),
    then ``remarks`` on how it was read (a quiz point asked on another view)."""
    notes, said = list(notes), []
    if len(notes) == 1:
        said.append(_("Some of the link was not understood: {note}.").format(note=notes[0]))
    elif notes:
        said += [_("Some of the link was not understood:"), html.Ul([html.Li(note) for note in notes], className="mb-0")]
    said += [_("{remark}.").format(remark=remark[:1].upper() + remark[1:]) for remark in remarks]
    return " ".join(said) if all(isinstance(part, str) for part in said) else said


def page_class(mode: str) -> str:
    """The page's class: ``is-quiz`` shows the quiz in place of the map (see bodymap.css)."""
    return "container-fluid is-quiz" if mode == "quiz" else "container-fluid"


def register(app: Dash, atlas: Atlas) -> None:
    order = {code: index for index, code in enumerate(catalogue_order(atlas))}
    views = list(atlas.views)
    groups = condition_groups(atlas)
    conditions = {"type": CONDITION_GROUP, "group": ALL}  # one checklist per group, in layout order

    def by_group(chosen) -> list[list[str]]:
        return [[c.id for c in members if c.id in chosen] for _group, members in groups]

    def flatten(values) -> list:
        return [v for group in values or [] if isinstance(group, list) for v in group]

    @app.callback(
        Output(ID.VIEWS, "value"), Output(conditions, "value"), Output(ID.MERIDIANS, "value"),
        Output(ID.SEARCH, "value"), Output(ID.SELECTED, "data"), Output(ID.LABELS, "value"),
        Output(ID.CHANNELS, "value"), Output(ID.CATEGORIES, "value"), Output(ID.FIT, "value"),
        Output(ID.URL_NOTE, "children"),
        Output(ID.URL_NOTE, "is_open"),
        Output(ID.URL_APPLIED, "data"), Output(ID.URL_WRITTEN, "data"),
        Output(ID.LESSON, "data"), Output(ID.LESSON_TITLE, "value"), Output(ID.LESSON_INTRO, "value"),
        Output(ID.LESSON_ONLY, "value"), Output(ID.MODE, "data"), Output(ID.PAGE, "className"),
        # The link on load, and every Back or Forward after it.
        Input(ID.URL, "pathname"), Input(ID.URL, "search"), State(ID.URL_WRITTEN, "data"),
    )
    def restore_from_url(_pathname, search, written):
        search = search if isinstance(search, str) else ""
        if written is not None and search.lstrip("?") == written.lstrip("?"):
            raise PreventUpdate  # the page's own write coming back
        state = parse_query(atlas, search)
        remarks = (quiz.plan_from_state(localize(atlas, current()), state).notes[len(state.notes):]
                   if state.mode == "quiz" else ())
        note = url_note(state.notes, remarks)
        title = state.lesson.title if state.lesson is not None and state.lesson.title != UNTITLED else ""
        # The canonical query of this state counts as written: the page does not
        # push a second history entry for a link that only said it another way.
        return (list(state.views), by_group(state.conditions), list(state.meridians), state.search, state.point,
                state.labels, state.channels, list(state.categories), state.fit, note, bool(note), True,
                to_query(atlas, state), lesson_data(state.lesson), title,
                state.lesson.intro if state.lesson is not None else "", state.lesson_only, state.mode,
                page_class(state.mode))

    @app.callback(
        Output(ID.PAYLOAD, "data"), Output(ID.SEARCH_NOTE, "children"),
        Input(ID.SEARCH, "value"), State(ID.URL_APPLIED, "data"),
        prevent_initial_call=True,
    )
    def search_points(search, applied):
        if not applied:
            raise PreventUpdate
        payload = search_payload(localize(atlas, current()), search, order)
        return payload, (payload or {}).get("note", "")

    @app.callback(
        Output(ID.URL_PUSH, "search"), Output(ID.URL_WRITTEN, "data", allow_duplicate=True),
        Input(ID.APPLIED, "data"),
        State(ID.VIEWS, "value"), State(conditions, "value"), State(ID.MERIDIANS, "value"),
        State(ID.SEARCH, "value"), State(ID.SELECTED, "data"), State(ID.LABELS, "value"),
        State(ID.CHANNELS, "value"), State(ID.CATEGORIES, "value"), State(ID.FIT, "value"),
        State(ID.LESSON, "data"), State(ID.LESSON_ONLY, "value"),
        State(ID.URL_APPLIED, "data"), State(ID.URL_WRITTEN, "data"), State(ID.MODE, "data"),
        prevent_initial_call=True,
    )
    def shareable_url(_applied_at, views, chosen, meridians, search, point, labels, channels, categories, fit, lesson,
                      lesson_only, applied, written, mode):
        # Runs once the browser has filtered and drawn, so the figure never waits
        # for it. Each new state is one history entry (the URL component pushes it).
        # The quiz's link stays as it was opened: the quiz keeps its progress itself.
        if not applied or mode == "quiz":
            raise PreventUpdate
        query = to_query(atlas, state_from_controls(atlas, views, flatten(chosen), meridians, search, point, labels,
                                                    channels, lesson, lesson_only, categories=categories,
                                                    fit=fit))
        if current() != "en" or "lang=" in (request.referrer or ""):
            # The page's language goes with its link, so a shared link opens in it.
            query = (query + "&" if query else "?") + urlencode({"lang": current()})
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
    # entry per point (with no lesson open; with one, its "add" button changes).
    rendered_details = {}

    @app.callback(Output(ID.DETAILS, "children"), Input(ID.SELECTED, "data"), Input(ID.LESSON, "data"))
    def show_details(code, lesson):
        key = code if isinstance(code, str) and code in atlas.points else None
        chosen = lesson_from_data(atlas, lesson)
        local = localize(atlas, current())
        if chosen is not None and chosen.points:
            return details.render(local, key, chosen.codes)
        if (local.lang, key) not in rendered_details:
            rendered_details[local.lang, key] = json.loads(json.dumps(details.render(local, key, ()),
                                                                      cls=PlotlyJSONEncoder))
        return rendered_details[local.lang, key]

    app.clientside_callback(
        ClientsideFunction("bodymap", "apply"),
        Output(ID.APPLIED, "data"), Output(ID.RESULTS_COUNT, "children"),
        Input(ID.PAYLOAD, "data"), Input(ID.VIEWS, "value"), Input(conditions, "value"),
        Input(ID.MERIDIANS, "value"), Input(ID.SELECTED, "data"), Input(ID.LABELS, "value"),
        Input(ID.CHANNELS, "value"), Input(ID.CATEGORIES, "value"), Input(ID.FIT, "value"),
        Input(ID.LESSON, "data"), Input(ID.LESSON_ONLY, "value"),
        State(ID.URL_APPLIED, "data"), State(ID.CATALOGUE, "data"), State(ID.FIGURES, "data"),
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

    _register_lesson(app, atlas)
    _register_quiz(app, atlas)


def _register_lesson(app: Dash, atlas: Atlas) -> None:
    @app.callback(
        Output(ID.LESSON, "data", allow_duplicate=True), Output(ID.LESSON_TITLE, "value", allow_duplicate=True),
        Output(ID.LESSON_INTRO, "value", allow_duplicate=True), Output(ID.LESSON_STATUS, "children"),
        Output(ID.LESSON_PROBLEMS, "children"),
        Output(ID.LESSON_ONLY, "value", allow_duplicate=True), Output(ID.VIEWS, "value", allow_duplicate=True),
        Output(ID.LESSON_UPLOAD, "contents"),
        Input({"type": LESSON_ADD, "index": ALL}, "n_clicks"), Input(ID.LESSON_TITLE, "value"),
        Input(ID.LESSON_INTRO, "value"),
        Input({"type": LESSON_UP, "index": ALL}, "n_clicks"), Input({"type": LESSON_DOWN, "index": ALL}, "n_clicks"),
        Input({"type": LESSON_REMOVE, "index": ALL}, "n_clicks"), Input({"type": LESSON_NOTE, "index": ALL}, "value"),
        Input(ID.LESSON_UPLOAD, "contents"), Input(ID.LESSON_UPLOAD_REFUSED, "data"),
        Input(ID.LESSON_CLEAR, "n_clicks"),
        State(ID.LESSON, "data"), State(ID.SELECTED, "data"), State(ID.VIEWS, "value"),
        State(ID.LESSON_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def edit_lesson(_add, _title, _intro, _up, _down, _remove, _notes, contents, refused, _clear, data, selected,
                    views, filename):
        trigger = ctx.triggered_id
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        kind = trigger.get("type") if isinstance(trigger, dict) else trigger
        index = trigger.get("index") if isinstance(trigger, dict) else None
        if kind in (LESSON_ADD, LESSON_UP, LESSON_DOWN, LESSON_REMOVE, ID.LESSON_CLEAR) and not value:
            raise PreventUpdate  # a button just drawn, not pressed
        if kind == ID.LESSON_UPLOAD or kind == ID.LESSON_UPLOAD_REFUSED:
            if kind == ID.LESSON_UPLOAD:
                if not contents:
                    raise PreventUpdate
                opened, problems = lesson_panel.open_file(atlas, contents, filename)
            else:
                opened, problems = None, lesson_panel.refused_file(refused)
            if problems:
                return (no_update, no_update, no_update, "", lesson_panel.problems_list(problems), no_update,
                        no_update, None)
            lesson = lesson_from_data(atlas, opened)
            return (opened, lesson.title if lesson.title != UNTITLED else "", lesson.intro,
                    ngettext("Opened {file}: {count} point.", "Opened {file}: {count} points.",
                             len(lesson.points)).format(file=lesson_panel.file_name(filename), count=len(lesson.points)),
                    [], True,
                    list(default_views(atlas, lesson)), None)
        if kind == ID.LESSON_CLEAR:
            return (None, "", "", _("A new, empty lesson: Back brings the last one back."), [], False, no_update,
                    no_update)
        new, message = lesson_panel.change(atlas, data, kind, index, value, selected=selected, shown_views=views)
        if lesson_panel.same(atlas, new, data) and not message:
            raise PreventUpdate  # a note or title drawn again (or the page's first, empty one), not changed
        return new, no_update, no_update, message, [], no_update, no_update, no_update

    @app.callback(
        Output(ID.LESSON_POINTS, "children"), Output(ID.LESSON_HINT, "children"),
        Output(ID.LESSON_DOWNLOAD, "href"), Output(ID.LESSON_DOWNLOAD, "download"),
        Output(ID.LESSON_DOWNLOAD, "hidden"), Output(ID.LESSON_SHARE, "hidden"),
        Output(ID.LESSON_LINK, "value"), Output(ID.LESSON_QUIZ_LINK, "value"),
        Output(ID.LESSON_QUIZ_FIND, "href"), Output(ID.LESSON_QUIZ_NAME, "href"),
        Output(ID.LESSON_BANNER, "children"), Output(ID.LESSON_BANNER, "hidden"),
        Output(f"{ID.LESSON_ONLY}-holder", "hidden"),
        Input(ID.LESSON, "data"), State(ID.URL, "href"),
    )
    def show_lesson(data, href):
        return lesson_panel.render(localize(atlas, current()), data, href)


# What a quiz state shows; the callbacks that change the state draw it in the same answer,
# so a click costs one request.
QUIZ_VIEW = [(ID.QUIZ_TITLE, "children"), (ID.QUIZ_PROGRESS, "children"), (ID.QUIZ_QUESTION, "children"),
             (ID.QUIZ_FEEDBACK, "children"), (ID.QUIZ_DETAILS, "children"), (ID.QUIZ_CHOICES, "children"),
             (ID.QUIZ_SUMMARY, "children"), (ID.QUIZ_CSV, "href"), (ID.QUIZ_DONE, "hidden"),
             (ID.QUIZ_NEXT, "hidden"), (ID.QUIZ_NEXT, "children"), (ID.QUIZ_REVEAL, "hidden"),
             (f"{ID.QUIZ_WITHIN}-group", "hidden"),
             (ID.QUIZ_GRAPH, "figure"), (ID.QUIZ_DRAWN, "data"), (ID.QUIZ_FOCUS, "data")]


def _register_quiz(app: Dash, atlas: Atlas) -> None:
    def shown(state, drawn) -> tuple:
        local = localize(atlas, current())  # the page's language: view names, how to find it
        parts = quiz_page.render(local, state)
        figure, drawn_now = quiz_page.figure_update(local, state, drawn)
        return (parts[ID.QUIZ_TITLE], parts[ID.QUIZ_PROGRESS], parts[ID.QUIZ_QUESTION], parts[ID.QUIZ_FEEDBACK],
                parts[ID.QUIZ_DETAILS], parts[ID.QUIZ_CHOICES], parts[ID.QUIZ_SUMMARY], parts[ID.QUIZ_CSV],
                parts["done"], parts["next"], parts["next_label"], parts["reveal"], parts["within"],
                figure if figure is not None else no_update, drawn_now, {"target": parts["focus"], "at": time.time()})

    @app.callback(
        Output(ID.QUIZ_STATE, "data"), Output(ID.QUIZ_TASKS, "children"), Output(ID.QUIZ_LEAVE, "href"),
        Output(ID.QUIZ_WITHIN, "value"), *[Output(i, prop) for i, prop in QUIZ_VIEW],
        Input(ID.URL, "search"), State(ID.QUIZ_SAVED, "data"), State(ID.QUIZ_DRAWN, "data"),
    )
    def start_quiz(search, saved, drawn):
        plan = quiz.plan_from_query(atlas, search)
        if plan is None:
            raise PreventUpdate  # the map, not a quiz: a quiz in progress waits for Forward
        state = quiz.load(atlas, saved.get(plan.key) if isinstance(saved, dict) else None)
        if plan.questions and (state is None or state["key"] != plan.key or state["phase"] == "done"):
            state = quiz.start(plan, random.randrange(1 << 30), time.time())
        elif not plan.questions:
            state = None
        within = f"{state['within']:g}" if state else "1"
        return (state, quiz_page.tasks(search), quiz_page.leave_href(search), within, *shown(state, drawn))

    @app.callback(
        Output(ID.QUIZ_STATE, "data", allow_duplicate=True),
        *[Output(i, prop, allow_duplicate=True) for i, prop in QUIZ_VIEW],
        Input(ID.QUIZ_CLICK, "data"), Input({"type": QUIZ_CHOICE, "index": ALL}, "n_clicks"),
        Input(ID.QUIZ_NEXT, "n_clicks"), Input(ID.QUIZ_REVEAL, "n_clicks"), Input(ID.QUIZ_AGAIN, "n_clicks"),
        Input(ID.QUIZ_WITHIN, "value"),
        State({"type": QUIZ_CHOICE, "index": ALL}, "value"), State(ID.QUIZ_STATE, "data"),
        State(ID.QUIZ_DRAWN, "data"),
        prevent_initial_call=True,
    )
    def answer(click, _choices, _next, _reveal, _again, within, offered, stored, drawn):
        state = quiz.load(atlas, stored)
        trigger = ctx.triggered_id
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        if state is None or trigger is None:
            raise PreventUpdate
        now = time.time()
        if trigger == ID.QUIZ_CLICK:
            if not isinstance(click, dict):
                raise PreventUpdate
            new = quiz.answer_click(atlas, state, click.get("view"), click.get("x"), click.get("y"), now)
        elif isinstance(trigger, dict) and trigger.get("type") == QUIZ_CHOICE:
            index = trigger.get("index")
            if not value or not isinstance(index, int) or not 0 <= index < len(offered or []):
                raise PreventUpdate
            new = quiz.answer_choice(state, offered[index], now)
        elif trigger == ID.QUIZ_NEXT and value:
            new = quiz.advance(state, now)
        elif trigger == ID.QUIZ_REVEAL and value:
            new = quiz.reveal(state, now)
        elif trigger == ID.QUIZ_AGAIN and value:
            new = quiz.restart(state, random.randrange(1 << 30), now)
        elif trigger == ID.QUIZ_WITHIN:
            new = quiz.set_within(state, within)
        else:
            raise PreventUpdate
        if new == state:
            raise PreventUpdate
        return (new, *shown(new, drawn))

    app.clientside_callback(
        ClientsideFunction("bodymap", "saveQuiz"),
        Output(ID.QUIZ_SAVED, "data"), Input(ID.QUIZ_STATE, "data"), State(ID.QUIZ_SAVED, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("bodymap", "quizFocus"),
        Output(ID.QUIZ_FOCUS, "data", allow_duplicate=True), Input(ID.QUIZ_FOCUS, "data"),
        prevent_initial_call=True,
    )
