"""What the quiz shows: the question, the body with no markers, feedback, the summary.

Pure functions from a quiz state (:mod:`bodymap.app.quiz`) to page
components and a figure; the callbacks hand them the state.
"""

from __future__ import annotations

import math
import urllib.parse

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Patch, dcc, html

from ..figure import HIGHLIGHT_LINE, MARKER_SIZE, body_figure, notice_below
from ..i18n import _, ngettext
from ..lesson import cun_units
from ..model import ILLUSTRATIVE_NOTICE, Atlas
from . import quiz
from .ids import ID, QUIZ_CHOICE
from .state import WITHIN

RIGHT = "#1e7b34"
WRONG = "#b3261e"
FIGURE_HEIGHT = 640

# The figure before any quiz: nothing to draw, and no axes.
EMPTY = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False},
                                "margin": {"l": 0, "r": 0, "t": 0, "b": 0}}}


def build() -> html.Section:
    """The quiz section of the page, shown instead of the map when the link says ``mode=quiz``."""
    return html.Section(
        [
            html.Div([
                html.H2(id=ID.QUIZ_TITLE, className="h5 mb-0 me-auto"),
                dcc.Link(_("Leave the quiz"), id=ID.QUIZ_LEAVE, href="/", className="small"),
            ], className="d-flex flex-wrap align-items-baseline gap-2 mb-1"),
            html.Div([
                html.Nav(id=ID.QUIZ_TASKS, className="d-flex gap-1", **{"aria-label": _("Quiz task")}),
                html.Div(html.Div([
                    # TRANSLATORS: "Correct " and "within" make the label "Correct within [0.5 cun]" of a
                    # menu of distances; on a phone only "within" shows.
                    dbc.Label([html.Span(_("Correct "), className="d-none d-sm-inline"), _("within")],
                              html_for=ID.QUIZ_WITHIN, className="small mb-0 text-nowrap"),
                    dbc.Select(id=ID.QUIZ_WITHIN, value="1", size="sm", className="quiz-within",
                               style={"width": "auto"},
                               options=[{"label": _("{distance} cun").format(distance=f"{w:g}"), "value": f"{w:g}"}
                                        for w in WITHIN]),
                ], className="d-flex align-items-center gap-1"), id=f"{ID.QUIZ_WITHIN}-group"),
            ], className="d-flex flex-wrap align-items-center gap-2 mb-1 quiz-settings"),
            # Question and feedback above the figure on a phone, beside it on a wide screen (bodymap.css).
            html.Div([
                html.Div([
                    html.P(id=ID.QUIZ_PROGRESS, className="small text-muted mb-0 quiz-progress"),
                    html.Div([
                        html.P(id=ID.QUIZ_QUESTION, className="quiz-question fw-semibold mb-1 me-auto", tabIndex="-1",
                               **{"aria-live": "polite"}),
                        html.Button(_("Show me"), id=ID.QUIZ_REVEAL, type="button",
                                    className="btn btn-outline-secondary btn-sm text-nowrap",
                                    title=_("Show where the point is; it comes back later")),
                        html.Button(_("Next point"), id=ID.QUIZ_NEXT, type="button",
                                    className="btn btn-primary btn-sm text-nowrap",
                                    hidden=True),
                    ], className="d-flex align-items-start gap-1"),
                    html.Div(id=ID.QUIZ_CHOICES, className="quiz-choices d-flex flex-wrap gap-1 mb-1", role="group",
                             **{"aria-label": _("The ringed point's code")}),
                    html.Div(id=ID.QUIZ_FEEDBACK, className="quiz-feedback", **{"aria-live": "polite"}),
                ], className="quiz-bar"),
                html.Div(dcc.Graph(id=ID.QUIZ_GRAPH, figure=EMPTY, className="quiz-graph", responsive=True,
                                   # No double-click or "reset axes": plotly would reset to the empty
                                   # figure the page starts with, not the body; the zoom buttons undo a zoom.
                                   config={"displaylogo": False, "responsive": True, "scrollZoom": False,
                                           "doubleClick": False,
                                           "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d",
                                                                      "resetScale2d", "toImage"]}),
                         className="quiz-figure", role="group", id=f"{ID.QUIZ_GRAPH}-holder",
                         **{"aria-label": _("The body, with no points marked until you answer")}),
                html.Div([
                    html.Div(id=ID.QUIZ_DETAILS, className="quiz-details"),
                    html.Div(id=ID.QUIZ_SUMMARY, className="quiz-summary"),
                    html.Div(html.Div([
                        html.A(_("Download the results (CSV)"), id=ID.QUIZ_CSV, download="quiz-results.csv", href="",
                               className="btn btn-primary btn-sm", role="button"),
                        html.Button(_("Try again"), id=ID.QUIZ_AGAIN, type="button",
                                    className="btn btn-outline-primary btn-sm"),
                    ], className="d-flex flex-wrap gap-1"), id=ID.QUIZ_DONE, hidden=True),
                ], className="quiz-side"),
            ], className="quiz-body"),
        ],
        id=ID.QUIZ, className="quiz", **{"aria-labelledby": ID.QUIZ_TITLE},
    )


