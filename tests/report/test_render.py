"""Rendering: Arabic HTML direction, self-contained files, shaped chart text, PDF, CLI, data tables."""

from __future__ import annotations

import json
import re
import unicodedata

import pypdf
import pytest
from typer.testing import CliRunner

from rasid.events import Store
from rasid.report import Formatter, write_tables
from rasid.report._render import _charts
from rasid.report.arabic import PRESENTATION_FORMS, has_arabic, renderer_does_bidi, shape
from rasid.report.charts import monthly_chart, shares_chart

_BASE_LETTERS = re.compile(r"[\u0621-\u064A]")


def test_arabic_html_has_lang_and_dir(rendered):
    html = rendered[("ar", "html")].read_text(encoding="utf-8")
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert '<html lang="en" dir="ltr">' in rendered[("en", "html")].read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_html_is_self_contained(rendered, lang):
    html = rendered[(lang, "html")].read_text(encoding="utf-8")
    assert "@font-face" in html and "data:font/ttf;base64," in html
    assert re.findall(r'<img src="data:image/png;base64,', html)
    # nothing to fetch: no stylesheet, script or image from elsewhere (links to sources are fine)
    assert not re.search(r'<(?:img|script|link)[^>]+(?:src|href)="(?:https?:)?//', html)
    assert "url(http" not in html


def _assert_shaped(text: str) -> None:
    """Arabic in chart text must be joined presentation forms, in the order the renderer expects."""
    assert not _BASE_LETTERS.search(text), f"unshaped Arabic letters in {text!r}"
    forms = PRESENTATION_FORMS.findall(text)
    assert forms
    names = [unicodedata.name(c, "") for c in forms]
    # not isolated-only: joined words need initial/medial/final forms
    if any(len(w) > 1 for w in re.findall(r"[\uFB50-\uFDFF\uFE70-\uFEFF]+", text)):
        assert any(n.endswith((" INITIAL FORM", " MEDIAL FORM", " FINAL FORM")) for n in names), text


def _logical(text: str) -> str:
    """Presentation forms back to base letters (NFKC), for order checks."""
    return unicodedata.normalize("NFKC", text)


def test_shape_order_matches_renderer():
    src = "البوكمال في دير الزور"
    out = shape(src)
    _assert_shaped(out)
    if renderer_does_bidi():  # matplotlib with libraqm reorders itself: pass logical order
        assert _logical(out).replace("\u0644\u0627", "لا") == src
    else:  # plain matplotlib: pass visual order
        assert _logical(out) == _logical(shape(src, bidi=True))
        assert _logical(out).split(" ")[-1][::-1] == src.split(" ")[0]


def test_brief_chart_text_is_shaped(brief_data):
    charts = _charts(brief_data, "ar", Formatter("ar"))
    assert set(charts) >= {"monthly", "shares", "map", "fan"}
    for name, chart in charts.items():
        arabic = [t for t in chart.texts if PRESENTATION_FORMS.search(t) or has_arabic(t)]
        assert arabic, name
        for t in arabic:
            _assert_shaped(t)
        assert chart.png.startswith(b"\x89PNG")
    # the place names of the key findings reach the charts shaped, never raw
    names = {shape(n) for n in brief_data.top.unit_ar}
    assert names <= set(charts["shares"].texts)
    assert names <= set(charts["fan"].texts)  # one fan per place the brief forecasts


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_brief_shows_the_fan_chart(rendered, lang):
    html = rendered[(lang, "html")].read_text(encoding="utf-8")
    outlook = html[html.index('id="outlook"'):]
    assert re.search(r'<figure class="tall"><img src="data:image/png;base64,[^"]+" alt="[^"]+"', outlook)


