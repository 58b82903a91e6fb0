"""The quiz in the app: find a point on the body, or name a ringed one.

Pure functions over a quiz state that the browser keeps (plain JSON in a
store) and sends with every answer, so any worker scores any answer and the
server keeps nothing. An answer's distance is measured in cun on its view
with :func:`bodymap.lesson.cun_distance`; a missed point comes back at the
end of the queue until it is found.

    plan = plan_from_query(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    state = start(plan, seed=7, now=0.0)
    state = answer_click(atlas, state, "back", x, y, now=3.2)
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass

from ..handout.lesson import quiz_title
from ..i18n import N_, _, ngettext
from ..lesson import cun_distance
from ..model import Atlas
from .state import ASK, WITHIN, FilterState, parse_query

STATE_VERSION = 1
CHOICES = 4
NEAREST = 8  # distractors are drawn from this many nearest points
MIN_APART = 0.5  # cun: a point closer than this to the answer looks the same and is no fair distractor
MAX_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class Question:
    """One point to find, on the view it is asked on; ``note`` is the lesson's, shown once it is revealed."""

    code: str
    view: str
    note: str = ""


@dataclass(frozen=True)
class QuizPlan:
    """What a quiz link asks: its questions in order, the task, how near counts as correct, and notes
    on anything in the link that could not be used."""

    questions: tuple[Question, ...]
    ask: str = "find"
    within: float = 1.0
    title: str = N_("Quiz")  # a default only: the plans made here carry their title translated
    notes: tuple[str, ...] = ()
    key: str = ""


# --- the plan ----------------------------------------------------------------------------------------

def plan_from_query(atlas: Atlas, search: str | None) -> QuizPlan | None:
    """The quiz a link asks for (``?mode=quiz&...``), or None when the link is not a quiz.

    Points come from ``lesson=TOKEN`` (in the lesson's order, with its notes)
    or ``points=BL40,GB30``; each is asked on the first of the link's views
    that draws it (``view=back``), else on a view that does, with a note.
    Values the link gets wrong are dropped and noted.
    """
    state = parse_query(atlas, search)
    if state.mode != "quiz":
        return None
    return plan_from_state(atlas, state)


def plan_from_state(atlas: Atlas, state: FilterState) -> QuizPlan:
    """The quiz of a parsed link (see :func:`plan_from_query`)."""
    notes = list(state.notes)
    if state.lesson is not None:
        entries = [(p.code, p.note) for p in state.lesson.points]
        title = quiz_title(atlas, state.lesson)
        if state.quiz_points:
            notes.append(_("the quiz asks the lesson's points; the link's points were ignored"))
    else:
        entries = [(code, "") for code in state.quiz_points]
        title = ngettext("Quiz: {count} point", "Quiz: {count} points", len(entries)).format(count=len(entries))
        # A lesson that could not be opened has its note already (its problems name the field `lesson`).
        if not entries and not any("lesson" in note for note in notes):
            # TRANSLATORS: keep points=BL40,GB30 and the command in backquotes as they are.
            notes.append(_("the quiz has no points: add points=BL40,GB30 to the link, or make one with "
                           "`bodymap lesson link FILE --quiz`"))
    questions = []
    for code, note in entries:
        drawn = list(dict.fromkeys(p.view for p in atlas.points[code].placements))
        view = next((v for v in state.views if v in drawn), None)
        if view is None:
            view = drawn[0]
            asked = _(", ").join(atlas.views[v].name for v in state.views)
            # TRANSLATORS: {asked} is the link's view names ("front, back"); {view} is one view's name.
            notes.append(ngettext("{code} is not drawn on the {asked} view; it is asked on the {view} view",
                                  "{code} is not drawn on the {asked} views; it is asked on the {view} view",
                                  len(state.views)).format(code=code, asked=asked, view=atlas.views[view].name))
        questions.append(Question(code, view, note))
    key = "|".join(f"{q.code}@{q.view}" for q in questions) + f"|{state.ask}"
    return QuizPlan(tuple(questions), state.ask, state.within, title, tuple(notes), key)


# --- the state ---------------------------------------------------------------------------------------

