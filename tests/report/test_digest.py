"""Digests: hostile text from data stays text in Markdown; files are written whole."""

from __future__ import annotations

import json

from rasid.report.digest import digest_markdown, md_escape, md_link, write_digest

HOSTILE = "Hit [click me](javascript:alert(1)) <script>alert('x')</script> **bold** # title\n- item `code` | cell"


def _digest() -> dict:
    alert = {
        "unit_code": "IQG13Q04", "unit_en": "Daquq <b>", "unit_ar": "داقوق", "country": "IQ", "month": "2018-06",
        "kind": "spread", "events": 3, "deaths": 4, "baseline_events": 0, "baseline_deaths": 0, "strength": 3.0,
        "text_en": "IS activity spread to Daquq", "text_ar": "امتد نشاط داعش إلى داقوق", "n_evidence": 4,
        "evidence": [{"event_id": "e1", "date": "2018-06-02", "location": "Al Rashad](http://evil.example)",
                      "actor1": "IS", "actor2": "Civilians", "deaths_best": 2, "source": "ucdp_ged",
                      "source_version": "19.1", "source_text": HOSTILE,
                      "source_url": "https://news.example/a (b)?x=<y>"},
                     {"event_id": "e2", "date": "2018-06-05", "location": "x", "actor1": "IS", "actor2": None,
                      "deaths_best": None, "source": "news", "source_version": None, "source_text": None,
                      "source_url": "javascript:alert(1)"}],
    }
    return {"generated_at": "2026-12-01 06:00 UTC", "errors": ["server said <img src=x onerror=alert(1)>"],
            "update": {"summaries": ["ucdp_ged 25.1: 3 pages"], "notes": [], "error": None},
            "data": [{"source": "ucdp_ged", "rows": 10, "min_date": "2018-01-01", "max_date": "2018-06-30",
                      "versions": ["19.1"]}],
            "alerts": [{"as_of": "2018-06", "unit": "admin2", "countries": ["IQ"], "actor": "IS",
                        "notes": ["a note with _underscores_"], "alerts": [alert]}]}


def test_escaped_text_cannot_make_links_html_or_layout():
    out = md_escape(HOSTILE)
    assert "\n" not in out and "<" not in out and ">" not in out
    assert "](" not in out and "\\[click me\\]\\(javascript:alert\\(1\\)\\)" in out
    assert "\\*\\*bold\\*\\*" in out and "\\# title" in out and "\\`code\\`" in out and "\\|" in out
    assert md_escape(None) == "" and md_escape("داقوق") == "داقوق"


def test_links_only_for_http_and_cannot_break_out():
    assert md_link("src", "javascript:alert(1)") == "src"
    assert md_link("src", "ftp://x.org/a") == "src"
    link = md_link("src", "https://news.example/a (b)?x=<y>")
    assert link.startswith("[src](https://news.example/a%20%28b%29?x=%3Cy%3E)")


def test_digest_markdown_is_bilingual_and_escaped():
    md = digest_markdown(_digest())
    assert md.index("# rasid digest") < md.index('<div dir="rtl" lang="ar">') < md.index("# موجز راصد")
    assert md.rstrip().endswith("</div>")
    assert "<script>" not in md and "<img" not in md and "<b>" not in md and "javascript:" not in md.replace(
        "javascript:alert\\(1\\)", "")
    assert "(http://evil.example)" not in md
    assert "Daquq &lt;b&gt;" in md and "داقوق" in md and "(+2 more)" in md
    assert "[link](https://news.example/a%20%28b%29?x=%3Cy%3E)" in md
    assert "2 June 2018" in md and "٢ حزيران ٢٠١٨" in md and "2 deaths" in md and "القتلى: ٢" in md
    assert "(spread, June 2018)" in md and "(امتداد، حزيران ٢٠١٨)" in md


def test_write_digest_is_atomic_and_cleans_leftovers(tmp_path):
    out = tmp_path / "digests"
    out.mkdir()
    (out / ".latest.json.abc.tmp").write_text("half", encoding="utf-8")  # a killed writer's leftover
    paths = write_digest(_digest(), out, "20261201T060000Z")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["digest-20261201T060000Z.json", "digest-20261201T060000Z.md", "latest.json", "latest.md"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["alerts"][0]["alerts"][0]["unit_ar"] == "داقوق"
    assert (out / "latest.md").read_text(encoding="utf-8") == paths[1].read_text(encoding="utf-8")