def test_chart_functions_standalone():
    import pandas as pd

    fmt = Formatter("ar")
    monthly = pd.DataFrame({"unit_code": ["A"] * 3, "period": pd.date_range("2018-01-01", periods=3, freq="MS"),
                            "events": [1, 2, 3], "deaths_best": [0, 5, 1]})
    c = monthly_chart(monthly, [("A", "الموصل")], {"events": "الأحداث", "deaths": "القتلى", "title": "شهرياً",
                                                    "window": "فترة التقرير"}, fmt)
    for t in c.texts:
        _assert_shaped(t)
    s = shares_chart(pd.DataFrame({"name": ["كركوك"], "baseline_share": [0.1], "share": [0.2]}),
                     {"baseline": "قبل", "window": "خلال", "axis": "الحصة", "title": "الحصص"}, fmt)
    assert shape("كركوك") in s.texts


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pdf_renders_with_text(rendered, lang):
    reader = pypdf.PdfReader(str(rendered[(lang, "pdf")]))
    assert len(reader.pages) > 0
    text = "".join(p.extract_text() or "" for p in reader.pages[:2])
    if lang == "en":
        assert "Key findings" in text and "Islamic State" in text
    else:
        assert _BASE_LETTERS.search(unicodedata.normalize("NFKC", text))


def test_write_tables(brief_data, tmp_path):
    paths = write_tables(brief_data, tmp_path)
    names = {p.name for p in paths}
    assert {"focus.csv", "top.csv", "monthly.csv", "attacks.csv", "forecast.csv", "params.json"} <= names
    meta = json.loads((tmp_path / "params.json").read_text(encoding="utf-8"))
    assert meta["params"]["actor"] == "IS" and meta["data_versions"]


def test_cli_brief(brief_data, tmp_path, monkeypatch):
    from rasid.cli import app

    monkeypatch.setattr("rasid.commands.report.build_brief", lambda *a, **k: brief_data)
    monkeypatch.setattr("rasid.commands.report.open_store", lambda db, **k: _NullStore())
    monkeypatch.setattr("rasid.commands.report.check_query", lambda store, **k: ["planted warning"])
    res = CliRunner().invoke(app, ["brief", "--actor", "IS", "--country", "IQ,SY", "--window", "2018-01..2018-12",
                                   "--lang", "both", "--format", "html,md", "--out", str(tmp_path / "b"),
                                   "--data-out", str(tmp_path / "d"), "--digits", "latin"])
    assert res.exit_code == 0, res.output
    assert "warning: planted warning" in res.output
    printed = [ln for ln in res.output.splitlines() if ln.strip() and not ln.startswith("warning")]
    assert any(ln.endswith("_ar.html") for ln in printed) and any(ln.endswith("_en.md") for ln in printed)
    assert (tmp_path / "d" / "focus.csv").exists()
    ar = next((tmp_path / "b").glob("*_ar.html")).read_text(encoding="utf-8")
    assert "٢٠١٨" not in ar.split("<body>")[1].split("<pre")[0]  # --digits latin


def test_cli_rejects_bad_lang(tmp_path):
    from rasid.cli import app

    res = CliRunner().invoke(app, ["brief", "--lang", "fr", "--db", str(tmp_path / "x.duckdb")])
    assert res.exit_code == 2


@pytest.mark.parametrize("args,message", [
    (["--format", "docx"], "unknown format 'docx'; expected html, md, pdf"),
    (["--format", "html,docx"], "unknown format 'docx'"),
    (["--digits", "roman"], "expected arabic or latin"),
    (["--news", "/no/such/news"], "no such file or folder: /no/such/news"),
])
def test_cli_refuses_bad_options_before_any_work(tmp_path, monkeypatch, args, message):
    from rasid.cli import app

    def no_store(*a, **k):
        raise AssertionError("the store was opened before the options were checked")

    monkeypatch.setattr("rasid.commands.report.open_store", no_store)
    monkeypatch.setattr("rasid.commands.report.build_brief", no_store)
    res = CliRunner().invoke(app, ["brief", *args, "--out", str(tmp_path / "b")])
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split())
    assert not (tmp_path / "b").exists()


def test_cli_unknown_actor_names_the_choices(tmp_path):
    import json

    from rasid.cli import app
    rows = [{"source_id": f"x{i}", "date_start": f"2018-0{i + 1}-10", "country": "Syria", "actor1": "IS",
             "actor2": "SDF", "event_type": "non-state", "deaths_best": 3, "lat": 34.69, "lon": 40.83}
            for i in range(3)]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        store.ingest_file(path)
    res = CliRunner().invoke(app, ["brief", "--actor", "Nobody at all", "--db", str(tmp_path / "s.duckdb"),
                                   "--out", str(tmp_path / "b")])
    assert res.exit_code == 2
    assert "actors with most events there: IS, SDF" in " ".join(res.output.split())  # ties by name


