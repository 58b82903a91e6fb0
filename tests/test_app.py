"""The app's pure functions and layout, without a browser."""

from dash import dcc

from bodymap import query
from bodymap.app import create_app
from bodymap.app.content import view_content, view_or_default
from bodymap.app.ids import ID
from bodymap.model import ILLUSTRATIVE_NOTICE


def find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def test_layout_has_notice_view_selector_and_figure(atlas):
    app = create_app(atlas)
    notice = find(app.layout, ID.NOTICE)
    assert notice.children == ILLUSTRATIVE_NOTICE
    selector = find(app.layout, ID.VIEW)
    assert [o["value"] for o in selector.options] == list(atlas.views)
    assert isinstance(find(app.layout, ID.FIGURE), dcc.Graph)


def test_view_content_lists_the_points_on_that_view(atlas):
    figure, items, count = view_content(atlas, "back")
    listed = [item.to_plotly_json()["props"]["data-code"] for item in items]
    assert listed == list(query(atlas, views=["back"]).codes)
    assert count.startswith(f"{len(listed)} points")
    drawn = {c for trace in figure.data for c in trace.customdata}
    assert drawn == set(listed)


def test_unknown_view_falls_back_to_default(atlas):
    assert view_or_default(atlas, "ceiling") == "front"
    assert view_or_default(atlas, "leg") == "leg"


def test_bootstrap_is_served_locally(atlas):
    client = create_app(atlas).server.test_client()
    response = client.get("/_bodymap/bootstrap.min.css")
    assert response.status_code == 200 and b".btn" in response.data
    page = client.get("/")
    assert page.status_code == 200 and b"cdn." not in page.data
