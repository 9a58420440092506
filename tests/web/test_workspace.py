"""The workspace in a real browser (Debian's Chromium driven by Playwright) against a live server on 127.0.0.1.

One server and one browser for the module. Screenshots go to $RASID_SHOTS (else a pytest temp folder).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from rasid.web import create_app
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, need_chromium

AR_DIGITS = re.compile("[٠-٩]")


@pytest.fixture(scope="module")
def server(bundled_db):
    need_chromium()
    srv = LiveServer(create_app(bundled_db)).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(server):
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    pg.requests_seen = []
    pg.problems = []
    pg.on("request", lambda r: pg.requests_seen.append(r.url))
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on("response", lambda r: pg.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield pg
    ctx.close()


def _open(page, server, query: str = "") -> None:
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector("body[data-ready='1']")


def _state(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _only_this_host(page, server) -> None:
    hosts = {urlsplit(u).netloc for u in page.requests_seen if not u.startswith(("data:", "blob:"))}
    assert hosts == {f"127.0.0.1:{server.port}"}, hosts
    assert not page.problems, page.problems


def test_arabic_by_default_right_to_left_with_arabic_digits(page, server, shots_dir):
    _open(page, server)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.inner_text("#f-unit option[value=admin1]") == "المحافظات"
    assert page.inner_text("#lang-toggle") == "English"
    legend = page.inner_text("#legend")
    assert "حصة التركّز" in legend and AR_DIGITS.search(legend) and not re.search(r"[0-9]", legend)
    assert "كانون الثاني ٢٠١٨" in page.inner_text("#slider-value")
    # the map's units carry their names in Arabic; the top places get labels in Arabic
    assert page.locator("path.unit").count() == 162
    labels = page.locator(".place-label").all_inner_texts()
    assert labels and all(re.search("[\u0600-\u06ff]", x) for x in labels)
    state = _state(page)
    assert state["actor"] == "IS" and state["window"] == "2018-01..2018-12" and state["unit"] == "admin2"
    page.screenshot(path=str(shots_dir / "workspace_ar.png"))
    _only_this_host(page, server)


def test_english_page_and_the_language_toggle(page, server, shots_dir):
    _open(page, server, "?lang=en&unit=admin1")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
    assert page.inner_text("#f-unit option[value=admin1]") == "Governorates"
    assert "January 2018" in page.inner_text("#slider-value") and not AR_DIGITS.search(page.inner_text("#legend"))
    assert "Kirkuk" in page.locator(".place-label").all_inner_texts()
    page.screenshot(path=str(shots_dir / "workspace_en_admin1.png"))
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.inner_text("#f-unit option[value=admin1]") == "المحافظات"
    assert "كركوك" in page.locator(".place-label").all_inner_texts()
    assert "lang" not in _state(page)  # Arabic is the default: the shared URL has no lang
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert _state(page)["lang"] == "en"
    _only_this_host(page, server)


def test_slider_moves_the_map_to_one_month(page, server, shots_dir):
    _open(page, server, "?unit=admin1&measure=events")
    kirkuk = page.locator("path[data-code='IQG13']")
    whole = kirkuk.get_attribute("fill")
    slider = page.locator("#slider")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowLeft")  # right to left: the next month is to the left
    expect(page.locator("#legend")).to_contain_text("آذار")
    assert page.inner_text("#slider-value") == "آذار ٢٠١٨"
    assert _state(page)["t"] == "3"
    assert kirkuk.get_attribute("fill") != whole  # 43 events in the year, 2 in March: another class
    page.select_option("#f-measure", "share")
    expect(page.locator("#legend")).to_contain_text("حصة التركّز")
    assert any("window=2018-03..2018-03" in u for u in page.requests_seen if "/api/focus" in u)
    page.screenshot(path=str(shots_dir / "workspace_ar_march.png"))
    _only_this_host(page, server)


def test_click_kirkuk_opens_its_panel_with_events(page, server, shots_dir):
    _open(page, server, "?lang=en&unit=admin1")
    page.locator("path[data-code='IQG13']").click(force=True)
    page.wait_for_selector("#place-name")
    assert page.inner_text("#place-name") == "Kirkuk"
    assert _state(page)["place"] == "IQG13"
    figures = page.inner_text("#panel-focus")
    assert "Events\n43" in figures.replace("\t", "\n") and "rising focus" in figures
    page.wait_for_selector("#events-table tbody tr")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 25
    first = rows.nth(0).inner_text()
    assert "2018" in first and "Islamic State" in first and "ucdp_ged" in first
    assert "25 of 43" in page.inner_text("#panel-events")
    page.click("#events-more")
    expect(page.locator("#events-table tbody tr")).to_have_count(43)
    page.wait_for_selector("#series-chart canvas")
    page.wait_for_selector("#forecast-chart canvas")
    page.wait_for_selector("#emerging-pattern")
    page.set_viewport_size({"width": 1400, "height": 2900})  # tall enough to show the whole panel
    page.locator("#panel").evaluate("el => { el.scrollTop = 0; }")
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots_dir / "panel_kirkuk_en.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    # the shared URL reopens the same view with the same place
    page2 = page.context.new_page()
    page2.goto(page.url)
    page2.wait_for_selector("#place-name")
    assert page2.inner_text("#place-name") == "Kirkuk"
    page.screenshot(path=str(shots_dir / "workspace_en_kirkuk.png"))
    _only_this_host(page, server)


def test_explanation_opens_in_the_panel(page, server, shots_dir):
    _open(page, server, "?unit=admin1&place=IQG13")
    page.wait_for_selector("#place-name")
    assert page.inner_text("#place-name") == "كركوك"
    page.click("#explain-details summary")
    page.wait_for_selector("#explain-table tbody tr", timeout=240_000)
    text = page.inner_text("#panel-explain")
    assert "النفط والغاز" in text and "المناطق المتنازع عليها" in text
    assert "سنة الاختبار ٢٠١٨" in text and "LightGBM (attributions)" not in text  # the check worded in Arabic
    assert not re.search(r"\bcontrol\b|\bcontext\b", text)  # no objective or verdict left in English
    assert AR_DIGITS.search(text)
    page.locator("#panel-explain").screenshot(path=str(shots_dir / "panel_kirkuk_explain_ar.png"))
    _only_this_host(page, server)


def test_build_the_brief_downloads_it(page, server, shots_dir):
    _open(page, server, "?unit=admin1&country=IQ&window=2018-01..2018-06")
    with page.expect_download(timeout=600_000) as dl:
        page.click("#brief-build")
    path = shots_dir / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name.endswith("_ar.html")
    html = path.read_text("utf-8")
    assert 'lang="ar"' in html and "كركوك" in html
    assert "brief_done" not in page.inner_text("#brief-status")
    assert page.locator("#brief-link").count() == 1
    _only_this_host(page, server)