def start(plan: QuizPlan, seed: int, now: float) -> dict:
    """A fresh quiz state: every question queued in order, the first one asked at ``now``."""
    return {
        "v": STATE_VERSION, "key": plan.key, "title": plan.title, "ask": plan.ask, "within": plan.within,
        "seed": int(seed), "questions": [[q.code, q.view, q.note] for q in plan.questions],
        "queue": list(range(len(plan.questions))), "tries": [[] for _unused in plan.questions],
        "phase": "ask" if plan.questions else "done", "last": None,
        "started": float(now), "asked": float(now), "finished": None if plan.questions else float(now),
    }


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def load(atlas: Atlas, data) -> dict | None:
    """The state the browser sent, checked; None for anything that is not a quiz state this page made."""
    try:
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return None
        questions = data["questions"]
        if not isinstance(questions, list) or not questions or len(questions) > 200:
            return None
        for entry in questions:
            if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(s, str) for s in entry)
                    and entry[0] in atlas.points and entry[1] in atlas.views
                    and any(p.view == entry[1] for p in atlas.points[entry[0]].placements)):
                return None
        queue, tries = data["queue"], data["tries"]
        if not (isinstance(queue, list) and all(isinstance(i, int) and 0 <= i < len(questions) for i in queue)
                and len(set(queue)) == len(queue)):
            return None
        if not (isinstance(tries, list) and len(tries) == len(questions) and all(isinstance(t, list) for t in tries)
                and all(isinstance(a, dict) for t in tries for a in t)):
            return None
        if data["ask"] not in ASK or data["within"] not in WITHIN or data["phase"] not in ("ask", "feedback", "done"):
            return None
        if not (isinstance(data["seed"], int) and _number(data["started"]) and _number(data["asked"])):
            return None
        if data["last"] is not None and not (isinstance(data["last"], int) and 0 <= data["last"] < len(questions)):
            return None
        if not isinstance(data["title"], str) or not isinstance(data["key"], str):
            return None
        if data["phase"] == "ask" and not queue:
            return None
    except (KeyError, TypeError):
        return None
    return data


def current(state: dict) -> Question | None:
    """The question being asked (or just answered), None once the quiz is done."""
    if state["phase"] == "feedback" and state["last"] is not None:
        return Question(*state["questions"][state["last"]])
    if state["phase"] == "ask" and state["queue"]:
        return Question(*state["questions"][state["queue"][0]])
    return None


def _elapsed(state: dict, now: float) -> float:
    return round(min(max(float(now) - state["asked"], 0.0), MAX_SECONDS), 1)


def _answered(state: dict, attempt: dict, correct: bool, now: float) -> dict:
    index = state["queue"][0]
    tries = [list(t) for t in state["tries"]]
    tries[index].append({**attempt, "ok": correct, "s": _elapsed(state, now)})
    # A found point leaves the queue; a missed one comes back after the others.
    queue = state["queue"][1:] + ([] if correct else [index])
    return {**state, "tries": tries, "queue": queue, "phase": "feedback", "last": index}


def answer_click(atlas: Atlas, state: dict, view, x, y, now: float) -> dict:
    """The state after a click at (x, y) in ``view``'s SVG units: scored in cun on that view.

    Within the quiz's ``within`` cun of the point (its nearest placement) is
    correct. A click while no point is asked, or on another view, changes nothing.
    """
    question = current(state)
    if state["phase"] != "ask" or state["ask"] != "find" or question is None or view != question.view:
        return state
    try:
        distance = cun_distance(atlas, question.view, question.code, x, y)
    except ValueError:
        return state
    correct = distance <= state["within"] + 1e-9
    return _answered(state, {"x": round(float(x), 1), "y": round(float(y), 1), "d": round(distance, 3)}, correct,
                     now)


def answer_choice(state: dict, code, now: float) -> dict:
    """The state after choosing ``code`` for the ringed point; only one of its offered choices counts."""
    question = current(state)
    if state["phase"] != "ask" or state["ask"] != "name" or question is None or not isinstance(code, str):
        return state
    return _answered(state, {"c": code}, code == question.code, now)


def reveal(state: dict, now: float) -> dict:
    """The state after "show me": the point is shown and counts as missed, so it comes back."""
    if state["phase"] != "ask" or not state["queue"]:
        return state
    return _answered(state, {"shown": True}, False, now)


def advance(state: dict, now: float) -> dict:
    """The state after "next": the next queued point is asked, or the quiz is done."""
    if state["phase"] != "feedback":
        return state
    if not state["queue"]:
        return {**state, "phase": "done", "finished": float(now)}
    return {**state, "phase": "ask", "asked": float(now)}


