"""The app as a class meets it: shared links with either plotly bundle and on
a slow CPU, Back and Forward, phones, screen readers and the keyboard.

Real headless Chromium (Debian's); every count is the exact number of
markers a reader can see.
"""


import pytest

from bodymap import query
from browser import listed, placed_on, shown, wait_listed, wait_shown
from conftest import running_server

pytestmark = pytest.mark.browser

LINK = "?view=back&condition=sciatica"


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


def scripts(page) -> list[str]:
    return page.evaluate("() => Array.from(document.scripts).map(s => s.src).filter(s => s.includes('plotly'))")


@pytest.mark.parametrize("throttle", [1, 4], ids=["cpu", "cpu-slowed-4x"])
def test_a_shared_link_draws_exactly_what_it_lists(page, bundle_server, atlas, throttle):
    bundle, url = bundle_server
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url + LINK)
    expected = query(atlas, conditions=["sciatica"]).codes
    markers = placed_on(atlas, expected, "back")
    wait_listed(page, expected)
    wait_shown(page, "back", markers, timeout=60_000)
    assert any(("plotly-basic" in s) == (bundle == "basic") for s in scripts(page))
    # Whatever plotly does after drawing, the figure keeps to the link.
    page.wait_for_timeout(1500)
    assert shown(page, "back") == markers
    assert page.locator("#summary-back").inner_text() == (
        f"Back view: {len({c for c in expected if any(p.view == 'back' for p in atlas.points[c].placements)})} "
        f"points shown ({markers} of {len(atlas.layers['back'].codes)} markers)")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def test_plotly_draws_the_way_the_page_reads_it(page, bundle_server, atlas):
    """The one place that reads plotly's private drawing says what no longer holds."""
    _, url = bundle_server
    page.goto(url + "?view=" + ",".join(atlas.views))
    for view in atlas.views:
        wait_shown(page, view, len(atlas.layers[view].codes))
        assert page.evaluate("view => window.bodymap.check(view)", view) == [], view


def test_back_and_forward_bring_back_each_state(page, server, atlas):
    page.goto(server + LINK + "&point=BL40")
    first = query(atlas, conditions=["sciatica"]).codes
    wait_listed(page, first)
    wait_shown(page, "back", placed_on(atlas, first, "back"))
    page.locator("#point-details").get_by_text("Wei Zhong").first.wait_for()
    # Two changes, two history entries.
    page.locator("#meridian-select input[value='BL']").click()
    second = [c for c in first if atlas.points[c].meridian != "BL"]
    wait_listed(page, second)
    page.wait_for_function("() => location.search.includes('meridian=')")
    page.locator("#view-select input[value='side']").click()
    wait_shown(page, "side", placed_on(atlas, second, "side"))
    page.wait_for_function("() => location.search.includes('side')")

    page.go_back()
    page.wait_for_function("() => !location.search.includes('side')")
    page.locator("#graph-side").wait_for(state="hidden")
    wait_shown(page, "back", placed_on(atlas, second, "back"))
    assert not page.locator("#view-select input[value='side']").is_checked()

    page.go_back()
    wait_listed(page, first)
    wait_shown(page, "back", placed_on(atlas, first, "back"))
    assert page.locator("#meridian-select input[value='BL']").is_checked()
    assert page.locator("#condition-select input[value='sciatica']").is_checked()
    page.locator("#point-details").get_by_text("Wei Zhong").first.wait_for()
    assert page.url.endswith(LINK + "&point=BL40")

    page.go_forward()
    wait_listed(page, second)
    wait_shown(page, "back", placed_on(atlas, second, "back"))
    assert not page.locator("#meridian-select input[value='BL']").is_checked()
    # Stepping through history wrote no new entries of its own.
    assert page.evaluate("() => history.length") == 4


def test_hidden_markers_take_no_click_and_labels_follow_the_filter(page, server, atlas):
    page.goto(server + "?view=hand&meridian=LI")
    shown_codes = query(atlas, meridians=["LI"]).codes
    wait_shown(page, "hand", placed_on(atlas, shown_codes, "hand"))
    x, y = page.evaluate("() => window.bodymap.locate('hand', 'TE3')")  # drawn, but hidden by the filter
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_timeout(500)
    assert "Click a point" in page.locator("#point-details").inner_text()
    page.get_by_text("Point labels").click()
    labels = """() => Array.from(document.querySelectorAll('#graph-hand .scatterlayer .textpoint text'))
        .filter(t => getComputedStyle(t).opacity !== '0' && getComputedStyle(t).fill !== 'rgba(0, 0, 0, 0)')
        .map(t => t.textContent)"""
    page.wait_for_function(f"() => ({labels})().length > 0")
    assert set(page.evaluate(labels)) == {c for c in shown_codes if any(p.view == "hand" for p in atlas.points[c].placements)}


