"""explain(): planted drivers are ranked first; JSON shape; text evidence; the bundled IS data; the CLI."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rasid.analysis.explain import CLAIM_OBJECTIVES, OBJECTIVES, VERDICTS, explain
from rasid.analysis.spec import PanelSpec
from rasid.context import unit_features
from rasid.errors import ModelError, QueryError

_DRIVERS = {
    "oil": lambda f: np.exp(-f.dist_oil_km / 50),
    "disputed_territory": lambda f: f.disputed,
    "corridor": lambda f: np.exp(-f.dist_border_km / 50),
}


def _synthetic(objective: str, *, seed: int = 1, beta: float = 1.0, years=(2016, 2017, 2018)) -> pd.DataFrame:
    """Events whose monthly rate per district is exp(-1 + beta * z(driver)): nothing else matters."""
    rng = np.random.default_rng(seed)
    f = unit_features("admin2")
    x = _DRIVERS[objective](f).to_numpy(float)
    rate = np.exp(-1.0 + beta * (x - x.mean()) / x.std())
    months = pd.date_range(f"{years[0]}-01-01", f"{years[-1]}-12-01", freq="MS")
    n = rng.poisson(np.repeat(rate[:, None], len(months), axis=1))
    ui, mi = np.nonzero(n)
    ui, mi = np.repeat(ui, n[ui, mi]), np.repeat(mi, n[ui, mi])
    days = rng.integers(0, 28, len(ui))
    return pd.DataFrame({
        "date_start": months[mi] + pd.to_timedelta(days, unit="D"),
        "country": f.country.to_numpy()[ui], "admin1_code": f.admin1_code.to_numpy()[ui],
        "admin2_code": f.unit_code.to_numpy()[ui], "geo_precision": "exact",
        "deaths_best": rng.poisson(2, len(ui)), "deaths_low": 0, "deaths_high": 0, "wounded": np.nan,
    })


def _first(place: dict, key: str = "share", skip: tuple[str, ...] = ("history",)) -> str:
    objs = [o for o in place["objectives"] if o["objective"] not in skip and o[key] is not None]
    return max(objs, key=lambda o: o[key])["objective"]


@pytest.mark.parametrize("objective", ["oil", "disputed_territory", "corridor"])
def test_planted_driver_ranked_first(objective):
    ev = _synthetic(objective)
    res = explain(ev, PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"]), top=5, n_boot=8, history=False, out_of_sample=False)
    for p in res.places:  # the five most-hit places: the planted objective carries the largest share
        assert _first(p) == objective, (p["unit_en"], [(o["objective"], o["share"]) for o in p["objectives"]])
    eff = res.effects
    joint = eff.groupby("objective").objective_p_value.first()
    assert joint[objective] < 1e-3
    assert joint.drop(objective).min() > joint[objective]


def test_planted_driver_with_history_and_out_of_sample():
    ev = _synthetic("oil", seed=3)
    res = explain(ev, PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"]), top=3, n_boot=8)
    for p in res.places:
        assert _first(p, "share_excl_history") == "oil"
    oos = res.out_of_sample
    assert oos["train_years"] == [2016, 2017] and oos["test_year"] == 2018
    m = oos["models"]
    # the planted context is real, so it must beat the constant rate out of sample
    assert m["context_glm"]["poisson_deviance"] < m["constant_rate"]["poisson_deviance"]
    assert set(oos["context_adds"]) == {"lgbm", "glm"} and "history-only" in oos["verdict"]


def test_no_signal_says_context_adds_nothing():
    rng = np.random.default_rng(5)
    ev = _synthetic("oil", seed=5, beta=0.0)
    ev = ev.assign(admin2_code=rng.permutation(ev.admin2_code.to_numpy()))
    res = explain(ev, PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"]), top=2, n_boot=0)
    assert "adds nothing" in res.out_of_sample["verdict"]


def test_json_shape_and_evidence():
    ev = _synthetic("oil", seed=2)
    motives = pd.DataFrame({
        "objective": ["oil", "revenge", "oil", "corridor"],
        "sentence": ["IS attacks aim at the Kirkuk oil fields.", "Revenge for the fall of Hawija.", "Baiji refinery.",
                     "Cells move along the Hamrin range."],
        "places": [["Kirkuk"], "كركوك", ["Baiji"], None],
        "admin2_code": [None, None, None, "IQG13Q04"],
        "url": ["https://example.org/a", "https://example.org/b", "https://example.org/c", "https://example.org/d"],
        "doc_id": ["a", "b", "c", "d"],
    })
    res = explain(ev, PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"], actor="IS"), place="Kirkuk", motives=motives, n_boot=5, out_of_sample=False)
    d = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    assert set(d) >= {"places", "out_of_sample", "effects", "window"}
    (p,) = d["places"]
    assert p["unit_code"] == "IQG13Q04" and p["unit_ar"] == "كركوك"
    assert {"unit_code", "unit_en", "unit_ar", "observed", "expected", "objectives"} <= set(p)
    for o in p["objectives"]:
        assert {"objective", "share", "ci_low", "ci_high", "evidence"} <= set(o)
        assert o["objective"] in OBJECTIVES
    assert abs(sum(abs(o["share"]) for o in p["objectives"]) - 1) < 0.01
    oil = next(o for o in p["objectives"] if o["objective"] == "oil")
    assert [e["doc_id"] for e in oil["evidence"]] == ["a"] and oil["evidence"][0]["match"] == "unit"
    corridor = next(o for o in p["objectives"] if o["objective"] == "corridor")
    assert [e["doc_id"] for e in corridor["evidence"]] == ["d"]
    assert p["text_only_evidence"]["revenge"][0]["url"] == "https://example.org/b"
    assert {"objective", "feature", "irr", "ci_low", "ci_high", "p_value"} <= set(res.effects.columns)
    assert (res.effects.ci_low <= res.effects.irr).all() and (res.effects.irr <= res.effects.ci_high).all()


def test_errors():
    ev = _synthetic("oil")
    with pytest.raises(QueryError):
        explain(ev, PanelSpec(window="2018-01..2018-12", countries=["IQ"]), place="SY.DY.DY", n_boot=0, out_of_sample=False)
    with pytest.raises(QueryError):
        explain(ev, PanelSpec(unit="county", window="2018-01..2018-12"), n_boot=0, out_of_sample=False)
    with pytest.raises(ModelError):
        explain(ev, PanelSpec(window="2030-01..2030-12"), n_boot=0, out_of_sample=False)


def test_bundled_is_2018(is_events, bundled_events):
    res = explain(is_events, PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"], actor="IS"),
                  place="Kirkuk,Deir ez-Zor", n_boot=5, context_events=bundled_events)
    d = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    assert [p["unit_code"] for p in d["places"]] == ["IQG13Q04", "SY.DY.DY"]
    assert all(p["observed"] > 0 for p in d["places"])
    assert d["out_of_sample"]["models"]["history_glm"]["poisson_deviance"] > 0
    # Syria is covered from 2016 only in the bundled UCDP file; Iraq from the 2000s
    assert d["context"]["coverage"]["SY"][0] == 2016 and d["context"]["coverage"]["IQ"][0] < 2010
    years = [e["test_year"] for e in d["out_of_sample"]["by_year"]]
    assert years[-1] == 2018 and len(years) >= 10 and years == sorted(years)
    assert [c["objective"] for c in d["claims"]] == list(CLAIM_OBJECTIVES)
    assert all(c["verdict"] in VERDICTS and c["effect"] is not None for c in d["claims"])
    kirkuk = d["places"][0]["dynamic"]
    assert kirkuk["control_changes"][0]["date"] == "2017-10-16" and "IQ_STATE" in kirkuk["forces"]
    deir = d["places"][1]["dynamic"]["forces"]
    assert {"SY_STATE", "SDF"} <= set(deir)  # government west of the Euphrates, the SDF east of it
    assert d["shift"]["persistence"]["ci_low"] > 1 and d["shift"]["units"] > 100
    hist = next(o for o in d["places"][0]["objectives"] if o["objective"] == "history")
    assert hist["kind"] == "persistence"


def test_cli(tmp_path):
    from rasid.cli import app
    from rasid.events import Store

    from ..conftest import BUNDLED_GED

    db = tmp_path / "cli.duckdb"
    with Store(db) as store:
        store.ingest_file(BUNDLED_GED)
    runner = CliRunner()
    r = runner.invoke(app, ["context", "--unit", "admin1", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.count("\n") == 33
    mot = tmp_path / "motives.csv"
    pd.DataFrame({"objective": ["oil"], "sentence": ["IS targets Kirkuk's oil."], "places": ["Kirkuk|Al-Hawiga"],
                  "url": ["https://example.org/k"], "doc_id": ["k1"]}).to_csv(mot, index=False)
    r = runner.invoke(app, ["explain", "--actor", "IS", "--window", "2018-01..2018-12", "--place", "Kirkuk",
                            "--boot", "3", "--format", "json", "--motives", str(mot), "--db", str(db)])
    assert r.exit_code == 0, r.output
    (p,) = json.loads(r.stdout)["places"]
    assert p["unit_en"] == "Kirkuk"
    assert next(o for o in p["objectives"] if o["objective"] == "oil")["evidence"][0]["doc_id"] == "k1"
    d = json.loads(r.stdout)
    assert {"places", "effects", "out_of_sample", "claims", "shift", "context", "notes"} <= set(d)
    assert d["out_of_sample"]["by_year"][-1]["test_year"] == 2018
    assert {"objective", "verdict", "effect", "ci_low", "ci_high", "oos_lift", "places_hold", "places_not",
            "quotes"} <= set(d["claims"][0])
    assert not any("actor's own events only" in n for n in d["notes"])  # the CLI passes every actor's events
    r = runner.invoke(app, ["explain", "--window", "2018-01..2018-12", "--db", str(db)])
    assert r.exit_code == 2 and "--actor" in r.output
    # claims from a file, and from analysis texts (the JSONL of `rasid extract`, or the texts themselves)
    claims = tmp_path / "claims.yaml"
    claims.write_text("- objective: disputed_territory\n  places: [Kirkuk, Diyala]\n  text: IS exploits the vacuum\n"
                      "- objective: oil\n", encoding="utf-8")
    extracted = tmp_path / "extract.jsonl"
    extracted.write_text(json.dumps({"kind": "motive", "doc_id": "d1", "objective": "prisoners",
                                     "sentence": "IS wants to free its members held in Hasakah.",
                                     "places": ["Al-Hasakeh"], "confidence": 0.8}) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["explain", "--actor", "IS", "--window", "2018-01..2018-12", "--boot", "0", "--format",
                            "json", "--claims", str(claims), "--claims-from", str(extracted), "--db", str(db)])
    assert r.exit_code == 0, r.output
    cl = json.loads(r.stdout)["claims"]
    assert [c["objective"] for c in cl] == ["disputed_territory", "oil", "prisoners"]
    assert cl[0]["quotes"][0]["quote"] == "IS exploits the vacuum" and {p["place"] for p in cl[0]["places_detail"]} \
        == {"Kirkuk", "Diyala"}
    assert cl[2]["quotes"][0]["doc_id"] == "d1" and cl[2]["places_detail"][0]["place"] == "Al-Hasakeh"
    text = tmp_path / "analysis.txt"
    text.write_text("Analysts say ISIS exploits the security vacuum between the Peshmerga and federal forces in "
                    "Kirkuk.\n", encoding="utf-8")
    r = runner.invoke(app, ["explain", "--actor", "IS", "--window", "2018-01..2018-12", "--boot", "0",
                            "--claims-from", str(text), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "Claims" in r.stdout and "disputed_territory" in r.stdout and "Out of sample, rolling" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("- objective: revenge\n", encoding="utf-8")
    r = runner.invoke(app, ["explain", "--actor", "IS", "--window", "2018-01..2018-12", "--claims", str(bad),
                            "--db", str(db)])
    assert r.exit_code == 2 and "bad.yaml" in r.output and "revenge" in r.output
    r = runner.invoke(app, ["context", "--dynamic", "--window", "2017-10..2017-12", "--country", "IQ", "--format",
                            "csv", "--db", str(db)])
    assert r.exit_code == 0, r.output
    dyn = pd.read_csv(io.StringIO(r.stdout))
    assert len(dyn) == 3 * 101 and dyn.loc[dyn.unit_code == "IQG13Q04", "handover"].sum() == 1
