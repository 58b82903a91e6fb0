"""The quiz's pure functions: the plan a link asks for, scoring in cun, choices, the summary."""

import csv
import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bodymap.app import quiz, quiz_page
from bodymap.app.state import parse_query
from bodymap.handout.lesson import quiz_title
from bodymap.lesson import cun_distance, cun_units, encode_lesson, load_lesson
from test_lesson import LESSONS


def placement(atlas, code, view):
    return next(p for p in atlas.points[code].placements if p.view == view)


def plan_of(atlas, search):
    plan = quiz.plan_from_query(atlas, search)
    assert plan is not None
    return plan


# --- the plan ----------------------------------------------------------------------------------------

def test_a_points_link_asks_each_point_on_its_view(atlas):
    plan = plan_of(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    assert [(q.code, q.view) for q in plan.questions] == [("BL40", "back"), ("GB30", "back")]
    assert plan.ask == "find" and plan.within == 1.0 and plan.notes == ()
    assert plan.title == "Quiz: 2 points"


def test_a_link_that_is_not_a_quiz_has_no_plan(atlas):
    assert quiz.plan_from_query(atlas, "?view=back&points=BL40") is None
    assert quiz.plan_from_query(atlas, "") is None


def test_codes_in_any_form_and_views_chosen_to_show_them(atlas):
    plan = plan_of(atlas, "?mode=quiz&points=UB23,Du4,he%20gu&ask=name&within=0.5")
    assert [q.code for q in plan.questions] == ["BL23", "GV4", "LI4"]
    for question in plan.questions:  # without view=, each is asked where it is drawn
        assert any(p.view == question.view for p in atlas.points[question.code].placements)
    assert plan.ask == "name" and plan.within == 0.5 and plan.notes == ()


def test_a_lesson_link_asks_its_points_in_order_with_its_notes(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    plan = plan_of(atlas, f"?lesson={encode_lesson(lesson)}&mode=quiz")
    assert tuple(q.code for q in plan.questions) == lesson.codes
    assert all(q.view in lesson.views for q in plan.questions)
    assert plan.questions[0].note == "Press both sides at once with the thumbs."
    assert plan.title == quiz_title(atlas, lesson)


def test_a_lesson_title_that_names_an_answer_is_not_shown(atlas):
    lesson = load_lesson(atlas, LESSONS / "good.toml")
    from dataclasses import replace

    telling = replace(lesson, title="Weizhong and friends")
    assert plan_of(atlas, f"?lesson={encode_lesson(telling)}&mode=quiz").title == "Quiz: 6 points"


@pytest.mark.parametrize("search, kept, note", [
    ("?mode=quiz&points=BL40,XX99&view=back", ["BL40"], "'XX99' is not a point bodymap knows"),
    ("?mode=quiz&points=BL40,B54&view=back", ["BL40"], "'B54' is ambiguous"),
    ("?mode=quiz&points=BL40&view=back,ceiling", ["BL40"], "unknown view “ceiling” ignored"),
    ("?mode=quiz&points=BL40&view=back&ask=guess", ["BL40"], "ask “guess” ignored (it may be: find, name)"),
    ("?mode=quiz&points=BL40&view=back&within=0.1", ["BL40"], "within “0.1” ignored"),
    ("?mode=exam&points=BL40", None, None),
])
def test_bad_values_are_dropped_with_a_note(atlas, search, kept, note):
    plan = quiz.plan_from_query(atlas, search)
    if kept is None:
        assert plan is None
        assert "mode “exam” ignored" in " ".join(parse_query(atlas, search).notes)
        return
    assert [q.code for q in plan.questions] == kept
    assert any(note in n for n in plan.notes), plan.notes


def test_a_point_off_the_chosen_view_is_asked_where_it_is_drawn(atlas):
    plan = plan_of(atlas, "?mode=quiz&points=LI4,BL23&view=hand")
    assert [(q.code, q.view) for q in plan.questions] == [("LI4", "hand"), ("BL23", "back")]
    assert plan.notes == ("BL23 is not drawn on the Hand view; it is asked on the Back view",)


def test_a_bad_lesson_token_is_a_plain_note_and_no_questions(atlas):
    plan = plan_of(atlas, "?lesson=1abcde&mode=quiz")
    assert plan.questions == ()
    assert any("link: lesson: is damaged" in note for note in plan.notes)
    state = quiz.start(plan, seed=1, now=0.0)
    assert state["phase"] == "done"
    assert quiz.load(atlas, state) is None  # nothing to ask: the page says the link holds no quiz
    assert "holds no quiz" in quiz_page.render(atlas, None, plan.notes)[quiz_page.ID.QUIZ_QUESTION]


def test_no_points_at_all_says_how_to_make_a_quiz(atlas):
    plan = plan_of(atlas, "?mode=quiz")
    assert plan.questions == ()
    assert any("add points=BL40,GB30" in note for note in plan.notes)


# --- scoring -----------------------------------------------------------------------------------------

def started(atlas, search, seed=3):
    return quiz.start(plan_of(atlas, search), seed=seed, now=100.0)


def test_a_click_on_the_point_is_correct_and_leaves_the_queue(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    target = placement(atlas, "BL40", "back")
    state = quiz.answer_click(atlas, state, "back", target.x, target.y, now=104.5)
    attempt, = state["tries"][0]
    assert attempt["ok"] and attempt["d"] == 0.0 and attempt["s"] == 4.5
    assert state["phase"] == "feedback" and state["queue"] == [1]
    assert quiz.current(state).code == "BL40"  # the feedback is about the point just answered
    state = quiz.advance(state, now=106.0)
    assert state["phase"] == "ask" and quiz.current(state).code == "GB30" and state["asked"] == 106.0


def test_within_one_cun_is_correct_and_a_stricter_setting_is_not(atlas):
    cv12 = placement(atlas, "CV12", "front")
    cun = cun_units(atlas, cv12)
    below = (cv12.x, cv12.y + 0.9 * cun)
    state = started(atlas, "?mode=quiz&points=CV12&view=front")
    assert quiz.answer_click(atlas, state, "front", *below, now=101)["tries"][0][0]["ok"]
    strict = quiz.set_within(state, 0.5)
    answered = quiz.answer_click(atlas, strict, "front", *below, now=101)
    assert not answered["tries"][0][0]["ok"]
    assert answered["tries"][0][0]["d"] == pytest.approx(0.9, abs=0.001)
    assert quiz.set_within(state, 0.3) == state  # only the offered settings


def test_a_far_click_gives_its_distance_and_the_point_comes_back_last(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30,BL60&view=back")
    far = (200.0, 100.0)
    state = quiz.answer_click(atlas, state, "back", *far, now=101)
    attempt = state["tries"][0][0]
    assert not attempt["ok"]
    assert attempt["d"] == pytest.approx(cun_distance(atlas, "back", "BL40", *far), abs=0.001)
    assert state["queue"] == [1, 2, 0]
    state = quiz.advance(state, now=102)
    assert quiz.current(state).code == "GB30"


def test_the_quiz_ends_when_every_point_is_found(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    state = quiz.advance(quiz.answer_click(atlas, state, "back", 10, 10, now=101), now=102)  # BL40 missed
    assert quiz.current(state).code == "GB30"
    state = quiz.advance(quiz.answer_click(atlas, state, "back", *_xy(atlas, "GB30"), now=103), now=104)
    assert quiz.current(state).code == "BL40"  # back again until found
    state = quiz.answer_click(atlas, state, "back", *_xy(atlas, "BL40"), now=105)
    assert state["phase"] == "feedback" and state["queue"] == []
    assert quiz.load(atlas, state) == state  # the last point's feedback, with nothing left to ask
    state = quiz.advance(state, now=110)
    assert state["phase"] == "done" and state["finished"] == 110
    assert quiz.current(state) is None
    rows = quiz.summary_rows(atlas, state)
    assert [(r["code"], r["attempts"], r["first_try"], r["found"]) for r in rows] == [
        ("BL40", 2, False, True), ("GB30", 1, True, True)]


def _xy(atlas, code, view="back"):
    p = placement(atlas, code, view)
    return p.x, p.y


def test_clicks_that_do_not_answer_change_nothing(atlas):
    state = started(atlas, "?mode=quiz&points=BL40&view=back")
    assert quiz.answer_click(atlas, state, "front", 200, 400, now=101) == state  # a stale figure
    assert quiz.answer_click(atlas, state, "back", "x", None, now=101) == state
    assert quiz.answer_click(atlas, state, "back", math.inf, 3, now=101) == state
    assert quiz.answer_choice(state, "BL40", now=101) == state  # a find quiz takes no choice
    answered = quiz.answer_click(atlas, state, "back", 10, 10, now=101)
    assert quiz.answer_click(atlas, answered, "back", *_xy(atlas, "BL40"), now=102) == answered  # awaiting "next"
    assert quiz.advance(state, now=101) == state


def test_show_me_reveals_and_counts_as_missed(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    state = quiz.reveal(state, now=103)
    assert state["tries"][0] == [{"shown": True, "ok": False, "s": 3.0}]
    assert state["queue"] == [1, 0] and state["phase"] == "feedback"


def test_name_this_point_scores_the_chosen_code(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back&ask=name")
    options = quiz.choices(atlas, state)
    assert "BL40" in options and len(options) == 4
    wrong = next(c for c in options if c != "BL40")
    state = quiz.answer_choice(state, wrong, now=102)
    assert state["tries"][0][0] == {"c": wrong, "ok": False, "s": 2.0}
    assert quiz.choices(atlas, state) == options  # the same buttons while the feedback shows
    state = quiz.advance(state, now=103)
    state = quiz.advance(quiz.answer_choice(state, "GB30", now=104), now=105)
    assert quiz.current(state).code == "BL40"
    assert quiz.answer_click(atlas, state, "back", *_xy(atlas, "BL40"), now=106) == state  # clicks do not name


def test_restart_asks_everything_again(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back&within=2")
    state = quiz.answer_click(atlas, state, "back", *_xy(atlas, "BL40"), now=101)
    again = quiz.restart(state, seed=9, now=200)
    assert again["queue"] == [0, 1] and again["tries"] == [[], []] and again["within"] == 2.0
    assert again["key"] == state["key"] and again["started"] == 200


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=5), max_leaves=12))
def test_a_state_the_page_did_not_make_is_refused(atlas, junk):
    assert quiz.load(atlas, junk) is None


def test_a_state_with_one_thing_wrong_is_refused(atlas):
    good = started(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    assert quiz.load(atlas, good) == good
    for change in ({"questions": [["BL40", "front", ""]]}, {"queue": [0, 0]}, {"queue": [5]}, {"within": 0.7},
                   {"ask": "draw"}, {"phase": "ask", "queue": []}, {"last": 9}, {"seed": "x"}, {"tries": [[]]},
                   {"questions": [["XX1", "back", ""], ["GB30", "back", ""]]}):
        assert quiz.load(atlas, {**good, **change}) is None, change


# --- choices -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, view", [("BL40", "back"), ("LI4", "hand"), ("GV20", "head-side"), ("ST36", "leg"),
                                        ("CV12", "front"), ("KI1", "foot")])
def test_four_distinct_codes_with_the_answer_fixed_by_the_seed(atlas, code, view):
    options = quiz.distractors(atlas, code, view, seed=11)
    assert len(options) == 4 and len(set(options)) == 4 and code in options
    assert options == quiz.distractors(atlas, code, view, seed=11)
    drawn = set(atlas.layers[view].codes)
    assert set(options) <= drawn
    for other in options:
        if other != code:  # none drawn on the same spot, so the ring names one point
            nearest = min(cun_distance(atlas, view, code, p.x, p.y) for p in atlas.points[other].placements
                          if p.view == view)
            assert nearest >= quiz.MIN_APART


def test_distractors_are_the_points_nearby(atlas):
    code, view = "BL40", "back"
    apart = sorted({c: min(cun_distance(atlas, view, code, p.x, p.y) for p in atlas.points[c].placements
                           if p.view == view) for c in set(atlas.layers[view].codes) - {code}}.items(),
                   key=lambda item: (item[1], item[0]))
    near = {c for c, d in apart if d >= quiz.MIN_APART}
    nearest = [c for c, d in apart if d >= quiz.MIN_APART][: quiz.NEAREST]
    seen = set()
    for seed in range(40):
        seen |= set(quiz.distractors(atlas, code, view, seed)) - {code}
    assert seen <= set(nearest) and seen <= near
    assert len(seen) > 3  # the seed changes which neighbours are offered
    assert {tuple(quiz.distractors(atlas, code, view, s)) for s in range(10)}.__len__() > 1


def test_distractors_refuse_a_point_not_on_the_view(atlas):
    with pytest.raises(ValueError, match="not drawn on the hand view"):
        quiz.distractors(atlas, "BL23", "hand", seed=1)


# --- the summary -------------------------------------------------------------------------------------

def test_summary_csv_has_a_row_per_point_with_tries_distances_and_seconds(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    state = quiz.advance(quiz.answer_click(atlas, state, "back", 200, 100, now=103.2), now=104)
    gb30 = _xy(atlas, "GB30")
    state = quiz.advance(quiz.answer_click(atlas, state, "back", gb30[0] + 5, gb30[1], now=110), now=111)
    state = quiz.advance(quiz.answer_click(atlas, state, "back", *_xy(atlas, "BL40"), now=113.5), now=114)
    rows = list(csv.DictReader(io.StringIO(quiz.summary_csv(atlas, state))))
    assert [r["code"] for r in rows] == ["BL40", "GB30"]
    first, second = rows
    assert first["attempts"] == "2" and first["first_try_correct"] == "no"
    assert float(first["first_distance_cun"]) == pytest.approx(cun_distance(atlas, "back", "BL40", 200, 100),
                                                               abs=0.006)
    assert first["found_distance_cun"] == "0.00"
    assert float(first["seconds"]) == pytest.approx(3.2 + 2.5)
    assert second["first_try_correct"] == "yes" and second["seconds"] == "6.0"
    assert float(second["found_distance_cun"]) == pytest.approx(
        cun_distance(atlas, "back", "GB30", gb30[0] + 5, gb30[1]), abs=0.006)
    assert first["name"] == "Wei Zhong 委中" and first["view"] == "Back"


def test_summary_csv_of_name_this_point_lists_the_answers(atlas):
    state = started(atlas, "?mode=quiz&points=BL40&view=back&ask=name")
    wrong = next(c for c in quiz.choices(atlas, state) if c != "BL40")
    state = quiz.advance(quiz.answer_choice(state, wrong, now=101), now=102)
    state = quiz.advance(quiz.reveal(state, now=103), now=104)
    state = quiz.advance(quiz.answer_choice(state, "BL40", now=105), now=106)
    row, = csv.DictReader(io.StringIO(quiz.summary_csv(atlas, state)))
    assert row["answers"] == f"{wrong} shown BL40" and row["attempts"] == "3"
    assert "first_distance_cun" not in row


def test_distances_are_shown_so_the_verdict_is_never_contradicted():
    assert quiz.distance_text(0.44, 1.0, True) == "0.4 cun"
    assert quiz.distance_text(1.04, 1.0, False) == "1.04 cun"  # "1.0 cun" would read as within 1 cun
    assert quiz.distance_text(2.345, 1.0, False) == "2.3 cun"


# --- what the page shows -----------------------------------------------------------------------------

def kinds(figure):
    return [(t.meta or {}).get("kind") for t in figure.data]


def test_the_figure_shows_no_point_until_the_answer(atlas):
    state = started(atlas, "?mode=quiz&points=BL40&view=back")
    figure = quiz_page.figure(atlas, state)
    assert kinds(figure) == [] and figure.layout.hovermode is False
    assert "illustrative, not anatomical" in figure.layout.annotations[0].text
    state = quiz.answer_click(atlas, state, "back", 200, 100, now=101)
    figure = quiz_page.figure(atlas, state)
    assert kinds(figure) == ["within", "answer", "truth"]
    truth = figure.data[-1]
    assert sorted(zip(truth.x, truth.y)) == sorted((p.x, p.y) for p in atlas.points["BL40"].placements
                                                   if p.view == "back")


def test_name_this_point_rings_the_point_and_names_nothing_before_the_answer(atlas):
    state = started(atlas, "?mode=quiz&points=BL40&view=back&ask=name")
    parts = quiz_page.render(atlas, state)
    assert kinds(quiz_page.figure(atlas, state)) == ["ring"]
    assert "BL40" not in parts[quiz_page.ID.QUIZ_QUESTION] and "Wei Zhong" not in str(parts)
    assert parts["focus"] == "choice"


def test_a_revealed_point_shows_how_to_find_it_and_its_cautions(atlas):
    state = started(atlas, "?mode=quiz&points=LI4&view=hand")
    state = quiz.reveal(state, now=101)
    parts = quiz_page.render(atlas, state)
    shown = str(parts[quiz_page.ID.QUIZ_DETAILS]) + str(parts[quiz_page.ID.QUIZ_FEEDBACK])
    assert atlas.points["LI4"].how_to_find in shown
    assert "pregnancy" in shown and "illustrative" in shown and "⚠ caution" in shown
    assert quiz_page.figure(atlas, state).data[-1].text[0] == "LI4 ⚠"  # on the figure too
    assert parts["focus"] == quiz_page.ID.QUIZ_NEXT and parts["next"] is False
    assert parts["next_label"] == "Next point"  # LI4 comes back: it was only shown
    state = quiz.advance(state, now=102)
    state = quiz.answer_click(atlas, state, "hand", *_xy(atlas, "LI4", "hand"), now=103)
    assert quiz_page.render(atlas, state)["next_label"] == "See the summary"


def test_the_figure_is_sent_whole_once_then_only_its_traces(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,LU9&view=back,hand")
    first, drawn = quiz_page.figure_update(atlas, state, None)
    assert first.layout.shapes and drawn == f"{state['key']}/back"
    answered = quiz.answer_click(atlas, state, "back", 200, 100, now=101)
    patch, again = quiz_page.figure_update(atlas, answered, drawn)
    assert again == drawn
    operations = patch.to_plotly_json()["operations"]
    assert [op["location"] for op in operations] == [["data"]]  # the silhouette is not sent again
    assert [t["meta"]["kind"] for t in operations[0]["params"]["value"]] == ["within", "answer", "truth"]
    following = quiz.advance(answered, now=102)  # LU9, not on the back: asked on the hand
    whole, drawn = quiz_page.figure_update(atlas, following, drawn)
    assert whole.layout.meta["view"] == "hand" and drawn == f"{state['key']}/hand"


def test_the_end_shows_every_point_of_the_quiz(atlas):
    state = started(atlas, "?mode=quiz&points=BL40,GB30&view=back")
    for code in ("BL40", "GB30"):
        state = quiz.advance(quiz.answer_click(atlas, state, "back", *_xy(atlas, code), now=101), now=102)
    recap = quiz_page.figure(atlas, state)
    assert kinds(recap) == ["recap"]
    assert sorted(recap.data[0].text) == ["BL40", "BL40", "GB30", "GB30"]


def test_the_summary_page_links_its_csv(atlas):
    import urllib.parse

    state = started(atlas, "?mode=quiz&points=BL40&view=back")
    state = quiz.advance(quiz.answer_click(atlas, state, "back", *_xy(atlas, "BL40"), now=101), now=102)
    parts = quiz_page.render(atlas, state)
    href = parts[quiz_page.ID.QUIZ_CSV]
    assert href.startswith("data:text/csv;charset=utf-8,")
    assert urllib.parse.unquote(href.split(",", 1)[1]) == quiz.summary_csv(atlas, state)
    assert "1 of 1 found on the first try" in str(parts[quiz_page.ID.QUIZ_SUMMARY])


def test_task_links_and_leaving_keep_the_rest_of_the_link(atlas):
    search = "?lesson=1abc&mode=quiz&within=0.5"
    tasks = quiz_page.tasks(search)
    assert tasks[0].children == "Find points" and tasks[0].to_plotly_json()["props"]["aria-current"] == "true"
    assert tasks[1].href == "?lesson=1abc&mode=quiz&within=0.5&ask=name"
    assert quiz_page.leave_href(search) == "?lesson=1abc"
    assert quiz_page.leave_href("?mode=quiz&points=BL40&view=back") == "?view=back"


def test_the_page_says_what_it_dropped_and_how_it_read_the_rest():
    from bodymap.app.callbacks import url_note

    assert url_note([], ["BL23 is not drawn on the Hand view; it is asked on the Back view"]) == (
        "BL23 is not drawn on the Hand view; it is asked on the Back view.")
    assert url_note(["ask “guess” ignored (it may be: find, name)"], ["the quiz has no points"]) == (
        "Some of the link was not understood: ask “guess” ignored (it may be: find, name). The quiz has no points.")
    assert url_note([], []) == ""
