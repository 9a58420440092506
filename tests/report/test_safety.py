"""Hostile text in briefs (issue #12): no script, no javascript: link, no raw HTML or link syntax in Markdown."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from rasid.events import EventFilter, Store
from rasid.report import notable_attacks, render_brief
from rasid.report.safety import CSP, md_escape, md_url, safe_url
from tests.report._fixed import MDLINK, SCRIPT, SVG, fixed_brief


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=1", True), ("http://x.org", True), ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False), (" javascript:alert(1)", False), ("data:text/html,<script>", False),
    ("vbscript:x", False), ("//evil.org/x", False), ("/local/path", False), ("https://", False),
    ("https://a.org/x y", False), ("https://a.org/\nx", False), (None, False), (12, False)])
def test_safe_url_only_http(url, ok):
    assert (safe_url(url) is not None) is ok


def test_md_escape_neutralises_html_and_links():
    out = md_escape(f"{SCRIPT} {SVG} {MDLINK} a|b\n# heading")
    assert "<script" not in out and "<svg" not in out and "</" not in out
    assert "](" not in out.replace("\\](", "")  # every ] escaped: no link can form
    assert "\n" not in out and "\\|" in out
    assert md_escape("q <0.001") == "q <0.001"  # a number comparison stays readable
    assert md_url("javascript:alert(1)") == "javascript:alert(1)"
    assert md_url("https://a.org/x_(y)") == "<https://a.org/x_%28y%29>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    paths = {}
    for lang in ("en", "ar"):
        for p in render_brief(fixed_brief(hostile=True), lang, "html,md", out, basename=f"h_{lang}", charts=False):
            paths[(lang, p.suffix)] = p.read_text(encoding="utf-8")
    return paths


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_html_has_no_script_and_no_unsafe_link(hostile, lang):
    html = hostile[(lang, ".html")]
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//script") and "<script" not in html.lower()
    assert not doc.xpath("//svg") and "<svg" not in html.lower()
    assert not doc.xpath("//*[@onload or @onerror or @onclick]")
    hrefs = doc.xpath("//a/@href")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    # the hostile text is still there, as text
    assert SCRIPT in doc.text_content() and "javascript:alert(1)" in doc.text_content()
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp == [CSP] and "script-src" not in csp[0] and "default-src 'none'" in csp[0]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_params_embedded_as_escaped_text(hostile, lang):
    doc = lxml.html.fromstring(hostile[(lang, ".html")])
    blob = json.loads(doc.xpath("//pre[@id='rasid-params']")[0].text_content())
    assert blob["params"]["note"] == SCRIPT and blob["data_versions"][0]["source"] == SCRIPT


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_markdown_has_no_html_and_no_unsafe_link(hostile, lang):
    md = hostile[(lang, ".md")]
    assert not re.search(r"<\s*(script|svg|/script)", md, re.I)
    assert not re.search(r"(?<!\\)\]\(javascript", md) and "<javascript" not in md
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", md.replace("![", "")), "a link formed from data"
    assert "javascript:alert(1)" in md  # shown, as text


def test_hostile_jsonl_event_reaches_the_brief_as_text(tmp_path):
    """A JSONL event whose source and source_version hold script, and a javascript: URL, through the store."""
    row = {"source_id": "x1", "date_start": "2018-11-20", "date_precision": "day", "country": "Syria",
           "admin1_en": "Deir-ez-Zor", "admin2_en": "Abu Kamal", "admin2_code": "SY.DY.AK", "location": SVG,
           "geo_precision": "exact", "lat": 34.69, "lon": 40.83, "actor1": "IS", "actor2": "SDF",
           "event_type": "non-state", "deaths_best": 12, "deaths_side_b": 9, "source": SCRIPT,
           "source_version": SCRIPT, "source_url": "javascript:alert(1)", "source_text": f"{SCRIPT} {MDLINK}"}
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with Store(tmp_path / "h.duckdb") as store:
        store.ingest_file(path)
        versions = store.data_versions()
        events = store.events(EventFilter(actors=["IS"]))
    assert any(v["source"] == SCRIPT or v["source_version"] == SCRIPT for v in versions)
    data = fixed_brief()
    data.data_versions = versions
    attacks = notable_attacks(events, "IS", since=events.date_start.min(), until=events.date_start.max())
    assert len(attacks) == 1
    data.tables["attacks"] = attacks
    for lang in ("en", "ar"):
        for p in render_brief(data, lang, "html,md", tmp_path, basename=f"j_{lang}", charts=False):
            text = p.read_text(encoding="utf-8")
            assert "<script" not in text.lower() and "<svg" not in text.lower()
            if p.suffix == ".html":
                assert 'href="javascript' not in text
            else:
                assert not re.search(r"(?<!\\)\]\(javascript", text)
