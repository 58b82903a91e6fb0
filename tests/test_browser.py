"""The app in a real headless Chromium (Debian's), started as a user would."""

import os
import shutil

import pytest

from bodymap import query
from conftest import running_server

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
# Markers drawn on a view, less the ring that marks the selected point.
VISIBLE_MARKERS = """view => {
    const graph = document.querySelector('#graph-' + view + ' .js-plotly-plot');
    if (!graph || !graph.data) { return -1; }
    const drawn = Array.from(graph.querySelectorAll('.scatterlayer .trace .points path[transform]'))
        .filter(p => p.style.opacity !== '0').length;
    const ring = graph.data.filter(t => t.meta && t.meta.kind === 'selected').reduce((n, t) => n + t.x.length, 0);
    return drawn - ring;
}"""


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


def listed(page):
    return page.locator("#results-list [data-code]").evaluate_all("items => items.map(i => i.dataset.code)")


def wait_listed(page, expected):
    page.wait_for_function("expected => JSON.stringify(Array.from(document.querySelectorAll("
                           "'#results-list [data-code]')).map(i => i.dataset.code)) === JSON.stringify(expected)",
                           arg=list(expected))


def placed_on(atlas, codes, view):
    return sum(1 for code in codes for p in atlas.points[code].placements if p.view == view)


def test_shared_link_restores_the_page(page, server, atlas):
    page.goto(server + "?view=back&condition=sciatica&meridian=BL,GB&point=BL40")
    expected = query(atlas, conditions=["sciatica"], meridians=["BL", "GB"]).codes
    wait_listed(page, expected)
    page.get_by_text("Point positions are illustrative, not anatomical.").first.wait_for()
    page.wait_for_function(f"({VISIBLE_MARKERS})('back') === {placed_on(atlas, expected, 'back')}")
    assert page.locator("#graph-front").is_hidden()
    page.locator("#point-details").get_by_text("Wei Zhong").first.wait_for()
    assert "view=back" in page.url and "point=BL40" in page.url


def test_unknown_link_values_are_noted(page, server, atlas):
    page.goto(server + "?view=back&condition=gout")
    page.get_by_text("condition “gout” ignored").wait_for()
    wait_listed(page, query(atlas).codes)


def test_picking_a_condition_changes_list_and_figure(page, server, atlas):
    page.goto(server + "?view=back")
    wait_listed(page, query(atlas).codes)
    page.locator("#condition-select").click()
    page.keyboard.type("Sciatica")
    page.get_by_role("option", name="Sciatica", exact=True).click()
    page.keyboard.press("Escape")
    expected = query(atlas, conditions=["sciatica"]).codes
    wait_listed(page, expected)
    page.wait_for_function(f"({VISIBLE_MARKERS})('back') === {placed_on(atlas, expected, 'back')}")
    assert "condition=sciatica" in page.url


MARKER_POSITION = """([view, code]) => {
    const graph = document.querySelector('#graph-' + view + ' .js-plotly-plot');
    const layout = graph._fullLayout, box = graph.getBoundingClientRect();
    for (const trace of graph.data) {
        const k = (trace.customdata || []).indexOf(code);
        if (k >= 0 && trace.x[k] !== null) {
            return [box.left + layout.xaxis._offset + layout.xaxis.l2p(trace.x[k]),
                    box.top + layout.yaxis._offset + layout.yaxis.l2p(trace.y[k])];
        }
    }
    return null;
}"""


def test_clicking_a_point_shows_its_details(page, server, atlas):
    page.goto(server + "?view=hand&meridian=LI")
    wait_listed(page, query(atlas, meridians=["LI"]).codes)
    page.wait_for_function(f"({VISIBLE_MARKERS})('hand') >= 1")
    x, y = page.evaluate(MARKER_POSITION, ["hand", "LI4"])
    page.mouse.click(x, y)
    details = page.locator("#point-details")
    details.get_by_text("How to find it").wait_for()
    text = details.inner_text()
    assert text.startswith("LI4") and atlas.points["LI4"].pinyin in text
    assert "illustrative position" in text and "pregnancy" in text
    page.wait_for_function("() => location.search.includes('point=LI4')")


