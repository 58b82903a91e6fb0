"""The app's pure functions and layout, without a browser."""

import base64

import pytest
from dash import dcc

from bodymap import query
from bodymap.app import create_app
from bodymap.app import details
from bodymap.app.controls import condition_groups
from bodymap.app.figures import view_figure
from bodymap.app.ids import ID, graph_id
from bodymap.app.state import (catalogue_order, condition_masks, parse_query, search_payload, state_from_controls,
                               to_query)
from bodymap.model import ILLUSTRATIVE_NOTICE
from graphs import cycles


def find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


@pytest.fixture(scope="module")
def order(atlas):
    return {code: i for i, code in enumerate(catalogue_order(atlas))}


def matched_codes(payload, order):
    bits = base64.b64decode(payload["mask"])
    codes = {i: c for c, i in order.items()}
    return {codes[i] for i in range(len(order)) if bits[i // 8] >> (i % 8) & 1}


def test_parse_shared_link(atlas):
    state = parse_query(atlas, "?view=back&condition=sciatica&meridian=BL,GB&point=BL40")
    assert state.views == ("back",)
    assert state.conditions == ("sciatica",)
    assert state.meridians == ("BL", "GB")
    assert state.point == "BL40"
    assert state.notes == ()


def test_parse_drops_unknown_values_with_notes(atlas):
    state = parse_query(atlas, "view=back,ceiling&condition=gout&meridian=UB,QQ&point=ZZ9&colour=red")
    assert state.views == ("back",) and state.conditions == () and state.meridians == ("BL",)
    assert state.point is None
    joined = " ".join(state.notes)
    for fragment in ("view “ceiling”", "condition “gout”", "meridian “QQ”", "point “ZZ9”", "setting “colour”"):
        assert fragment in joined


def test_parse_defaults_and_hostile_input(atlas):
    assert parse_query(atlas, "").views == ("front",)
    assert set(parse_query(atlas, None).meridians) == set(atlas.meridians)
    assert parse_query(atlas, "meridian=none").meridians == ()
    assert parse_query(atlas, "meridian=XX").meridians == tuple(atlas.meridians)  # nothing usable: keep all
    long = parse_query(atlas, "search=" + "a" * 5000)
    assert long.search == "" and "too long" in long.notes[0]
    assert len(parse_query(atlas, "search=" + "b" * 500).search) == 100


def test_query_string_round_trip(atlas):
    state = parse_query(atlas, "?view=back,leg&condition=sciatica,knee-pain&meridian=BL&search=ub 40&point=BL40"
                               "&labels=1&channels=1")
    again = parse_query(atlas, to_query(atlas, state))
    assert again == state
    assert to_query(atlas, parse_query(atlas, "")) == ""


def test_state_from_controls_ignores_junk(atlas):
    state = state_from_controls(atlas, ["back", 3, "nowhere"], "sciatica", [{"x": 1}, "BL"], None, "BL99", 1, 0)
    assert state.views == ("back",) and state.conditions == () and state.meridians == ("BL",)
    assert state.search == "" and state.point is None and state.labels and not state.channels


def test_condition_masks_hold_each_conditions_points(atlas, order):
    masks = condition_masks(atlas, order)
    assert set(masks) == set(atlas.conditions)
    for condition in ("sciatica", "insomnia", "hip-pain"):
        assert matched_codes({"mask": masks[condition]}, order) == set(query(atlas, conditions=[condition]).codes)


def test_search_payload_explains_every_reading(atlas, order):
    import json

    assert search_payload(atlas, "  ", order) is None
    found = search_payload(atlas, "B54", order)
    assert matched_codes({"mask": found["search_mask"]}, order) == {"BL40", "BL54"}
    assert "older bladder numbering" in found["note"] and "WHO numbering" in found["note"]
    assert {order["BL40"], order["BL54"]} == {r[0] for r in found["readings"]}
    assert len(json.dumps(found)) < 2000
    assert search_payload(atlas, "x" * 10_000, order) is not None  # long input is cut, not an error


def test_layout_has_notice_controls_and_a_graph_per_view(atlas):
    app = create_app(atlas)
    assert find(app.layout(), ID.NOTICE).children == ILLUSTRATIVE_NOTICE
    # The drawn views (regions among them), then the 3D body, which the browser draws itself.
    assert [o["value"] for o in find(app.layout(), ID.VIEWS).options] == list(atlas.views) + ["3d"]
    assert [o["value"] for o in find(app.layout(), ID.MERIDIANS).options] == list(atlas.meridians)
    for view in atlas.views:
        assert isinstance(find(app.layout(), graph_id(view)), dcc.Graph)
    scene = find(app.layout(), ID.SCENE)
    assert scene.children is None and scene.role == "img"


def test_conditions_are_grouped_and_each_appears_once(atlas):
    groups = condition_groups(atlas)
    assert {group for group, _ in groups} == {c.group for c in atlas.conditions.values()}
    ids = [c.id for _, members in groups for c in members]
    assert sorted(ids) == sorted(atlas.conditions) and len(ids) == len(set(ids))
    for _, members in groups:
        assert [c.name for c in members] == sorted(c.name for c in members)


def test_view_figure_carries_every_placement_once(atlas):
    figure = view_figure(atlas, "back")
    codes = [c for t in figure.data if (t.meta or {}).get("kind") == "points" for c in t.customdata]
    assert sorted(codes) == sorted(atlas.layers["back"].codes)
    # Labels and channel lines are drawn from the start; the browser hides them until asked.
    channels = [t for t in figure.data if (t.meta or {}).get("kind") == "channel"]
    assert channels and all(t.visible is not False for t in channels)
    assert all(t.mode == "markers+text" and len(t.text) == len(t.customdata)
               for t in figure.data if (t.meta or {}).get("kind") == "points")
    assert figure.data[-1].meta["kind"] == "selected"


def test_details_show_cautions_sources_and_the_tag(atlas):
    rendered = str(details.render(atlas, "LI4"))
    assert "Caution" in rendered and "pregnancy" in rendered
    assert "illustrative position" in rendered
    assert atlas.sources["rights-back-pain-techniques"].title in rendered
    assert "Click a point" in str(details.render(atlas, None))
    assert "Click a point" in str(details.render(atlas, "<script>"))


def test_the_details_callback_answers_the_rendered_details_every_time(atlas):
    import json

    from plotly.utils import PlotlyJSONEncoder

    client = create_app(atlas).server.test_client()
    lesson = {"title": "Week 3", "points": [["BL40", ""]], "views": [], "intro": "", "frame": ""}
    for code, store in [("LI4", None), ("BL40", None), ("LI4", None), (None, None), ("<script>", None),
                        ("BL40", None), (7, None), ("BL40", lesson), ("BL40", None)]:
        response = client.post("/_dash-update-component", json={
            "output": "point-details.children", "outputs": {"id": "point-details", "property": "children"},
            "inputs": [{"id": "selected-point", "property": "data", "value": code},
                       {"id": "lesson-store", "property": "data", "value": store}],
            "changedPropIds": ["selected-point.data"]})
        assert response.status_code == 200
        answer = response.get_json()["response"]["point-details"]["children"]
        in_lesson = ("BL40",) if store else ()
        expected = details.render(atlas, code if isinstance(code, str) and code in atlas.points else None, in_lesson)
        assert answer == json.loads(json.dumps(expected, cls=PlotlyJSONEncoder)), code
        if code in ("LI4", "BL40"):
            assert code in json.dumps(answer) and "illustrative position" in json.dumps(answer)


def test_bootstrap_is_served_locally_and_responses_are_compressed(atlas):
    client = create_app(atlas).server.test_client()
    response = client.get("/_bodymap/bootstrap.min.css")
    assert response.status_code == 200 and b".btn" in response.data
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers.get("Content-Encoding") == "gzip"
    assert b"cdn." not in client.get("/").data


def test_export_spec_follows_the_page_state(atlas):
    from bodymap.app.state import export_spec

    spec = export_spec(atlas, "?view=back,side&condition=sciatica&meridian=BL,GB&search=&title=Week 3&paper=letter"
                              "&format=svg&table=0&landscape=1&labels=1&point=BL40")
    assert spec.views == ("back", "side") and spec.conditions == ("sciatica",) and spec.meridians == ("BL", "GB")
    assert (spec.title, spec.paper, spec.format, spec.table, spec.landscape) == ("Week 3", "letter", "svg", False, True)
    assert spec.points == ()  # the selected point is shown in the page, not a filter of the handout


@pytest.mark.parametrize("query_string, message", [
    ("condition=gout", "unknown condition “gout”"),
    ("meridian=none", "no meridian is ticked"),
    ("colour=red", "unknown export setting 'colour'"),
])
def test_export_spec_refuses_what_it_does_not_understand(atlas, query_string, message):
    from bodymap.app.state import export_spec
    from bodymap.handout import ExportError

    with pytest.raises(ExportError, match=message):
        export_spec(atlas, query_string)


def test_export_route_sends_a_named_file_or_a_clear_400(atlas):
    client = create_app(atlas).server.test_client()
    response = client.get("/_bodymap/export?view=back&search=BL40&format=svg&title=../../etc/passwd")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="etc-passwd.svg"'
    assert b"BL40" in response.data
    # A short table stays on one page; a long one runs on, and as SVG its pages come in one ZIP
    # (tests/test_regions.py looks inside).
    untitled = client.get("/_bodymap/export?view=back&condition=sciatica&format=svg")
    assert untitled.mimetype == "image/svg+xml"
    assert untitled.headers["Content-Disposition"] == 'attachment; filename="points-for-sciatica.svg"'
    long = client.get("/_bodymap/export?view=back&condition=lower-back-pain&format=svg")
    assert long.mimetype == "application/zip"
    bad = client.get("/_bodymap/export?view=back&condition=sciatica&format=exe")
    assert bad.status_code == 400 and b"format 'exe'" in bad.data and b"Traceback" not in bad.data


def _callback_props(spec: str) -> list[str]:
    """``id.prop`` of each output a callback names (Dash writes several as ``..a.p...b.q..``; a
    duplicate output carries ``@hash``, which names the same property)."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    return [part.split("@")[0] for part in parts]


def _wires(prop: str, component_id, prop_name: str) -> bool:
    """Whether output ``prop`` (``id.prop``, a pattern id as JSON) feeds input ``component_id.prop_name``."""
    import json

    out_id, out_prop = prop.rsplit(".", 1)
    if out_prop != prop_name:
        return False
    if isinstance(component_id, str):
        return out_id == component_id
    try:
        out = json.loads(out_id)
    except ValueError:
        return False
    return isinstance(out, dict) and out.get("type") == component_id.get("type")


def test_the_callbacks_form_no_loop(atlas):
    # Dash's scheduler can stall on a loop of callbacks (each waits for the other's outputs): a
    # freshly opened shared link then stayed undrawn about once in twenty loads. A callback that
    # feeds itself is fine; two or more in a ring are not.
    client = create_app(atlas).server.test_client()
    callbacks = client.get("/_dash-dependencies").get_json()
    names = [" + ".join(_callback_props(c["output"]))[:80] for c in callbacks]
    feeds = {a: {b for b, other in enumerate(callbacks) if any(
        _wires(prop, i["id"], i["property"]) for prop in _callback_props(c["output"]) for i in other["inputs"])}
        for a, c in enumerate(callbacks)}
    assert any(feeds.values())  # the graph was read: some callbacks do feed others
    rings = cycles(feeds)
    assert rings == [], "callbacks in a loop: " + "; ".join(" / ".join(names[i] for i in ring) for ring in rings)
