"""Backtest scores match the reference libraries; rolling origins never look ahead; the scorecard; CLI end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import properscoring as ps
import pytest
import scoringrules as sr
from sklearn.metrics import brier_score_loss
from typer.testing import CliRunner

from rasid.analysis.backtest import (
    IGN_BINS,
    backtest,
    brier_score,
    coverage,
    crps,
    crps_samples,
    log_score,
)
from rasid.analysis.forecast import ForecastConfig, forecast
from rasid.analysis.forecast_baselines import Predictive
from rasid.analysis.spec import PanelSpec
from rasid.cli import app
from tests.conftest import BUNDLED_GED

runner = CliRunner()


def _ensembles(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.negative_binomial(0.8, 0.2, size=(300, 97)).astype(float)
    y = rng.negative_binomial(0.8, 0.2, size=300).astype(float)
    return x, y


def test_forecast_crps_matches_properscoring_and_scoringrules() -> None:
    x, y = _ensembles()
    ours = crps_samples(x, y)
    assert np.allclose(ours, ps.crps_ensemble(y, x), atol=1e-9)
    assert np.allclose(ours, sr.crps_ensemble(y, x, estimator="nrg"), atol=1e-9)
    assert np.allclose(crps(Predictive(x.mean(1), x), y), ours)
    # point masses: CRPS is the absolute error, as for a one-member ensemble
    p = Predictive(np.array([0.0, 3.5, 10.0]))
    assert np.allclose(crps(p, np.array([2.0, 3.5, 4.0])), ps.crps_ensemble([2.0, 3.5, 4.0], [[0.0], [3.5], [10.0]]))


def test_forecast_crps_known_values() -> None:
    assert crps_samples(np.array([[0.0, 0.0, 0.0]]), np.array([4.0]))[0] == 4.0
    # ensemble {0, 2}, y = 1: E|X-y| = 1, E|X-X'|/2 = 0.5
    assert crps_samples(np.array([[2.0, 0.0]]), np.array([1.0]))[0] == pytest.approx(0.5)


def test_forecast_log_score_is_binned_ignorance() -> None:
    x, y = _ensembles(1)
    ours = log_score(Predictive(x.mean(1), x), y)
    edges = np.append(IGN_BINS, np.inf)
    for i in range(0, 300, 37):  # ViEWS ignorance: histogram over the bins, one pseudo-count per bin
        counts = np.histogram(x[i], bins=edges)[0] + 1
        b = np.searchsorted(edges, y[i], side="right") - 1
        assert ours[i] == pytest.approx(-np.log2(counts[b] / counts.sum()))
    # a sharp correct forecast beats a sharp wrong one
    good, bad = Predictive(np.array([3.0]), np.full((1, 100), 3.0)), Predictive(np.array([30.0]), np.full((1, 100), 30.0))
    assert log_score(good, np.array([3.0]))[0] < log_score(bad, np.array([3.0]))[0]


def test_forecast_brier_and_coverage() -> None:
    rng = np.random.default_rng(3)
    p, o = rng.random(200), rng.random(200) < 0.3
    assert brier_score(p, o).mean() == pytest.approx(brier_score_loss(o, p))
    pred = Predictive(np.array([5.0, 5.0]), np.tile(np.arange(1, 11, dtype=float), (2, 1)))  # 1..10
    assert coverage(pred, np.array([3.0, 9.0]), 0.5).tolist() == [1.0, 0.0]  # [q25, q75] = [3, 8]
    assert coverage(pred, np.array([1.0, 10.0]), 0.9).tolist() == [1.0, 1.0]


SPEC = PanelSpec(unit="admin1", countries=["IQ", "SY"])
MODELS = ["no_change", "mean12", "poisson_last", "conflictology", "glm", "ensemble"]
QUICK = ForecastConfig(window=6)  # a short learning window keeps the tests quick; the walk is the same


@pytest.fixture(scope="module")
def small_backtest(is_events):
    return backtest(is_events, SPEC, start="2016-01", end="2016-04", horizons=(1, 2), models=MODELS, n_samples=200,
                    n_boot=200, config=QUICK)


def test_forecast_backtest_summary_table(small_backtest) -> None:
    s = small_backtest.summary
    for c in ("model", "unit_level", "horizon", "n", "mse_log1p", "crps", "ign", "mis90", "brier", "coverage50",
              "coverage90", "coverage50_closed", "coverage90_closed", "pit_ks", "crps_lo", "crps_hi", "ign_lo",
              "mis90_hi", "crps_skill_vs_no_change", "crps_skill_vs_mean12_lo", "crps_skill_vs_mean12_hi",
              "crps_skill_vs_poisson_last", "crps_skill_vs_conflictology_hi"):
        assert c in s.columns
    assert len(s) == len(MODELS) * 2 and (s.n_origins == 4).all() and (s.n == 4 * 32).all()
    nc = s[s.model == "no_change"]
    # a point mass: the closed interval is one value; the PIT covers only when y equals it exactly
    assert np.allclose(nc.crps_skill_vs_no_change, 0) and (nc.coverage90_closed == nc.coverage50_closed).all()
    assert (nc.coverage50 < nc.coverage90).all() and (nc.coverage90 <= nc.coverage90_closed + 1e-12).all()
    assert (s.crps_lo <= s.crps + 1e-12).all() and (s.crps <= s.crps_hi + 1e-12).all()
    row = s[(s.model == "glm") & (s.horizon == 1)].iloc[0]
    base = s[(s.model == "no_change") & (s.horizon == 1)].iloc[0]
    assert row.crps_skill_vs_no_change == pytest.approx(1 - row.crps / base.crps)
    assert row.crps_skill_vs_no_change_lo <= row.crps_skill_vs_no_change <= row.crps_skill_vs_no_change_hi
    # the per-origin scores reproduce the summary
    sc = small_backtest.scores
    assert sc[(sc.model == "glm") & (sc.horizon == 1)].crps.mean() == pytest.approx(row.crps)


def test_forecast_backtest_no_look_ahead(is_events, small_backtest) -> None:
    """Predictions at each origin are unchanged when everything after the last target month is altered."""
    ev = is_events
    cut = pd.Timestamp("2016-07-01")  # last origin 2016-04 + horizon 2 = 2016-06
    late = ev[ev.date_start >= cut]
    fake = pd.concat([late, late]).assign(admin1_code=lambda d: d.admin1_code.sample(frac=1, random_state=0).values)
    changed = backtest(pd.concat([ev[ev.date_start < cut], fake]), SPEC, start="2016-01", end="2016-04", horizons=(1, 2),
                       models=MODELS, n_samples=200, n_boot=200, config=QUICK)
    pd.testing.assert_frame_equal(changed.predictions, small_backtest.predictions)


def test_forecast_equals_backtest_at_the_same_origin(is_events, small_backtest) -> None:
    """A live forecast walks the same origins as the backtest before it: same ensemble, same calibration."""
    fc = forecast(is_events, SPEC, as_of="2016-04", horizon=2, model="ensemble", n_samples=200, config=QUICK)
    bt = small_backtest.predictions
    bt = bt[(bt.model == "ensemble") & (bt.origin == pd.Timestamp("2016-04-01"))].sort_values(["horizon", "unit_code"])
    fc = fc.sort_values(["horizon", "unit_code"])
    # equal up to the GLM's warm starts (IRLS from another starting point stops within its tolerance)
    assert np.allclose(fc["mean"].to_numpy(), bt["mean"].to_numpy(), rtol=0.01, atol=0.02)
    for q in ("q05", "q50", "q95"):
        assert (fc[q].to_numpy() == bt[q].to_numpy()).mean() > 0.98


def test_forecast_backtest_recalibration_brings_coverage_to_nominal(is_events, small_backtest) -> None:
    raw = backtest(is_events, SPEC, start="2016-01", end="2016-04", horizons=(1, 2), models=["glm"], n_samples=200,
                   n_boot=50, config=QUICK, calibrate=False).summary
    cal = small_backtest.summary
    cal = cal[cal.model == "glm"].set_index("horizon")
    raw = raw.set_index("horizon")
    # the raw GLM's intervals are too wide (too many outcomes near the median); recalibrated, they are not
    assert (abs(cal.coverage50 - 0.5) < abs(raw.coverage50 - 0.5)).all()
    assert (cal.pit_ks < raw.pit_ks).all()


def test_forecast_backtest_writes_csv_and_png(small_backtest, tmp_path: Path) -> None:
    paths = small_backtest.write(tmp_path)
    names = {p.name for p in paths}
    assert {"backtest_summary_admin1_events.csv", "scorecard_admin1_events.csv", "calibration_admin1_events.png",
            "skill_admin1_events.png"} <= names
    card = pd.read_csv(tmp_path / "scorecard_admin1_events.csv")
    assert list(card.columns) == ["model", "unit_level", "horizon", "metric", "value", "lo", "hi", "n", "n_origins"]
    assert {"crps", "ign", "mis90", "brier", "mse_log1p", "coverage50", "coverage90", "pit_ks",
            "crps_skill_vs_poisson_last"} <= set(card.metric)
    row = card[(card.model == "ensemble") & (card.horizon == 1) & (card.metric == "crps")].iloc[0]
    s = small_backtest.summary
    assert row.value == pytest.approx(s[(s.model == "ensemble") & (s.horizon == 1)].crps.iloc[0])
    assert all(p.stat().st_size > 0 for p in paths)
    assert (tmp_path / "calibration_admin1_events.png").read_bytes()[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fc") / "fc.duckdb"
    res = runner.invoke(app, ["ingest", str(BUNDLED_GED), "--db", str(path)])
    assert res.exit_code == 0, res.output
    return path


def test_forecast_cli_csv(cli_db: Path) -> None:
    res = runner.invoke(app, ["forecast", "--db", str(cli_db), "--actor", "IS", "--country", "IQ,SY", "--unit",
                              "admin1", "--horizon", "3", "--as-of", "2018-12", "--format", "csv", "--samples", "200"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    # the earlier columns in their earlier order, then the quartiles
    assert lines[0] == "unit_code,unit_en,month,horizon,mean,q05,q50,q95,p_any,q25,q75"
    for line in lines[1:]:
        v = dict(zip(lines[0].split(","), line.split(","), strict=True))
        assert float(v["q05"]) <= float(v["q25"]) <= float(v["q50"]) <= float(v["q75"]) <= float(v["q95"])
    assert len(lines) == 1 + 3 * 32 and lines[1].split(",")[2] == "2019-01"


def test_forecast_cli_table_and_errors(cli_db: Path) -> None:
    res = runner.invoke(app, ["forecast", "--db", str(cli_db), "--actor", "IS", "--country", "IQ,SY",
                              "--model", "conflictology", "--target", "deaths"])
    assert res.exit_code == 0, res.output
    assert "2019-01..2019-03" in res.stdout
    bad = runner.invoke(app, ["forecast", "--db", str(cli_db), "--actor", "IS", "--as-of", "2030-01"])
    assert bad.exit_code == 2 and "after the last month" in bad.output


def test_forecast_cli_backtest(cli_db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["backtest", "--db", str(cli_db), "--unit", "admin1", "--actor", "IS", "--country", "IQ,SY", "--from",
                              "2018-09", "--to", "2018-12", "--horizons", "1,3", "--models", "no_change,mean12,glm",
                              "--samples", "100", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    summ = pd.read_csv(tmp_path / "backtest_summary_admin1_events.csv")
    assert set(summ.model) == {"no_change", "mean12", "glm"} and set(summ.horizon) == {1, 3}
    assert summ[summ.horizon == 3].n_origins.max() == 1  # only origin 2018-09 has a 3-month target in the data
    assert (tmp_path / "calibration_admin1_events.png").exists()
    card = pd.read_csv(tmp_path / "scorecard_admin1_events.csv")
    assert set(card.model) == {"no_change", "mean12", "glm"}
    assert "strongest simple baseline" in res.stdout