def test_a_link_said_another_way_adds_no_history(page, server, atlas):
    page.goto(server + "?view=back&condition=sciatica&meridian=UB,GB")
    wait_listed(page, query(atlas, conditions=["sciatica"], meridians=["BL", "GB"]).codes)
    page.wait_for_timeout(800)
    assert page.evaluate("() => history.length") == 2  # the blank tab and the link


def test_a_phone_shows_the_body_first(phone, server, atlas):
    phone.goto(server + LINK)
    wait_shown(phone, "back", placed_on(atlas, query(atlas, conditions=["sciatica"]).codes, "back"))
    figure = phone.locator("#graph-back").bounding_box()
    assert figure["y"] < 300 and figure["y"] + figure["height"] / 2 < 844  # most of the body on the first screen
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert not phone.locator("#meridian-select").is_visible()  # the controls wait in the drawer
    # Results and details follow the figure.
    assert phone.locator("#results-count").bounding_box()["y"] > figure["y"] + figure["height"]


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hans"])
def test_a_phone_keeps_filters_beside_the_title_and_the_notice_clear(phone, server, atlas, lang):
    phone.goto(server + LINK + "&lang=" + lang)
    wait_shown(phone, "back", placed_on(atlas, query(atlas, conditions=["sciatica"]).codes, "back"))
    title = phone.locator("header h1").bounding_box()
    button = phone.locator("#controls-drawer-open").bounding_box()
    # One line: the button sits level with the title, whatever the language menu holds.
    assert button["y"] < title["y"] + title["height"] and title["y"] < button["y"] + button["height"]
    assert phone.locator(".lang-choice").count() == len(atlas.languages)
    # The figure's own notice is readable: nothing of the modebar over it, nor is it cut at the edge.
    boxes = phone.evaluate("""() => {
        const gd = document.querySelector('#graph-back .js-plotly-plot');
        const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const notice = Array.from(gd.querySelectorAll('.annotation-text'))
            .find(t => t.textContent === gd.layout.meta.notice);
        return {notice: box(notice), modebar: box(gd.querySelector('.modebar')), plot: box(gd)};
    }""")
    (nl, nt, nr, nb), (ml, mt, mr, mb), (pl, _pt, pr, _pb) = boxes["notice"], boxes["modebar"], boxes["plot"]
    assert nr <= ml or mr <= nl or nb <= mt or mb <= nt, boxes
    assert pl <= nl and nr <= pr, boxes


def test_the_phone_drawer_opens_and_escape_closes_it(phone, server, atlas):
    phone.goto(server + LINK)
    wait_listed(phone, query(atlas, conditions=["sciatica"]).codes)
    phone.locator("#controls-drawer-open").tap()
    phone.locator("#meridian-select").wait_for(state="visible")
    phone.locator("#meridian-select input[value='BL']").tap()
    wait_listed(phone, [c for c in query(atlas, conditions=["sciatica"]).codes if atlas.points[c].meridian != "BL"])
    phone.keyboard.press("Escape")
    phone.locator("#meridian-select").wait_for(state="hidden")
    assert phone.evaluate("() => document.activeElement.id") == "controls-drawer-open"


def test_a_tap_on_a_marker_selects_it(phone, server, atlas):
    phone.goto(server + "?view=hand&meridian=LI")
    wait_shown(phone, "hand", placed_on(atlas, query(atlas, meridians=["LI"]).codes, "hand"))
    ranges = "() => { const l = document.querySelector('#graph-hand .js-plotly-plot').layout; " \
             "return [l.xaxis.range, l.yaxis.range]; }"
    before = phone.evaluate(ranges)
    x, y = phone.evaluate("() => window.bodymap.locate('hand', 'LI4')")
    phone.touchscreen.tap(x, y)
    phone.locator("#point-details").get_by_text("How to find it").wait_for()
    assert phone.locator("#point-details").inner_text().startswith("LI4")
    # The body stays put under the finger: a tap is never taken for a double click that rescales.
    assert phone.evaluate(ranges) == before


