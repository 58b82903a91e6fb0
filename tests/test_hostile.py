"""Hostile and malformed requests: clear 4xx answers, nothing leaks, the app stays up."""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bodymap.app import create_app
from bodymap.app.state import parse_query

CALLBACK = "/_dash-update-component"


@pytest.fixture(scope="module")
def client(atlas):
    return create_app(atlas).server.test_client()


def search_request(text):
    return {"output": "..filter-payload.data...search-note.children..",
            "outputs": [{"id": "filter-payload", "property": "data"}, {"id": "search-note", "property": "children"}],
            "inputs": [{"id": "search-input", "property": "value", "value": text}],
            "changedPropIds": ["search-input.value"],
            "state": [{"id": "url-applied", "property": "data", "value": True}]}


def test_a_real_callback_answers(client):
    response = client.post(CALLBACK, json=search_request("UB23"))
    assert response.status_code == 200
    assert "search_mask" in response.get_data(as_text=True)


def malformed_bodies(rng):
    shapes = [b"", b"not json", b"[]", b"{}", b'{"output": 5}', b'{"output": "nope.data"}', b"\xff\xfe\x00",
              json.dumps(search_request({"nested": ["x"]})).encode(), json.dumps({"output": None, "inputs": 7}).encode(),
              json.dumps(dict(search_request("x"), inputs="oops")).encode()]
    for _ in range(300):
        body = rng.choice(shapes)
        if rng.random() < 0.3:
            body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
        yield body


def test_hundreds_of_malformed_callbacks_get_4xx_and_the_app_keeps_working(client):
    rng = random.Random(6)
    for body in malformed_bodies(rng):
        response = client.post(CALLBACK, data=body, content_type="application/json")
        assert 400 <= response.status_code < 500 or response.status_code in (200, 204), (body, response.status_code)
        assert b"Traceback" not in response.data
    oversized = client.post(CALLBACK, data=b"{" + b" " * 400_000 + b"}", content_type="application/json")
    assert oversized.status_code == 413
    test_a_real_callback_answers(client)
    assert client.get("/").status_code == 200


def test_text_from_users_and_data_is_never_html(client, atlas):
    hostile = '<img src=x onerror="alert(1)">'
    response = client.post(CALLBACK, json=search_request(hostile))
    assert response.status_code == 200 and "<img" not in response.get_data(as_text=True).replace("\\u003c", "")
    page = client.get("/?condition=" + hostile)
    assert page.status_code == 200 and b"<img src=x" not in page.data
    state = parse_query(atlas, "condition=" + hostile)
    assert state.conditions == () and any("ignored" in note for note in state.notes)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_query_string_parses_with_unknown_parts_noted(atlas, text):
    state = parse_query(atlas, text)
    assert state.views and all(v in atlas.views for v in state.views)
    assert all(c in atlas.conditions for c in state.conditions)
    assert all(m in atlas.meridians for m in state.meridians)
    assert state.point is None or state.point in atlas.points
    assert len(state.search) <= 100


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_any_url_renders_the_page(client, text):
    from urllib.parse import quote

    response = client.get("/?" + quote(text, safe="=&,"))
    assert response.status_code == 200


def test_busy_exports_are_refused_with_503_not_a_hung_worker(atlas, monkeypatch):
    from bodymap import app as app_module

    client = create_app(atlas).server.test_client()
    monkeypatch.setattr(app_module, "EXPORT_WAIT_S", 0.05)
    assert app_module.EXPORT_SLOTS.acquire(timeout=1)
    try:
        busy = client.get("/_bodymap/export?condition=sciatica&format=svg")
    finally:
        app_module.EXPORT_SLOTS.release()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "10"
    assert client.get("/_bodymap/export?condition=sciatica&format=svg").status_code == 200