# --- the parts of the page ---------------------------------------------------------------------------

def _name(atlas: Atlas, code: str) -> str:
    point = atlas.points[code]
    return f"{point.code} ({point.pinyin})"


def question_text(atlas: Atlas, state: dict) -> str:
    """What the student is asked, in one sentence."""
    question = quiz.current(state)
    if question is None:
        return _("Quiz complete.")
    view = atlas.views[question.view].name.lower()
    if state["ask"] == "name":
        return _("Which point is ringed on the {view} view?").format(view=view)
    # TRANSLATORS: {point} is a code and its pinyin name: "BL40 (Weizhong)"; {view} is a view's name.
    return _("Find {point} on the {view} view. Click or tap where it is.").format(point=_name(atlas, question.code),
                                                                                  view=view)


def progress_text(state: dict) -> str:
    """Where the student is: "Point 2 of 6 · 1 found · 3 tries" (at the end, the count found)."""
    total = len(state["questions"])
    found = sum(1 for tries in state["tries"] if any(t.get("ok") for t in tries))
    attempts = sum(len(tries) for tries in state["tries"])
    if state["phase"] == "done":
        return ngettext("{found} of {total} found · {attempts} try", "{found} of {total} found · {attempts} tries",
                        attempts).format(found=found, total=total, attempts=attempts)
    position = total - len(state["queue"]) + (0 if state["phase"] == "feedback" else 1)
    return ngettext("Point {position} of {total} · {found} found · {attempts} try",
                    "Point {position} of {total} · {found} found · {attempts} tries", attempts).format(
        position=min(max(position, 1), total), total=total, found=found, attempts=attempts)


def _last_try(state: dict) -> dict | None:
    if state["phase"] != "feedback" or state["last"] is None:
        return None
    tries = state["tries"][state["last"]]
    return tries[-1] if tries else None