@pytest.mark.parametrize("throttle", [1, 4], ids=["cpu", "cpu-slowed-4x"])
def test_pinching_zooms_the_figure_and_selects_nothing(phone, server, atlas, throttle):
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    phone.goto(server + "?view=back")
    wait_shown(phone, "back", len(atlas.layers["back"].codes), timeout=60_000)
    box = phone.locator("#graph-back").bounding_box()
    span = "() => { const r = document.querySelector('#graph-back .js-plotly-plot').layout.xaxis.range; return r[1] - r[0]; }"
    before = phone.evaluate(span)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def touch(kind, gap):
        points = [] if kind == "touchEnd" else [{"x": cx - gap, "y": cy, "id": 0}, {"x": cx + gap, "y": cy, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for gap in (40, 60, 80):
        touch("touchMove", gap)
        phone.wait_for_timeout(50)
    touch("touchEnd", 0)
    # Fingers four times apart: a quarter of the span, even when the fingers lift
    # before the slowed page has drawn the last move.
    phone.wait_for_function(f"() => ({span})() < {before} * 0.5")
    # The lifting fingers are not a tap: no point is selected.
    phone.wait_for_timeout(1000)
    assert "point=" not in phone.url
    assert "Click a point" in phone.locator("#point-details").inner_text()
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def test_one_finger_on_the_figure_scrolls_the_page(phone, server, atlas):
    phone.goto(server + "?view=back&condition=sciatica")
    wait_shown(phone, "back", placed_on(atlas, query(atlas, conditions=["sciatica"]).codes, "back"))
    box = phone.locator("#graph-back").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * step}]})
        phone.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    phone.wait_for_function("() => window.scrollY > 100")


AXE_STATES = {
    "home": ("", None),
    "shared link with a point": ("?view=back,side&condition=sciatica&point=BL40", None),
    "conditions filtered": ("?view=back", "filter"),
    "handout panel": ("?view=back&condition=sciatica", "handout"),
}


def axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in Axe().run(page).response["violations"]]


@pytest.mark.parametrize("state", AXE_STATES)
def test_no_accessibility_violation(page, server, atlas, state):
    search, action = AXE_STATES[state]
    page.goto(server + search)
    page.locator("#results-list li:not([hidden])").first.wait_for()
    page.locator("#results-count").get_by_text("match").wait_for()
    if action == "filter":
        page.locator("#condition-filter").fill("back")
        page.locator("#condition-select [data-group='neck and shoulders']").wait_for(state="hidden")
    elif action == "handout":
        page.locator("#export-title").fill("Week 3")
        page.locator("#export-title").press("Enter")
        page.locator("#export-link").focus()
    if "point" in search:
        page.locator("#point-details").get_by_text("Wei Zhong").first.wait_for()
    assert axe_violations(page) == []


def test_no_accessibility_violation_in_the_phone_drawer(phone, server):
    phone.goto(server + LINK)
    phone.locator("#results-list li:not([hidden])").first.wait_for()
    phone.locator("#controls-drawer-open").tap()
    phone.locator("#meridian-select").wait_for(state="visible")
    phone.wait_for_timeout(400)  # the drawer's slide-in
    assert axe_violations(phone) == []


def test_the_keyboard_reaches_every_control_and_selects_from_the_list(page, server, atlas):
    page.goto(server + LINK)
    expected = query(atlas, conditions=["sciatica"]).codes
    wait_listed(page, expected)
    reached = set()
    wanted = {"search-input", "condition-filter", "labels-switch", "channels-switch", "export-link", "meridians-all",
              "BL", "back", "sciatica", "export-title"}
    for _ in range(250):
        if wanted <= reached:
            break
        page.keyboard.press("Tab")
        focused = page.evaluate("() => { const e = document.activeElement; return [e.type === 'checkbox' && e.id.startsWith('_dbc') ? e.value : "
                                "(e.id || e.dataset.code || e.textContent.trim().slice(0, 20)), "
                                "getComputedStyle(e).outlineStyle]; }")
        reached.add(focused[0])
        assert focused[1] != "none", f"no visible focus on {focused[0]}"
    assert wanted <= reached, f"never reached by Tab: {sorted(wanted - reached)}"
    entry = page.locator(f"#results-list button[data-code='{expected[1]}']")
    entry.focus()
    page.keyboard.press("Enter")
    page.locator("#point-details h2").get_by_text(expected[1]).wait_for()
    assert page.locator(f"#results-list button[data-code='{expected[1]}']").get_attribute("aria-current") == "true"


def test_the_results_count_and_figures_have_accessible_text(page, server, atlas):
    page.goto(server + LINK)
    expected = query(atlas, conditions=["sciatica"]).codes
    wait_listed(page, expected)
    assert page.locator("#results-count").get_attribute("aria-live") == "polite"
    page.locator("#results-count").get_by_text(f"{len(expected)} points match").wait_for()
    panel = page.locator("#panel-back")
    assert page.locator("#" + panel.get_attribute("aria-labelledby")).inner_text() == "Back"
    assert page.locator("#" + panel.get_attribute("aria-describedby")).inner_text().startswith("Back view: ")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert listed(page) == list(expected)
