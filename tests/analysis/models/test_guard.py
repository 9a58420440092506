"""The trend guard: no runaway paths. A governorate with a short spike then silence gets a mean that comes down."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rasid.analysis.features import FeatureTable
from rasid.analysis.forecast import LEARNED, ForecastConfig, Forecaster
from rasid.analysis.models.guard import GuardConfig, guarded_means
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec

MAYSAN = "IQG14"  # two IS events in 2013-2015, quiet neighbours (Basra, Thi Qar, Wassit)


def test_guarded_means_rules() -> None:
    means = {1: np.array([5.0, 5.0, 5.0, 50.0]), 2: np.array([9.0, 9.0, 3.0, 60.0]), 4: np.array([13.0, 13.0, 2.0, 70.0])}
    cap = np.array([30.0, 30.0, 30.0, 20.0])
    evidence = np.array([0.0, 8.0, 0.0, 0.0])  # unit 2: a level the data support, above the first month
    out = guarded_means(means, cap, evidence, phi=0.5)
    assert out[1].tolist() == [5.0, 5.0, 5.0, 20.0]  # the cap
    assert out[2][0] == 5.0 and out[4][0] == 5.0  # no evidence: never above the first month
    assert out[2][1] == pytest.approx(8.0 + 1.0 * 0.5) and out[4][1] == pytest.approx(8.0 + 5.0 * 0.125)  # damped
    assert out[2][2] == 3.0 and out[4][2] == 2.0  # falls are kept
    assert out[4][3] == 20.0


def _spiked(is_events, series: list[float], end: str = "2016-03") -> tuple[FeatureTable, int]:
    """The governorate panel up to ``end`` (the 2016 surge elsewhere) with Maysan's last months set to ``series``."""
    panel = build_panel(is_events, PanelSpec(unit="admin1", countries=("IQ", "SY"), window=f"2004-03..{end}"))
    y = panel.y.copy()
    i = panel.units.unit_code.tolist().index(MAYSAN)
    y[i, -len(series):] = series
    return FeatureTable(dataclasses.replace(panel, y=y)), i


def _paths(table: FeatureTable, unit: int, config: ForecastConfig, models=LEARNED) -> dict[str, np.ndarray]:
    models = list(models)
    runner = Forecaster(table, models, range(1, 7), n_samples=300, config=config)
    origin = len(table.panel.months) - 1
    for o in range(runner.first_origin(origin), origin):
        runner.step(o, output=False)
    preds = runner.step(origin)
    return {m: np.array([preds[m][h].mean[unit] for h in range(1, 7)]) for m in models}


@pytest.mark.parametrize("series", [[0, 0, 0, 0, 0, 3, 7, 12],   # a short rise up to the origin
                                    [0, 0, 4, 9, 13, 0, 0, 0]])  # a spike, then three silent months
def test_short_spike_then_silence_comes_down(is_events, series) -> None:
    """Maysan in March 2016, while IS activity surged elsewhere: the learned models read the surge into a
    quiet governorate's short spike (unguarded, the GLM goes from 5 to 72 events a month in six months)."""
    table, unit = _spiked(is_events, series)
    peak = max(series)
    paths = _paths(table, unit, ForecastConfig())
    for model, path in paths.items():
        assert np.all(path <= 2 * peak + 1e-9), model  # never above twice the recent maximum
        assert np.all(path[1:] <= path[0] + 1e-9), (model, path)  # never climbs above the first month
    ens = paths["ensemble"]
    if series[-1] > 0:
        assert ens[-1] < 0.75 * ens[0], ens  # after a rise the forecast comes down
    else:
        assert ens.max() < peak / 4, ens  # after three silent months it stays well below the spike
    # the same walk without the guard climbs: the guard is what stops the runaway
    free = _paths(table, unit, ForecastConfig(guard=GuardConfig(enabled=False)), ["glm"])["glm"]
    assert free[-1] > 5 * free[0], free
