"""The scorecard: skills and block-bootstrap intervals from per-origin scores, the long table, the one-line verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.analysis.scorecard import block_indices, scorecard, scorecard_verdict, summarize
from rasid.analysis.scores import ROW_SCORES
from rasid.errors import QueryError


def _scores(gap: float, noise: float = 0.05, origins: int = 30, seed: int = 0) -> pd.DataFrame:
    """Per-origin scores of a model whose CRPS is (1 - gap) times the baseline's, with noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for o in pd.date_range("2015-01-01", periods=origins, freq="MS"):
        base = 2.0 + rng.random()
        for model, crps in (("base", base), ("model", base * (1 - gap) * (1 + noise * rng.normal()))):
            rec = {"model": model, "unit_level": "admin1", "origin": o, "horizon": 1, "n": 32, "n_active": 10,
                   "crps_active": crps * 3, **{s: 0.5 for s in ROW_SCORES}}
            rec["crps"] = crps
            rows.append(rec)
    return pd.DataFrame(rows)


def test_skill_and_intervals() -> None:
    sc = _scores(0.2)
    s = summarize(sc, None, ["base"], block=3, n_boot=400, seed=0)
    m = s[s.model == "model"].iloc[0]
    crps_m, crps_b = sc[sc.model == "model"].crps.mean(), sc[sc.model == "base"].crps.mean()
    assert m.crps == pytest.approx(crps_m) and m.crps_skill_vs_base == pytest.approx(1 - crps_m / crps_b)
    assert m.crps_skill_vs_base_lo < m.crps_skill_vs_base < m.crps_skill_vs_base_hi
    assert 0.1 < m.crps_skill_vs_base_lo and m.crps_skill_vs_base_hi < 0.3
    assert m.crps_lo < m.crps < m.crps_hi and m.n == 30 * 32 and m.n_origins == 30
    card = scorecard(s)
    row = card[(card.model == "model") & (card.metric == "crps_skill_vs_base")].iloc[0]
    assert (row.value, row.lo, row.hi) == (m.crps_skill_vs_base, m.crps_skill_vs_base_lo, m.crps_skill_vs_base_hi)


def test_block_bootstrap_keeps_runs_of_origins() -> None:
    idx = block_indices(20, 4, 50, seed=1)
    assert idx.shape == (50, 20) and idx.max() < 20
    assert np.all(np.diff(idx[:, :4], axis=1) == 1)  # each block is a run of consecutive origins


@pytest.mark.parametrize(("gap", "case_en", "case_ar"), [
    (0.2, "beat the strongest", "تفوّقت"),
    (0.0, "were not clearly better", "لم تتفوّق"),
    (-0.2, "did worse than", "أسوأ من"),
])
def test_verdict_follows_the_numbers(gap, case_en, case_ar) -> None:
    s = summarize(_scores(gap, seed=2), None, ["base"], block=3, n_boot=300, seed=0)
    s["coverage90"] = 0.88
    en = scorecard_verdict(s, "en", model="model")
    ar = scorecard_verdict(s, "ar", model="model")
    assert case_en in en and "88%" in en and "30 past months" in en and "one month ahead" in en
    assert case_ar in ar and "88%" in ar and "(عددها 30)" in ar
    assert "\n" not in en and "\n" not in ar


def test_verdict_picks_the_strongest_baseline_and_rejects_nonsense() -> None:
    sc = _scores(0.2)
    weak = sc[sc.model == "base"].assign(model="weak", crps=lambda d: d.crps * 2)
    s = summarize(pd.concat([sc, weak]), None, ["base", "weak"], block=3, n_boot=100, seed=0)
    assert "(base)" in scorecard_verdict(s, "en", model="model")
    with pytest.raises(QueryError):
        scorecard_verdict(s, "fr", model="model")
    with pytest.raises(QueryError):
        scorecard_verdict(s, "en", model="nonexistent")