def set_within(state: dict, within) -> dict:
    """The state scoring later answers within ``within`` cun (one of the offered settings)."""
    try:
        within = float(within)
    except (TypeError, ValueError):
        return state
    return {**state, "within": within} if within in WITHIN else state


def restart(state: dict, seed: int, now: float) -> dict:
    """The same quiz again from its first point."""
    plan = QuizPlan(tuple(Question(*q) for q in state["questions"]), state["ask"], state["within"], state["title"],
                    key=state["key"])
    return start(plan, seed, now)


# --- choices for "name this point" -------------------------------------------------------------------

def distractors(atlas: Atlas, code: str, view: str, seed: int, count: int = CHOICES) -> list[str]:
    """``count`` distinct codes to choose from, the answer among them, in an order fixed by ``seed``.

    The others are drawn from the points nearest to it on the same view (the
    plausible mistakes), leaving out any drawn within MIN_APART cun of it,
    which would look the same on the figure.
    """
    layer = atlas.layers[view]
    mine = [p for p in atlas.points[code].placements if p.view == view]
    if not mine:
        raise ValueError(f"{code} is not drawn on the {view} view")
    apart: dict[str, float] = {}
    for other, (x, y) in zip(layer.codes, layer.xy.tolist()):
        if other != code:
            distance = cun_distance(atlas, view, code, x, y)
            apart[other] = min(distance, apart.get(other, math.inf))
    candidates = sorted((d, c) for c, d in apart.items() if d >= MIN_APART)
    rng = random.Random(f"{seed}/{code}/{view}")
    near = [c for _unused, c in candidates[:NEAREST]]
    chosen = rng.sample(near, min(count - 1, len(near)))
    chosen += [c for _unused, c in candidates[NEAREST:]][: count - 1 - len(chosen)]
    options = chosen + [code]
    rng.shuffle(options)
    return options


def choices(atlas: Atlas, state: dict) -> list[str]:
    """The codes offered for the ringed point now: fresh ones each time it comes back."""
    question = current(state)
    if question is None or state["ask"] != "name":
        return []
    index = state["last"] if state["phase"] == "feedback" else state["queue"][0]
    tries = len(state["tries"][index]) - (1 if state["phase"] == "feedback" else 0)
    return distractors(atlas, question.code, question.view, state["seed"] * 101 + tries)


# --- the summary -------------------------------------------------------------------------------------

def summary_rows(atlas: Atlas, state: dict) -> list[dict]:
    """One row per point in the quiz's order: attempts, distances (find) or answers (name), seconds."""
    rows = []
    for number, ((code, view, _unused), tries) in enumerate(zip(state["questions"], state["tries"]), start=1):
        point = atlas.points[code]
        found = next((t for t in tries if t.get("ok")), None)
        rows.append({
            "number": number, "code": code, "name": f"{point.pinyin} {point.hanzi}".strip(),
            "view": atlas.views[view].name, "attempts": len(tries), "found": found is not None,
            "first_try": bool(tries) and bool(tries[0].get("ok")),
            "first_distance": tries[0].get("d") if tries else None,
            "found_distance": found.get("d") if found else None,
            "answers": [t.get("c", "shown") for t in tries] if state["ask"] == "name" else [],
            "seconds": round(sum(t.get("s", 0.0) for t in tries), 1),
        })
    return rows


def summary_csv(atlas: Atlas, state: dict) -> str:
    """The summary as CSV text: a row per point; distances in cun for "find", answers for "name"."""
    find = state["ask"] == "find"
    header = ["number", "code", "name", "view", "attempts", "first_try_correct"]
    header += ["first_distance_cun", "found_distance_cun"] if find else ["answers"]
    header += ["seconds"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in summary_rows(atlas, state):
        line = [row["number"], row["code"], row["name"], row["view"], row["attempts"],
                "yes" if row["first_try"] else "no"]
        if find:
            line += [_cun(row["first_distance"]), _cun(row["found_distance"])]
        else:
            line += [" ".join(row["answers"])]
        writer.writerow(line + [f"{row['seconds']:.1f}"])
    return out.getvalue()


def _cun(value) -> str:
    return "" if value is None else f"{value:.2f}"


def distance_text(distance: float, within: float, correct: bool) -> str:
    """A distance as the student reads it: one decimal, two where one would blur the line."""
    text = f"{distance:.1f}"
    if (float(text) <= within) != correct:
        text = f"{distance:.2f}"
    return _("{distance} cun").format(distance=text)
