"""Every number of the brief equals the library's value for the same parameters (parsed back from the output)."""

from __future__ import annotations

import datetime as dt
import json
import re

import lxml.html
import pandas as pd
import pytest

from rasid.analysis.focus import focus_table
from rasid.analysis.forecast import forecast
from rasid.analysis.scorecard import scorecard_verdict
from rasid.analysis.spec import PanelSpec
from rasid.events import EventFilter
from rasid.report.format import Formatter, to_latin_digits

WINDOW = (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
BASE = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))


@pytest.fixture(scope="module")
def lib_events(bundled_store):
    """The actor's events, queried independently of the brief."""
    return bundled_store.events(EventFilter(actors=["IS"], countries=["IQ", "SY"], since=BASE[0], until=WINDOW[1]))


@pytest.fixture(scope="module")
def lib_focus(lib_events):
    """The focus table computed directly with the library."""
    return focus_table(lib_events, PanelSpec(unit="admin2", window=WINDOW, countries=["IQ", "SY"]), baseline="12m")


def _doc(path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def _cells(tr) -> list[str]:
    return [to_latin_digits(" ".join(td.text_content().split())) for td in tr.findall("td")]


def _num(text: str) -> float:
    """'1,234' / '34.2%' / '−12' -> float (percent as a share)."""
    t = to_latin_digits(text).replace(",", "").strip()
    pct = t.endswith("%")
    v = float(t.rstrip("%").replace("<", ""))
    return v / 100 if pct else v


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_focus_table_numbers(rendered, lib_focus, lang):
    rows = _doc(rendered[(lang, "html")]).xpath("//table[contains(@class,'focus')]/tbody/tr")
    assert len(rows) == 5
    lib = lib_focus.set_index("unit_code")
    for i, tr in enumerate(rows):
        code = tr.get("data-unit")
        assert code == lib_focus.unit_code.iloc[i]  # same ranking
        r = lib.loc[code]
        rank, name, gov, events, deaths, share, bshare, rr, q, _label = _cells(tr)
        assert int(_num(rank)) == int(r["rank"])
        assert name == (r.unit_ar if lang == "ar" else r.unit_en)
        assert int(_num(events)) == int(r.events)
        assert int(_num(deaths)) == int(r.deaths)
        assert _num(share) == pytest.approx(r.share, abs=0.0005)
        assert _num(bshare) == pytest.approx(r.baseline_share, abs=0.0005)
        m = re.match(r"([\d.]+) \(([\d.]+)–([\d.]+)\)", rr)
        assert m, rr
        assert [float(x) for x in m.groups()] == pytest.approx([r.rate_ratio, r.rr_low, r.rr_high], abs=0.005)
        if r.q_value < 0.001:
            assert q.startswith("<")
        else:
            assert _num(q) == pytest.approx(r.q_value, abs=0.005)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_totals(rendered, lib_events, lib_focus, lang):
    in_w = lib_events[pd.to_datetime(lib_events.date_start) >= pd.Timestamp(WINDOW[0])]
    boxes = _doc(rendered[(lang, "html")]).xpath("//div[@class='glance']//b")
    values = [int(b.get("data-value")) for b in boxes]
    shown = [int(_num(b.text_content())) for b in boxes]
    expected = [len(in_w), int(in_w.deaths_best.sum()), int(lib_focus.events.sum()), int(lib_focus.baseline_events.sum())]
    assert values == expected
    assert shown == expected


def test_markdown_table_matches_library(rendered, lib_focus):
    md = rendered[("en", "md")].read_text(encoding="utf-8")
    lines = [ln for ln in md.splitlines() if re.match(r"^\| \d+ \|", ln)]
    assert len(lines) == 5
    for ln, (_, r) in zip(lines, lib_focus.head(5).iterrows(), strict=True):
        cells = [c.strip() for c in ln.strip("|").split("|")]
        assert cells[1] == r.unit_en
        assert int(_num(cells[3])) == r.events and int(_num(cells[4])) == r.deaths
        assert _num(cells[5]) == pytest.approx(r.share, abs=0.0005)


def test_arabic_markdown_uses_arabic_digits(rendered, lib_focus):
    md = rendered[("ar", "md")].read_text(encoding="utf-8")
    r = lib_focus.iloc[0]
    assert Formatter("ar").num(r.events) in md
    assert Formatter("ar").pct(r.share) in md
    assert "كانون الثاني ٢٠١٨" in md


def test_forecast_numbers(rendered, brief_data, bundled_store):
    ev = bundled_store.events(EventFilter(actors=["IS"], countries=["IQ", "SY"], until=WINDOW[1]))
    lib = forecast(ev, PanelSpec(unit="admin2", countries=["IQ", "SY"]), as_of=pd.Timestamp("2018-12-01"), horizon=3, seed=0, n_samples=300).set_index(["unit_code", "horizon"])
    rows = _doc(rendered[("en", "html")]).xpath("//table[contains(@class,'forecast')]/tbody/tr")
    assert len(rows) == 15
    for tr in rows:
        code, h = tr.get("data-unit"), int(tr.get("data-horizon"))
        r = lib.loc[(code, h)]
        month, mean, q50, interval, p_any = _cells(tr)[-5:]
        assert month == Formatter("en").month(r.month)
        assert _num(mean) == pytest.approx(r["mean"], abs=0.05)
        assert _num(q50) == pytest.approx(r.q50, abs=0.5)
        lo, hi = interval.split("–")
        assert (_num(lo), _num(hi)) == pytest.approx((r.q05, r.q95), abs=0.5)
        assert _num(p_any) == pytest.approx(r.p_any, abs=0.005)


def test_backtest_numbers(rendered, brief_data):
    summ = brief_data.tables["backtest"]
    mine = summ[summ.model == "ensemble"].sort_values("horizon")
    rows = _doc(rendered[("en", "html")]).xpath("//table[contains(@class,'backtest')]/tbody/tr")
    assert len(rows) == len(mine) == 3
    for tr, (_, r) in zip(rows, mine.iterrows(), strict=True):
        h, crps, skill, _skill12, cov = _cells(tr)
        assert int(_num(h)) == r.horizon
        assert _num(crps) == pytest.approx(r.crps, abs=0.0005)
        assert _num(skill.split(" ")[0]) == pytest.approx(r.crps_skill_vs_no_change, abs=0.005)
        assert _num(cov) == pytest.approx(r.coverage90, abs=0.005)


def test_backtest_verdict_is_the_scorecards(rendered, brief_data):
    summ = brief_data.tables["backtest"]
    # the verdict weighs the model against the probabilistic baselines too, not only the table's two
    assert {"poisson_last", "conflictology", "no_change", "mean12", "ensemble"} <= set(summ.model)
    for lang in ("en", "ar"):
        line = scorecard_verdict(summ, lang, model="ensemble")
        assert brief_data.backtest["verdict"][lang] == line
        doc = _doc(rendered[(lang, "html")])
        (p,) = doc.xpath("//p[@class='verdict']")
        shown = to_latin_digits(" ".join(p.text_content().split())).replace("\u2066", "").replace("\u2069", "")
        shown = shown.replace("\u2212", "-").replace("\u066a", "%")
        r = summ[(summ.model == "ensemble") & (summ.horizon == 1)].iloc[0]
        assert f"{r.coverage90:.0%}" in shown
        assert str(int(r.n_origins)) in shown


def test_every_attack_has_its_source(rendered, brief_data, bundled_store):
    attacks = brief_data.tables["attacks"]
    assert len(attacks) > 0
    ev = bundled_store.events(EventFilter(actors=["IS"], since=dt.date(2018, 10, 1), until=WINDOW[1])).set_index("event_id")
    for lang in ("en", "ar"):
        rows = _doc(rendered[(lang, "html")]).xpath("//table[contains(@class,'attacks')]/tbody/tr")
        assert len(rows) == len(attacks)
        for tr in rows:
            e = ev.loc[tr.get("data-event")]
            src = tr.xpath(".//span[@class='ref']")[0].text_content()
            assert src == f"UCDP GED {e.source_id}" or src.startswith("http")
            assert int(_num(_cells(tr)[3].split(" ")[0])) == e.deaths_best
    md = rendered[("en", "md")].read_text(encoding="utf-8")
    for sid in attacks.source_id:
        assert f"UCDP GED {sid}" in md


def test_explanation_numbers(rendered, brief_data):
    html = rendered[("en", "html")].read_text(encoding="utf-8")
    text = " ".join(lxml.html.fromstring(html).text_content().split())
    fmt = Formatter("en")
    for p in brief_data.explanation["places"]:
        assert f"<h3>{p['unit_en']}</h3>" in html
        hist = next(o for o in p["objectives"] if o["objective"] == "history")
        assert (f"Persistence accounts for {fmt.pct(hist['share'], 0)} of the attribution "
                f"(95% CI {fmt.range(hist['ci_low'], hist['ci_high'], 'pct', 0)})") in text
        supported = [o for o in p["objectives"]
                     if o["objective"] != "history" and o["kind"] != "control" and (o.get("share_excl_history") or 0) > 0
                     and o.get("ci_low_excl_history") is not None and o["ci_low_excl_history"] > 0]
        for o in sorted(supported, key=lambda o: -o["share_excl_history"])[:3]:  # the brief names the three largest
            assert (f"({fmt.pct(o['share_excl_history'], 0)} of the rest, 95% CI "
                    f"{fmt.range(o['ci_low_excl_history'], o['ci_high_excl_history'], 'pct', 0)})") in text


def test_params_and_versions_embedded(rendered, brief_data, bundled_store):
    for lang in ("en", "ar"):
        doc = _doc(rendered[(lang, "html")])
        assert not doc.xpath("//script")  # no script at all: the parameters are escaped text
        blob = json.loads(doc.xpath("//pre[@id='rasid-params']")[0].text_content())
        assert blob["params"]["window"] == "2018-01-01..2018-12-31"
        assert blob["params"]["actor"] == "IS" and blob["params"]["countries"] == ["IQ", "SY"]
        assert [(v["source"], v["source_version"], v["rows"]) for v in blob["data_versions"]] == \
            [(v["source"], v["source_version"], v["rows"]) for v in bundled_store.data_versions()]