def test_a_stuck_converter_is_timed_out(monkeypatch, atlas):
    import subprocess

    from bodymap import handout

    def stuck(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(handout.shutil, "which", lambda name: "/usr/bin/rsvg-convert")
    monkeypatch.setattr(handout.subprocess, "run", stuck)
    with pytest.raises(handout.ExportTimeout, match="took longer than"):
        handout.convert(b"<svg/>", "pdf")
    client = create_app(atlas).server.test_client()
    response = client.get("/_bodymap/export?condition=sciatica&format=pdf")
    assert response.status_code == 503 and b"try again" in response.data


# --- the lesson panel's and the quiz's callbacks take whatever a request sends ---------------------

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                           | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                        max_size=4), max_leaves=10)


def callback_body(app, starts: str, values: dict, changed: str) -> dict:
    """A request as the page sends it to the callback whose outputs begin with ``starts``."""
    key = next(k for k in app.callback_map if k.startswith(starts))
    spec = app.callback_map[key]
    outputs = [dict(zip(("id", "property"), part.split(".", 1))) for part in key.strip(".").split("...")]

    def entry(item):
        ident, prop = str(item["id"]), item["property"]
        if ident.startswith("{"):  # a pattern: the matching components, none unless given
            return values.get(ident, [])
        return {"id": ident, "property": prop, "value": values.get(f"{ident}.{prop}")}

    return {"output": key, "outputs": outputs, "inputs": [entry(i) for i in spec["inputs"]],
            "state": [entry(s) for s in spec["state"]], "changedPropIds": [changed]}


@pytest.fixture(scope="module")
def app(atlas):
    return create_app(atlas)


def test_a_real_quiz_answer_is_scored(app, atlas):
    from bodymap.app import quiz

    state = quiz.start(quiz.plan_from_query(atlas, "?mode=quiz&points=BL40&view=back"), seed=1, now=0.0)
    target = next(p for p in atlas.points["BL40"].placements if p.view == "back")
    body = callback_body(app, "..quiz-state.data@", {"quiz-click.data": {"view": "back", "x": target.x, "y": target.y},
                                                      "quiz-state.data": state}, "quiz-click.data")
    response = app.server.test_client().post(CALLBACK, json=body)
    assert response.status_code == 200 and "Correct" in response.get_data(as_text=True)


@settings(max_examples=120, deadline=None)
@given(click=json_values, stored=json_values, within=json_values)
def test_junk_answers_and_quiz_states_are_ignored_not_errors(app, atlas, click, stored, within):
    from bodymap.app import quiz

    client = app.server.test_client()
    real = quiz.start(quiz.plan_from_query(atlas, "?mode=quiz&points=BL40,GB30&view=back"), seed=1, now=0.0)
    for state in (stored, real, {**real, "queue": stored} if isinstance(real, dict) else real):
        for changed in ("quiz-click.data", "quiz-within.value"):
            body = callback_body(app, "..quiz-state.data@", {"quiz-click.data": click, "quiz-state.data": state,
                                                              "quiz-within.value": within}, changed)
            response = client.post(CALLBACK, json=body)
            assert response.status_code in (200, 204), (click, state, response.status_code)


@settings(max_examples=120, deadline=None)
@given(data=json_values, contents=st.one_of(json_values, st.binary(max_size=300).map(
    lambda b: "data:text/plain;base64," + __import__("base64").b64encode(b).decode())), filename=json_values,
       note=json_values)
def test_junk_lessons_files_and_notes_are_refused_plainly(app, data, contents, filename, note):
    client = app.server.test_client()
    note_input = [{"id": {"index": 0, "type": "lesson-note"}, "property": "value", "value": note}]
    for changed, values in (
            ("lesson-upload.contents", {"lesson-upload.contents": contents, "lesson-upload.filename": filename}),
            ('{"index":0,"type":"lesson-note"}.value', {'{"index":["ALL"],"type":"lesson-note"}': note_input}),
            ("lesson-title.value", {"lesson-title.value": note}),
            ("lesson-upload-refused.data", {"lesson-upload-refused.data": data})):
        body = callback_body(app, "..lesson-store.data@", {**values, "lesson-store.data": data}, changed)
        response = client.post(CALLBACK, json=body)
        assert response.status_code in (200, 204), (changed, data, response.status_code)
        assert b"Traceback" not in response.data