def feedback(atlas: Atlas, state: dict) -> list:
    """The answer's verdict: right or not, the distance in cun, and that a missed point comes back."""
    attempt = _last_try(state)
    question = quiz.current(state)
    if attempt is None or question is None:
        return []
    point = atlas.points[question.code]
    again = [" " + _("It comes back later.") if state["queue"] else ""]
    if state["queue"] and state["queue"] == [state["last"]]:
        again = [" " + _("Try it once more.")]
    # Short, so a right answer's verdict keeps to one line on a phone; the cautions' text
    # is in the details, and a reader hears the kinds here.
    kinds = ", ".join(dict.fromkeys(c.kind for c in point.cautions))
    # TRANSLATORS: a badge, "⚠ caution", followed for screen readers by ": {kinds}, see how to find it".
    caution = [html.Span(["⚠ " + _("caution"),
                          # TRANSLATORS: heard after the badge "⚠ caution"; {kinds} are caution kinds: "pregnancy".
                          html.Span(_(": {kinds}, see how to find it").format(kinds=kinds),
                                    className="visually-hidden")],
                         className="badge text-bg-warning ms-1", title=kinds)] if point.cautions else []
    if attempt.get("shown"):
        return [html.Span(_("{point} is marked on the figure.").format(point=_name(atlas, point.code)),
                          className="fw-semibold"),
                *again, *caution]
    if "d" in attempt:
        distance = quiz.distance_text(attempt["d"], state["within"], attempt["ok"])
        if attempt["ok"]:
            # TRANSLATORS: {distance} is a distance with its unit: "0.4 cun".
            return [html.Span(_("✓ Correct: {distance} from {code}.").format(distance=distance, code=point.code),
                              className="fw-semibold quiz-right"),
                    *caution]
        # TRANSLATORS: in bold, followed by "(within {within} cun counts); {code} is marked.".
        return [html.Span(_("✗ {distance} away").format(distance=distance), className="fw-semibold quiz-wrong"),
                # TRANSLATORS: follows "✗ 1.3 cun away"; {within} is a number of cun.
                " " + _("(within {within} cun counts); {code} is marked.").format(within=f"{state['within']:g}",
                                                                                 code=point.code),
                *again, *caution]
    if attempt["ok"]:
        return [html.Span(_("✓ Correct: this is {point}.").format(point=_name(atlas, point.code)),
                          className="fw-semibold quiz-right"),
                *caution]
    # TRANSLATORS: {answer} is the code the student chose; {point} the right one with its name.
    return [html.Span(_("✗ Not {answer}: this is {point}.").format(answer=attempt.get("c"),
                                                                  point=_name(atlas, point.code)),
                      className="fw-semibold quiz-wrong"), *again, *caution]


def details(atlas: Atlas, state: dict) -> list:
    """Once a point is revealed: its names, cautions, how to find it and the lesson's note."""
    question = quiz.current(state)
    if _last_try(state) is None or question is None:
        return []
    point = atlas.points[question.code]
    children = [html.H3([point.code, html.Span(f" {point.pinyin} {point.hanzi} · {point.english}",
                                               className="fw-normal")], className="h6 mb-1")]
    if point.cautions:
        children.append(dbc.Alert([html.Strong(_("Caution")), html.Ul(
            [html.Li([html.Strong(f"{c.kind}: "), c.text]) for c in point.cautions], className="mb-0 ps-3")],
            color="danger", className="py-1 px-2 small mb-1"))
    children.append(html.P([html.Strong(_("How to find it: ")), point.how_to_find], className="small mb-1"))
    if question.note:
        children.append(html.P([html.Strong(_("Note: ")), question.note], className="small mb-1 quiz-note"))
    children.append(html.P([html.Span(_("illustrative position"), className="badge text-bg-secondary me-1"),
                            _(ILLUSTRATIVE_NOTICE)], className="small text-muted mb-1"))
    return children


def choice_buttons(atlas: Atlas, state: dict) -> list:
    """The four codes for "name this point"; after an answer they stay, marked, and take no click."""
    options = quiz.choices(atlas, state)
    attempt = _last_try(state)
    question = quiz.current(state)
    buttons = []
    for index, code in enumerate(options):
        colour = "outline-primary"
        if attempt is not None and question is not None:
            colour = "success" if code == question.code else ("danger" if code == attempt.get("c") else
                                                              "outline-secondary")
        buttons.append(html.Button(code, id={"type": QUIZ_CHOICE, "index": index}, type="button",
                                   className=f"btn btn-{colour} quiz-choice", disabled=attempt is not None,
                                   value=code, **{"data-code": code}))
    return buttons


def _circle(x: float, y: float, radius: float) -> tuple[list, list]:
    angles = [2 * math.pi * k / 48 for k in range(49)]
    return [x + radius * math.cos(a) for a in angles] + [None], [y + radius * math.sin(a) for a in angles] + [None]


