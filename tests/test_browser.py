"""The app in a real headless Chromium (Debian's), started as a user would."""

import pytest

from bodymap import query
from conftest import running_server

from browser import placed_on, wait_listed, wait_shown

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


def test_shared_link_restores_the_page(page, server, atlas):
    page.goto(server + "?view=back&condition=sciatica&meridian=BL,GB&point=BL40")
    expected = query(atlas, conditions=["sciatica"], meridians=["BL", "GB"]).codes
    wait_listed(page, expected)
    page.get_by_text("Point positions are illustrative, not anatomical.").first.wait_for()
    wait_shown(page, "back", placed_on(atlas, expected, "back"))
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
    page.locator("#condition-filter").fill("sciat")
    page.locator("#condition-select [data-group='neck and shoulders']").wait_for(state="hidden")
    page.get_by_label("Sciatica", exact=True).check()
    expected = query(atlas, conditions=["sciatica"]).codes
    wait_listed(page, expected)
    wait_shown(page, "back", placed_on(atlas, expected, "back"))
    page.locator("#conditions-chosen").get_by_text("Chosen: Sciatica").wait_for()
    page.wait_for_function("() => location.search.includes('condition=sciatica')")


def test_clicking_a_point_shows_its_details(page, server, atlas):
    page.goto(server + "?view=hand&meridian=LI")
    wait_listed(page, query(atlas, meridians=["LI"]).codes)
    wait_shown(page, "hand", placed_on(atlas, query(atlas, meridians=["LI"]).codes, "hand"))
    x, y = page.evaluate("() => window.bodymap.locate('hand', 'LI4')")
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
    page.locator("#results-list button[data-code='BL40']").click()
    page.locator("#point-details").get_by_text("Wei Zhong").first.wait_for()


def test_several_conditions_rank_points_as_the_query_does(page, server, atlas):
    page.goto(server + "?view=back&condition=sciatica,lower-back-pain,back-pain&meridian=BL,GB,GV")
    expected = query(atlas, conditions=["sciatica", "lower-back-pain", "back-pain"], meridians=["BL", "GB", "GV"])
    wait_listed(page, expected.codes)
    # textContent, not innerText: entries scrolled out of the list's view are not rendered
    # (content-visibility), and innerText of unrendered content is empty.
    badges = page.locator("#results-list li:not([hidden]) .badge.rank").all_text_contents()
    assert badges == [f"{m.rank}/3" for m in expected.matches]
    page.get_by_text("ranked by how many of the 3 conditions they serve").wait_for()
    page.locator("#meridian-select input[value='GV']").click()
    wait_listed(page, [c for c in expected.codes if atlas.points[c].meridian != "GV"])
    page.wait_for_function("() => location.search.includes('meridian=BL%2CGB') || location.search.includes('meridian=BL,GB')")


def test_switching_views_and_labels(page, server, atlas):
    page.goto(server + "?view=front")
    wait_listed(page, query(atlas).codes)
    page.locator("#view-select input[value='leg']").click()
    wait_shown(page, "leg", len(atlas.layers["leg"].codes))
    assert page.locator("#graph-front").is_visible() and page.locator("#graph-leg").is_visible()
    page.get_by_text("Point labels").click()
    page.wait_for_function("() => Array.from(document.querySelectorAll('#graph-leg .scatterlayer .textpoint text'))"
                           ".some(t => getComputedStyle(t).opacity !== '0')")


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
        page.locator("#results-list button[data-code='BL23']").click()
        page.locator("#point-details").get_by_text(hostile).first.wait_for()
        assert hostile in page.locator("#results-list").inner_text()
        page.get_by_text("ignored").first.wait_for()
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("#results-list img, #point-details img, #url-note img").count() == 0
    page.close()


def test_special_point_categories_filter_the_page(page, server, atlas):
    page.goto(server + "?view=back&category=back-shu")
    expected = query(atlas, categories=["back-shu"]).codes
    wait_listed(page, expected)
    wait_shown(page, "back", placed_on(atlas, expected, "back"))
    badges = page.locator("#results-list li[data-code='BL23'] .category-badge").all_text_contents()
    assert badges == ["Back-shu (kidney)"]
    page.get_by_label("Front-mu point", exact=True).check()
    expected = query(atlas, categories=["back-shu", "front-mu"]).codes
    wait_listed(page, expected)
    page.wait_for_function("() => location.search.includes('category=back-shu,front-mu')")
    page.locator("#results-list button[data-code='CV12']").click()
    page.locator("#point-details").get_by_text("Front-mu point of the stomach").wait_for()


def test_searching_a_condition_lists_its_points_as_a_condition_match(page, server, atlas):
    page.goto(server + "?view=back")
    wait_listed(page, query(atlas).codes)
    page.locator("#search-input").fill("lumbago")
    expected = query(atlas, conditions=["lower-back-pain"]).codes
    wait_listed(page, expected)
    reading = page.locator("#results-list li[data-code='BL23'] .reading").text_content()  # may be scrolled off
    assert reading == "condition match: Lower back pain (“lumbago”)"
    assert page.locator("#results-list li[data-code='BL23'] .reading").get_attribute("hidden") is None
    page.locator("#search-note").get_by_text("Condition match: Lower back pain").wait_for()
    wait_shown(page, "back", placed_on(atlas, expected, "back"))