class _NullStore:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_failed_analysis_is_stated_not_invented(bundled_store, tmp_path, monkeypatch):
    import rasid.report.brief as rb
    from rasid.errors import ModelError

    def fail(*args, **kwargs):
        raise ModelError("planted failure of the model")

    for name in ("explain", "forecast", "emerging_hotspots"):
        monkeypatch.setattr(rb, name, fail)
    data = rb.build_brief(bundled_store, actor="IS", countries=["IQ", "SY"], window="2018-01..2018-12",
                          sections=("explain", "forecast", "calendar", "hotspots"))
    assert set(data.missing) == {"explain", "forecast", "hotspots"}
    assert "forecast" not in data.tables and data.explanation is None
    for lang in ("en", "ar"):
        (html,) = rb.render_brief(data, lang, "html", tmp_path)
        text = html.read_text(encoding="utf-8")
        assert "planted failure of the model" in text
        assert 'class="forecast"' not in text


def test_news_motives_are_quoted_with_sources(bundled_store, tmp_path):
    from pathlib import Path

    import pandas as pd

    from rasid.report import build_brief, motives_table, render_brief

    news = Path(__file__).parents[1] / "data" / "news" / "dev.jsonl"
    mot = motives_table([news], use_encoder=False)
    assert {"objective", "sentence", "places", "url"} <= set(mot.columns) and len(mot)
    data = build_brief(bundled_store, actor="IS", countries=["IQ", "SY"], window="2018-01..2018-12",
                       sections=("explain",), motives=mot, explain_options={"n_boot": 5, "out_of_sample": False})
    kept = data.tables["motives"]
    pub = pd.to_datetime(kept["published"], errors="coerce")
    assert not (pub > pd.Timestamp("2018-12-31")).any()  # nothing published after the window is quoted
    quoted = [(o["objective"], e) for p in data.explanation["places"] for o in p["objectives"] for e in o["evidence"]]
    assert quoted
    (html,) = render_brief(data, "en", "html", tmp_path, charts=False)
    text = html.read_text(encoding="utf-8")
    import lxml.html

    # up to four quotes per place are shown (English ones first in the English brief), each with its source link
    expected = 0
    for p in data.explanation["places"]:
        n = sum(len(o["evidence"]) for o in p["objectives"])
        n += sum(len(items) for items in (p.get("text_only_evidence") or {}).values())
        expected += min(n, 4)
    quotes = lxml.html.fromstring(text).xpath("//section[@id='explain']//blockquote[@dir='auto']")
    assert len(quotes) == expected
    urls = {e["url"] for _obj, e in quoted}
    for q in quotes:
        links = q.xpath(".//a/@href")
        assert links and links[0] in urls


def _template_map(name: str, var: str) -> dict[str, str]:
    """The ``{% set VAR = {...} %}`` map of a wording template, read from its source."""
    import re
    from pathlib import Path

    import rasid.report

    src = (Path(rasid.report.__file__).parent / "templates" / name).read_text(encoding="utf-8")
    body = re.search(r"\{%\s*set " + var + r" = \{(.*?)\}\s*%\}", src, re.S).group(1)
    return dict(re.findall(r'"(\w+)":\s*"([^"]*)"', body))


def test_every_feature_and_objective_has_a_label_in_both_languages() -> None:
    # the Arabic brief printed "control 15%" and English feature descriptions in its effects table
    from rasid.analysis.features import FEATURES

    ar_obj, en_obj = _template_map("_ar.j2", "OBJECTIVE"), _template_map("_en.j2", "OBJ")
    ar_feat = _template_map("_ar.j2", "FEATURE")
    objectives = {f.objective for f in FEATURES.values()}
    assert objectives <= set(ar_obj) and objectives <= set(en_obj)
    assert sorted(n for n in FEATURES if n not in ar_feat) == []
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in v) for v in ar_feat.values())