def _label_sides(xs: list[float]) -> list[str]:
    # The two sides of a bilateral point are close on the back: their labels go outwards.
    if len(xs) < 2:
        return ["top center"] * len(xs)
    middle = sum(xs) / len(xs)
    return ["top left" if x < middle else "top right" if x > middle else "top center" for x in xs]


def _body(atlas: Atlas, state: dict, view: str) -> go.Figure:
    fig = body_figure(atlas, view, points=[], height=FIGURE_HEIGHT)
    # Nothing hovers (a hover would give the answer away); a press is an answer, not a drag
    # (the zoom buttons and, on a touch screen, two fingers zoom and move); one finger
    # scrolls the page; the height follows the page.
    fig.update_layout(height=None, autosize=True, hovermode=False, dragmode=False, showlegend=False,
                      uirevision=f"{state['key']}/{view}", margin=dict(l=4, r=4, t=30))
    # The notice goes under the body, clear of the zoom buttons above it on a narrow screen.
    return notice_below(fig, bottom_margin=22)


def _recap(atlas: Atlas, state: dict) -> go.Figure | None:
    """At the end: every point of the quiz on the last view asked, labelled."""
    if not state["questions"]:
        return None
    view = state["questions"][state["last"] if state["last"] is not None else -1][1]
    fig = _body(atlas, state, view)
    xs, ys, text, colours, symbols = [], [], [], [], []
    for code, _unused, _unused in state["questions"]:
        point = atlas.points[code]
        for p in point.placements:
            if p.view == view:
                xs.append(p.x)
                ys.append(p.y)
                text.append(code)
                colours.append(atlas.meridians[point.meridian].colour)
                symbols.append(atlas.meridians[point.meridian].symbol)
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=text, textposition="top center",
                             hoverinfo="skip", name="the quiz's points", meta=dict(kind="recap"),
                             textfont=dict(size=11, color="#111111"),
                             marker=dict(size=MARKER_SIZE, color=colours, symbol=symbols,
                                         line=dict(color="white", width=1))))
    return fig


def figure(atlas: Atlas, state: dict) -> go.Figure | None:
    """The body with no point markers; a ring for "name this point"; after an answer the true
    position, the click, and the circle the answer had to fall in; at the end every point."""
    question = quiz.current(state)
    if question is None:
        return _recap(atlas, state)
    fig = _body(atlas, state, question.view)
    fig.add_traces(_marks(atlas, state))
    return fig


def _marks(atlas: Atlas, state: dict) -> list[go.Scatter]:
    question = quiz.current(state)
    point = atlas.points[question.code]
    placements = [p for p in point.placements if p.view == question.view]
    xs, ys = [p.x for p in placements], [p.y for p in placements]
    marks = []
    if state["ask"] == "name":
        marks.append(go.Scatter(x=xs, y=ys, mode="markers", hoverinfo="skip", name="ringed", meta=dict(kind="ring"),
                                marker=dict(size=MARKER_SIZE * 2.2, color="rgba(0,0,0,0)",
                                            line=dict(color=HIGHLIGHT_LINE, width=3))))
    attempt = _last_try(state)
    if attempt is None:
        return marks
    meridian = atlas.meridians[point.meridian]
    if "d" in attempt:
        cx, cy = [], []
        for p in placements:
            x, y = _circle(p.x, p.y, state["within"] * cun_units(atlas, p))
            cx += x
            cy += y
        marks.append(go.Scatter(x=cx, y=cy, mode="lines", hoverinfo="skip", name=f"within {state['within']:g} cun",
                                meta=dict(kind="within"), line=dict(color=RIGHT, width=1.5, dash="dot")))
        marks.append(go.Scatter(x=[attempt["x"]], y=[attempt["y"]], mode="markers", hoverinfo="skip",
                                name="your answer", meta=dict(kind="answer"),
                                marker=dict(symbol="x-thin", size=16,
                                            line=dict(width=3, color=RIGHT if attempt["ok"] else WRONG))))
    chosen = attempt.get("c")
    if chosen and chosen != point.code and chosen in atlas.points:
        others = [p for p in atlas.points[chosen].placements if p.view == question.view]
        marks.append(go.Scatter(x=[p.x for p in others], y=[p.y for p in others], mode="markers+text",
                                text=[chosen] * len(others), textposition=_label_sides([p.x for p in others]),
                                hoverinfo="skip", name="your answer", meta=dict(kind="answer"),
                                textfont=dict(size=12, color=WRONG),
                                marker=dict(size=MARKER_SIZE, color="#9a9a9a", line=dict(color=WRONG, width=2))))
    label = f"{point.code} ⚠" if point.cautions else point.code
    marks.append(go.Scatter(x=xs, y=ys, mode="markers+text", text=[label] * len(xs),
                            textposition=_label_sides(xs), hoverinfo="skip", name=point.code, meta=dict(kind="truth"),
                            textfont=dict(size=13, color="#111111"),
                            marker=dict(size=MARKER_SIZE + 3, color=meridian.colour, symbol=meridian.symbol,
                                        line=dict(color="white", width=1.5))))
    return marks


