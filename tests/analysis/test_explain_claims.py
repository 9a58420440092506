"""Verdicts per claim on synthetic panels with planted drivers and planted non-drivers; claim files and motives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from rasid.analysis.explain import CLAIM_OBJECTIVES, Claim, claims_from_motives, explain, read_claims
from rasid.analysis.spec import PanelSpec
from rasid.errors import InputError, QueryError

from .explain_worlds import world

SPEC = PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"])


def _verdicts(ev: pd.DataFrame, claims=None, **kw) -> dict[str, dict]:
    res = explain(ev, SPEC, n_boot=0, top=3, claims=claims, **kw)
    return {c["objective"]: c for c in res.claims}


@pytest.fixture(scope="module")
def oil_world() -> dict[str, dict]:
    return _verdicts(world("oil", seed=1))


def test_planted_static_driver_supported_and_non_drivers_not(oil_world):
    oil = oil_world["oil"]
    assert oil["verdict"] == "supported", oil["reason"]
    assert oil["feature"] == "oil_prox" and oil["ci_low"] > 1 and oil["oos_lift"] > 0.01
    assert sum(v > 0.01 for v in oil["oos_lift_given_others_by_year"].values()) >= 3
    for o in ("prisoners", "corridor", "political_calendar"):  # planted non-drivers
        assert oil_world[o]["verdict"] == "not_supported", (o, oil_world[o]["reason"])
        assert oil_world[o]["places_hold"] == []


def test_planted_time_varying_driver():
    v = _verdicts(world("handover", seed=2))
    d = v["disputed_territory"]
    assert d["verdict"] == "supported" and d["feature"] == "handover_12m", d["reason"]
    assert d["effect"] > 1.5 and d["oos_lift_given_others_by_year"]["2018"] > 0.05
    assert {"2015", "2016", "2017"} <= set(d["oos_lift_by_year"]) and d["oos_lift_by_year"]["2016"] is None
    assert v["oil"]["verdict"] == "not_supported" and v["prisoners"]["verdict"] == "not_supported"


def test_places_hold_where_the_driver_is():
    claims = [Claim("disputed_territory", ["Kirkuk", "Anbar"], "IS exploits the security vacuum")]
    (d,) = _verdicts(world("handover", seed=2), claims).values()
    assert d["places_hold"] == ["Kirkuk"] and d["places_not"] == ["Anbar"]  # Anbar: no handover in 2017-18
    kirkuk, anbar = d["places_detail"]
    assert kirkuk["unit_codes"] == ["IQG13Q04"] and len(anbar["unit_codes"]) == 7  # a governorate: its districts
    assert kirkuk["rate_ratio"] > 1.1 > anbar["rate_ratio"]
    assert d["quotes"][0] == {"quote": "IS exploits the security vacuum", "url": None, "doc_id": None,
                              "source": "claim"}


def test_effect_only_in_the_window_is_mixed():
    v = _verdicts(world("oil", only_year=2018, seed=3))
    assert v["oil"]["verdict"] == "mixed" and v["oil"]["ci_low"] > 1, v["oil"]["reason"]
    assert v["oil"]["oos_lift_given_others"] <= 0.01


def test_opposite_effect_is_not_supported():
    v = _verdicts(world("oil", beta=-0.8, seed=4))
    assert v["oil"]["verdict"] == "not_supported" and v["oil"]["ci_high"] < 1
    assert "other way" in v["oil"]["reason"]


def test_insufficient_data():
    one_year = _verdicts(world("oil", years=(2018, 2018), seed=5))  # no earlier year to test out of sample
    assert {c["verdict"] for c in one_year.values()} == {"insufficient_data"}
    few = world("oil", base=-5.5, seed=6)
    few = pd.concat([few[few.date_start.dt.year < 2018], few[few.date_start.dt.year == 2018].head(12)])
    assert {c["verdict"] for c in _verdicts(few).values()} == {"insufficient_data"}


def test_read_claims_yaml_and_json(tmp_path):
    y = tmp_path / "c.yaml"
    y.write_text("claims:\n  - objective: oil\n    places: [Kirkuk, Deir ez-Zor]\n    text: IS targets oil\n"
                 "  - prisoners\n", encoding="utf-8")
    a, b = read_claims(y)
    assert (a.objective, a.places, a.text, b.objective, b.places) == ("oil", ["Kirkuk", "Deir ez-Zor"],
                                                                      "IS targets oil", "prisoners", [])
    j = tmp_path / "c.json"
    j.write_text(json.dumps([{"objective": "corridor", "places": "Ninewa, Kirkuk", "id": "c1"}]), encoding="utf-8")
    (c,) = read_claims(j)
    assert c.places == ["Ninewa", "Kirkuk"] and c.id == "c1"
    for body, msg in (("- objective: revenge\n", "unknown objective 'revenge'"), ("[]", "expected a list"),
                      ("- places: [Kirkuk]\n", "claim 1 has no 'objective'"), ("claims: [oil\n", "not valid YAML"),
                      ("- objective: oil\n  where: Kirkuk\n", "unknown field 'where'")):
        bad = tmp_path / "bad.yaml"
        bad.write_text(body, encoding="utf-8")
        with pytest.raises(InputError, match=msg) as e:
            read_claims(bad)
        assert "bad.yaml" in str(e.value)


def test_claim_place_outside_the_region_is_an_error_before_any_fit():
    ev = world("oil", seed=1, years=(2017, 2018))
    with pytest.raises(QueryError, match="claim oil: place 'Deir-ez-Zor' is not a admin2 unit"):
        explain(ev, SPEC.replace(countries=("IQ",)), claims=[Claim("oil", ["Deir-ez-Zor"])], n_boot=0)


def test_claims_from_motives_group_places_and_quotes():
    mot = pd.DataFrame({"objective": ["oil", "oil", "revenge", "prisoners"],
                        "sentence": ["IS attacks the Kirkuk oil fields.", "Oil in Deir ez-Zor funds IS.",
                                     "Revenge for Hawija.", "IS wants to free its members from Ghwayran."],
                        "places": [["Kirkuk"], "Deir ez-Zor|Kirkuk", [], ["Al-Hasakeh"]],
                        "url": ["https://a.example/1", None, None, "https://a.example/2"], "doc_id": ["a", "b", "c", "d"]})
    oil, pri = claims_from_motives(mot)
    assert (oil.objective, oil.places[0], len(oil.quotes), oil.source) == ("oil", "Kirkuk", 2, "text")
    assert pri.places == ["Al-Hasakeh"] and pri.quotes[0]["url"] == "https://a.example/2"
    assert claims_from_motives(mot.iloc[[2]]) == [] and set(CLAIM_OBJECTIVES) >= {oil.objective, pri.objective}
