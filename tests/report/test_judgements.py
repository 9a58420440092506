"""Key judgements and the "why" wording follow the numbers: both out-of-sample outcomes, likelihood rules."""

from __future__ import annotations

import lxml.html
import pytest

from rasid.report import render_brief
from rasid.report.judgements import compare, key_judgements, why_summary
from tests.report._fixed import _explanation, fixed_brief


def test_compare_outcomes():
    assert compare(1.0, 2.0)["outcome"] == "better" and compare(1.0, 2.0)["gain"] == pytest.approx(0.5)
    assert compare(3.316, 1.903)["outcome"] == "worse"
    assert compare(1.0, 1.01)["outcome"] == "same"
    assert compare(None, 1.0) is None and compare(1.0, 0.0) is None


def _why_text(tmp_path, explanation, lang):
    data = fixed_brief(explanation=explanation)
    (html,) = render_brief(data, lang, "html", tmp_path, basename=f"w_{lang}", charts=False)
    doc = lxml.html.fromstring(html.read_text(encoding="utf-8"))
    return doc, " ".join(doc.xpath("//section[@id='explain']")[0].text_content().split())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_context_worse_is_said_worse(tmp_path, lang):
    exp = _explanation(context_lgbm=3.316, history_lgbm=1.903, context_glm=7.4, history_glm=4.5)
    doc, text = _why_text(tmp_path, exp, lang)
    outcomes = doc.xpath("//*[@id='oos']//li/@data-outcome")
    assert outcomes == ["worse", "worse"]
    if lang == "en":
        assert "made the out-of-sample predictions worse" in text and "lowered" not in text
        assert "do not predict where the group strikes better" in text
        assert "improve" not in text
    else:
        assert "أسوأ" in text and "لا تتنبأ طبقات السياق" in text and "خفض انحراف" not in text
    assert "absent" in doc.xpath("//*[@id='oos']/@class")[0]  # shown as a caution


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_context_better_is_said_better(tmp_path, lang):
    exp = _explanation(context_lgbm=1.5, history_lgbm=1.9, context_glm=4.0, history_glm=4.6)
    doc, text = _why_text(tmp_path, exp, lang)
    assert doc.xpath("//*[@id='oos']//li/@data-outcome") == ["better", "better"]
    if lang == "en":
        assert "lowered the out-of-sample deviance by 21.1%" in text and "worse" not in text
        assert "predict where the group strikes better than its own history alone" in text
    else:
        assert "خفض انحراف التنبؤ" in text and "أسوأ" not in text


def test_persistence_is_stated_as_persistence(tmp_path):
    _doc, text = _why_text(tmp_path, _explanation(), "en")
    assert "Persistence is not a motive" in text
    assert "Persistence accounts for 67% of the attribution" in text
    # objectives beyond persistence: the supported one with its interval, the unclear one as not distinguishable
    assert "border corridors and supply routes (31% of the rest, 95% CI 5%–56%)" in text
    assert "Not distinguishable from zero: oil and gas (11%, −18% to 38%)" in text


def test_arabic_brief_quotes_arabic_source_first(tmp_path):
    data = fixed_brief()
    (ar,) = render_brief(data, "ar", "html", tmp_path, basename="q_ar", charts=False)
    (en,) = render_brief(data, "en", "html", tmp_path, basename="q_en", charts=False)
    ar_q = [b.text_content() for b in lxml.html.fromstring(ar.read_text(encoding="utf-8")).xpath("//blockquote")]
    en_q = [b.text_content() for b in lxml.html.fromstring(en.read_text(encoding="utf-8")).xpath("//blockquote")]
    assert ar_q and "يسعى التنظيم" in ar_q[0] and not any("IS wants" in q for q in ar_q)
    assert "IS wants" in en_q[0]


def test_key_judgements_rules():
    data = fixed_brief()
    js = key_judgements(data)
    assert 3 <= len(js) <= 6
    kinds = [j["kind"] for j in js]
    assert kinds == ["focus", "shift", "why", "next", "watch"]
    focus, shift, why, nxt, watch = js
    assert focus["unit_code"] == "SY.DY.AK" and focus["p"] == pytest.approx(0.99)  # p_any 0.998, capped
    assert focus["likelihood"]["key"] == "almost_certain"
    assert shift["direction"] == "up" and shift["away"]["unit_code"] == "SY.RA.RA"
    assert why["p"] == 0.5 and why["likelihood"]["key"] == "even_chance"  # one model better, one worse
    assert nxt["threshold"] == 10 and nxt["p"] == pytest.approx(0.84) and nxt["likelihood"]["key"] == "very_likely"
    assert watch["basis"] == "vote" and watch["p"] == 0.5  # calendar effect CI spans 1


def test_why_rule_follows_out_of_sample():
    better = why_summary(_explanation(context_lgbm=1.0, history_lgbm=2.0, context_glm=1.0, history_glm=2.0))
    worse = why_summary(_explanation(context_lgbm=3.0, history_lgbm=2.0, context_glm=3.0, history_glm=2.0))
    assert better["context_better"] and not worse["context_better"] and not worse["context_mixed"]
    data = fixed_brief(explanation=_explanation(context_lgbm=3.0, history_lgbm=2.0, context_glm=3.0, history_glm=2.0))
    why = next(j for j in key_judgements(data) if j["kind"] == "why")
    assert why["likelihood"]["key"] == "unlikely"
    data = fixed_brief(explanation=_explanation(context_lgbm=1.0, history_lgbm=2.0, context_glm=1.0, history_glm=2.0))
    why = next(j for j in key_judgements(data) if j["kind"] == "why")
    assert why["likelihood"]["key"] == "likely"


def test_judgements_without_analyses_still_state_focus():
    data = fixed_brief()
    data.explanation, data.backtest = None, None
    del data.tables["forecast"]
    js = key_judgements(data)
    assert [j["kind"] for j in js][:2] == ["focus", "shift"]
    assert js[0]["basis"] == "test"