def figure_update(atlas: Atlas, state: dict | None, drawn) -> tuple:
    """The quiz figure for ``state`` as the page needs it, and what it then shows.

    ``drawn`` says which quiz and view the page's figure already shows: then
    only the markers are sent (the silhouette stays), else the whole figure.
    Returns (a figure, a Patch, or None for no change; the new ``drawn``).
    """
    question = quiz.current(state) if state is not None else None
    if question is not None and drawn == f"{state['key']}/{question.view}":
        patch = Patch()
        patch["data"] = [trace.to_plotly_json() for trace in _marks(atlas, state)]
        return patch, drawn
    fig = figure(atlas, state) if state is not None else None
    if fig is None:
        return None, drawn
    return fig, fig.layout.uirevision


def summary(atlas: Atlas, state: dict) -> list:
    """The end: a table of the points, attempts, distances and time, the CSV download and "try again"."""
    if state["phase"] != "done":
        return []
    rows = quiz.summary_rows(atlas, state)
    find = state["ask"] == "find"
    first = sum(1 for row in rows if row["first_try"])
    tries = sum(row["attempts"] for row in rows)
    seconds = max(0.0, (state.get("finished") or state["started"]) - state["started"])
    header = ["#", _("Point"), _("Tries"), _("First try (cun)") if find else _("First try"),
              _("Found at (cun)") if find else _("Answers"), _("Time (s)")]
    body = []
    for row in rows:
        verdict = "✓" if row["first_try"] else "✗"
        if find:
            if row["first_distance"] is not None:
                first_cell = f"{verdict} {row['first_distance']:.2f}"
            else:
                # TRANSLATORS: {verdict} is ✓ or ✗; the student asked to be shown the point.
                first_cell = _("{verdict} shown").format(verdict=verdict)
            found_cell = f"{row['found_distance']:.2f}" if row["found_distance"] is not None else "–"
        else:
            # TRANSLATORS: an answer in the quiz's summary: the student asked to be shown the point.
            shown = _("shown")
            first_cell, found_cell = verdict, " ".join(shown if a == "shown" else a for a in row["answers"])
        body.append(html.Tr([html.Td(row["number"]), html.Td([html.Strong(row["code"]), f" {row['name']}"]),
                             html.Td(row["attempts"]), html.Td(first_cell), html.Td(found_cell),
                             html.Td(f"{row['seconds']:.0f}")]))
    return [
        html.H3(_("Summary"), className="h6 mt-2", id=f"{ID.QUIZ_SUMMARY}-heading", tabIndex="-1"),
        # TRANSLATORS: {duration} is a time: "2 min 5 s".
        html.P(ngettext("{first} of {total} found on the first try; {tries} tries in {duration}.",
                        "{first} of {total} found on the first try; {tries} tries in {duration}.", tries).format(
                   first=first, total=len(rows), tries=tries, duration=_duration(seconds))
               + (" " + _("Correct meant within {within} cun.").format(within=f"{state['within']:g}") if find else "")
               + " " + _("The figure shows the quiz's points on the last view asked."), className="small"),
        html.Div(dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in header])), html.Tbody(body)],
                           size="sm", striped=True, className="small mb-1"), className="table-responsive"),
    ]