def test_searching_an_alias_finds_the_point(page, server, atlas):
    page.goto(server)
    wait_listed(page, query(atlas).codes)  # the page has restored itself from the (empty) link
    page.locator("#search-input").fill("UB-23")
    wait_listed(page, ["BL23"])
    page.locator("#search-input").fill("B54")
    wait_listed(page, ["BL54", "BL40"])
    page.locator("#search-note").get_by_text("older bladder numbering").wait_for()
    page.locator("#results-list [data-code='BL40']").click()
    page.locator("#point-details").get_by_text("Wei Zhong").first.wait_for()


def test_several_conditions_rank_points_as_the_query_does(page, server, atlas):
    page.goto(server + "?view=back&condition=sciatica,lower-back-pain,back-pain&meridian=BL,GB,GV")
    expected = query(atlas, conditions=["sciatica", "lower-back-pain", "back-pain"], meridians=["BL", "GB", "GV"])
    wait_listed(page, expected.codes)
    badges = page.locator("#results-list [data-code] .badge.text-bg-primary").all_inner_texts()
    assert badges == [f"{m.rank}/3" for m in expected.matches]
    page.get_by_text("ranked by how many of the 3 conditions they serve").wait_for()
    page.locator("#meridian-select input[value='GV']").click()
    wait_listed(page, [c for c in expected.codes if atlas.points[c].meridian != "GV"])
    page.wait_for_function("() => location.search.includes('meridian=BL%2CGB') || location.search.includes('meridian=BL,GB')")


def test_switching_views_and_labels(page, server, atlas):
    page.goto(server + "?view=front")
    wait_listed(page, query(atlas).codes)
    page.locator("#view-select input[value='leg']").click()
    page.wait_for_function(f"({VISIBLE_MARKERS})('leg') === {len(atlas.layers['leg'].codes)}")
    assert page.locator("#graph-front").is_visible() and page.locator("#graph-leg").is_visible()
    page.get_by_text("Point labels").click()
    page.wait_for_function("() => document.querySelectorAll('#graph-leg .scatterlayer .textpoint').length > 0")


def test_export_downloads_the_handout_of_the_current_filters(page, server, atlas):
    import io

    from pypdf import PdfReader

    page.goto(server + "?view=back&condition=sciatica")
    wait_listed(page, query(atlas, conditions=["sciatica"]).codes)
    page.locator("#export-title").fill("Sciatica for Tuesday")
    page.locator("#export-title").press("Enter")
    page.wait_for_function("() => document.querySelector('#export-link').href.includes('Tuesday')")
    with page.expect_download() as download_info:
        page.locator("#export-link").click()
    download = download_info.value
    assert download.suggested_filename == "sciatica-for-tuesday.pdf"
    text = PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages[0].extract_text()
    assert "Sciatica for Tuesday" in text and "illustrative, not anatomical" in text
    for code in query(atlas, conditions=["sciatica"]).codes:
        if any(p.view == "back" for p in atlas.points[code].placements):
            assert code in text



def test_html_in_data_and_urls_is_shown_as_text(browser, data_copy, atlas):
    """A data file's names and a URL's values reach the page as text, never as markup."""
    from conftest import read_rows, write_rows

    hostile = '<img src=x onerror="window.__pwned=1">'
    header, rows = read_rows(data_copy / "points.csv")
    for row in rows:
        if row["code"] == "BL23":
            row["english"] = hostile
    write_rows(data_copy / "points.csv", header, rows)
    page = browser.new_page()
    with running_server("--data", str(data_copy)) as url:
        page.goto(url + "?view=back&search=BL23&condition=" + hostile.replace(" ", "%20"))
        wait_listed(page, ["BL23"])
        page.locator("#results-list [data-code='BL23']").click()
        page.locator("#point-details").get_by_text(hostile).first.wait_for()
        assert hostile in page.locator("#results-list").inner_text()
        page.get_by_text("ignored").first.wait_for()
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("#results-list img, #point-details img, #url-note img").count() == 0
    page.close()
