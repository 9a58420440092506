"""Hostile text from events and news (<script>, <img onerror>, javascript: URLs) is shown as text, never run."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect, sync_playwright

from rasid.web import create_app
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, HOSTILE, LiveServer, need_chromium

#: an explanation whose news quotes are hostile (served in place of the real one: the page's rendering is tested)
EXPLAIN = {
    "actor": "IS", "window": ["2018-01-01", "2018-12-31"], "unit": "admin2", "countries": ["IQ", "SY"],
    "measure": "events", "places": [{
        "unit_code": "IQG13Q04", "unit_en": "Kirkuk", "unit_ar": "كركوك", "admin1_en": "Kirkuk", "observed": 2.0,
        "expected": 0.5, "predicted": 1.2, "deaths_observed": 3.0, "excess": 1.5, "log_ratio_observed": 1.1,
        "model_gap": 0.4, "layers": {},
        "objectives": [{"objective": "oil", "kind": "objective", "share": 0.4, "ci_low": 0.1, "ci_high": 0.6,
                        "share_excl_history": 0.5, "ci_low_excl_history": 0.2, "ci_high_excl_history": 0.7,
                        "contribution": 0.2, "features": {},
                        "evidence": [{"quote": "<script>document.title='pwned-quote'</script>النفط <b>هدف</b>",
                                      "url": "javascript:document.title='pwned-url'", "doc_id": "x", "match": "unit"},
                                     {"quote": "<img src=x onerror='document.title=1'>",
                                      "url": "https://example.org/news?a=<b>1</b>", "doc_id": "y", "match": "unit"}]}],
        "text_only_evidence": {"revenge": [{"quote": "<svg onload=alert(1)>", "url": "data:text/html,<script>alert(1)</script>",
                                            "doc_id": "z", "match": "unit"}]},
    }],
    "effects": [], "out_of_sample": {"verdict": "<i>not</i> <script>document.title='pwned-verdict'</script>"},
    "notes": [],
}


def test_api_returns_hostile_text_verbatim_in_json(small_db):
    with TestClient(create_app(small_db), base_url="http://127.0.0.1") as c:
        r = c.get("/api/events", params={"source": "news", "limit": 10})
    assert r.headers["content-type"].startswith("application/json")
    texts = {e["source_id"]: e for e in r.json()["events"]}
    assert texts["xss-1"]["source_text"] == HOSTILE[0]["source_text"]
    assert texts["xss-1"]["source_url"] == "javascript:document.title='pwned-link'"


@pytest.fixture(scope="module")
def page(small_db):
    need_chromium()
    srv = LiveServer(create_app(small_db)).start()
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pg = b.new_page(viewport={"width": 1400, "height": 900})
            pg.set_default_timeout(90_000)
            pg.dialogs = []
            pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
            pg.route("**/api/explain?*", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                    body=json.dumps(EXPLAIN)))
            pg.goto(f"{srv.url}/?window=2018-01..2018-12&place=IQG13Q04")
            pg.wait_for_selector("#events-table tbody tr[data-event]")
            yield pg
            b.close()
    finally:
        srv.stop()


def _no_injection(page) -> None:
    assert page.title() == "راصد — مساحة عمل المحلل"  # no payload rewrote the title
    assert page.dialogs == []
    panel = page.locator("#panel-body")
    assert panel.locator("script, img, svg, iframe, b, i").count() == 0
    for href in panel.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))"):
        assert href.startswith(("http://", "https://")), href


def test_event_texts_are_shown_as_text(page, shots_dir):
    text = page.inner_text("#events-table")
    assert "<script>document.title='pwned-script'</script>" in text
    assert "<img src=x onerror=\"document.title='pwned-img'\">" in text
    assert "<svg onload=" in text and "<b>bold</b> village" in text
    assert "<img src=x onerror=\"document.title='pwned-actor'\">" in text  # an actor name from the news
    # a javascript: URL is never a link: it is shown as text beside the source name
    assert "javascript:document.title='pwned-link'" in text
    links = page.locator("#events-table a")
    hrefs = links.evaluate_all("els => els.map(a => a.href)")
    assert hrefs and all(h.startswith("https://example.org/") for h in hrefs)
    _no_injection(page)
    page.locator("#panel").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.locator("#panel-events").screenshot(path=str(shots_dir / "xss_events_ar.png"))


def test_news_quotes_in_the_explanation_are_shown_as_text(page, shots_dir):
    page.click("#explain-details summary")
    expect(page.locator("#panel-explain blockquote")).to_have_count(3)
    text = page.inner_text("#panel-explain")
    assert "<script>document.title='pwned-quote'</script>النفط <b>هدف</b>" in text
    assert "javascript:document.title='pwned-url'" in text and "<svg onload=alert(1)>" in text
    assert "data:text/html,<script>alert(1)</script>" in text
    assert "<i>not</i>" in text
    _no_injection(page)
    page.locator("#panel-explain").screenshot(path=str(shots_dir / "xss_explain_ar.png"))