def csv_href(atlas: Atlas, state: dict) -> str:
    """The summary's CSV (:func:`bodymap.app.quiz.summary_csv`) as a data URL for its download link."""
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(quiz.summary_csv(atlas, state))


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    if minutes:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return _("{seconds} s").format(seconds=rest)


def render(atlas: Atlas, state: dict | None, notes=()) -> dict:
    """Every part of the quiz page for ``state`` (None: a link that holds no quiz), keyed by id;
    the figure is :func:`figure_update`'s."""
    if state is None:
        return {ID.QUIZ_TITLE: _("Quiz"), ID.QUIZ_PROGRESS: "", ID.QUIZ_CHOICES: [], ID.QUIZ_DETAILS: [],
                ID.QUIZ_QUESTION: _("This link holds no quiz: {notes}.").format(notes=_("; ").join(notes)) if notes
                else _("This link holds no quiz."), ID.QUIZ_FEEDBACK: [], ID.QUIZ_SUMMARY: [],
                "next": True, "next_label": _("Next point"), "reveal": True, "within": True, "focus": ID.QUIZ_QUESTION,
                ID.QUIZ_CSV: "",
                "done": True}
    attempt = _last_try(state)
    done = state["phase"] == "done"
    if done:
        focus = f"{ID.QUIZ_SUMMARY}-heading"
    elif attempt is not None:
        focus = ID.QUIZ_NEXT
    elif state["ask"] == "name":
        focus = "choice"
    else:
        focus = ID.QUIZ_QUESTION
    return {
        ID.QUIZ_TITLE: state["title"], ID.QUIZ_PROGRESS: progress_text(state),
        ID.QUIZ_QUESTION: question_text(atlas, state), ID.QUIZ_FEEDBACK: feedback(atlas, state),
        ID.QUIZ_DETAILS: details(atlas, state), ID.QUIZ_CHOICES: choice_buttons(atlas, state),
        ID.QUIZ_SUMMARY: summary(atlas, state),
        ID.QUIZ_CSV: csv_href(atlas, state) if done else "", "done": not done,
        "next": attempt is None, "next_label": _("Next point") if state["queue"] else _("See the summary"),
        "reveal": attempt is not None or done, "within": state["ask"] != "find" or done,
        "focus": focus,
    }


def tasks(search: str) -> list:
    """Links to the same quiz as "find the points" and as "name the points"; the current one marked."""
    params = urllib.parse.parse_qsl((search or "").lstrip("?"))
    current = next((v for k, v in params if k == "ask"), "find")
    links = []
    for ask, label in (("find", _("Find points")), ("name", _("Name points"))):
        query = [(k, v) for k, v in params if k != "ask"] + ([("ask", ask)] if ask != "find" else [])
        if ask == current:
            links.append(html.Span(label, className="btn btn-sm btn-secondary quiz-task-current",
                                   **{"aria-current": "true"}))
        else:
            links.append(dcc.Link(label, href="?" + urllib.parse.urlencode(query, safe=","),
                                  className="btn btn-sm btn-outline-secondary"))
    return links


def leave_href(search: str) -> str:
    """The map the quiz came from: the same link without the quiz."""
    quiz_keys = {"mode", "points", "ask", "within"}
    params = [(k, v) for k, v in urllib.parse.parse_qsl((search or "").lstrip("?")) if k not in quiz_keys]
    return "?" + urllib.parse.urlencode(params, safe=",") if params else "?"
