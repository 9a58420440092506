"""Quantile gradient boosting (``qlgbm``): the predictive distribution read off fitted quantiles, no family assumed.

One LightGBM model per probability level (0.1, 0.3, 0.5, 0.7, 0.9, 0.97) with the pinball ("quantile")
loss, on the horizon-stacked rows of ``lgbm`` and on log(1 + y): quantiles commute with monotone
transforms, so the fit is on a scale where a month of 400 deaths does not dominate, and the answer maps
back exactly. Crossing quantiles are sorted; between levels the quantile function is linear on the log
scale; below the first level it falls linearly to zero; above the last it continues as an exponential
tail on the log scale (a Pareto tail on counts) with the slope of the last two levels. Draws are the
quantile function at m stratified levels, rounded to counts. Refitted every third origin, as ``lgbm``.
"""

from __future__ import annotations

import lightgbm as lgb
import numpy as np

from rasid.analysis.models.base import ForecastModel, OriginData, register
from rasid.analysis.models.lgbm import due_rows, new_rows
from rasid.analysis.predictive import Predictive, stratified_levels

__all__ = ["QuantileGBM", "LEVELS", "quantile_draws"]

LEVELS = (0.1, 0.3, 0.5, 0.7, 0.9, 0.97)
_PARAMS = {
    "objective": "quantile", "n_estimators": 60, "learning_rate": 0.1, "num_leaves": 15, "min_child_samples": 40,
    "subsample": 0.5, "subsample_freq": 1, "colsample_bytree": 0.8, "max_bin": 63, "n_jobs": 1, "verbose": -1,
}
_MIN_TAIL = 0.05  # smallest tail slope on the log scale: a quiet unit keeps a small chance of events


def quantile_draws(q: np.ndarray, levels: tuple[float, ...], m: int) -> np.ndarray:
    """(n, m) counts from quantiles ``q`` (n, len(levels), on the log1p scale) at m stratified levels."""
    q = np.maximum(np.sort(q, axis=1), 0.0)
    lv = np.asarray(levels)
    u = stratified_levels(m)
    # below the first level: linear down to zero at u = 0 (never below zero on the log1p scale)
    slope0 = (q[:, 1] - q[:, 0]) / (lv[1] - lv[0])
    q_at0 = np.maximum(q[:, 0] - slope0 * lv[0], 0.0)
    knots = np.concatenate([[0.0], lv])
    vals = np.column_stack([q_at0, q])
    out = np.empty((q.shape[0], m))
    inner = u <= lv[-1]
    # piecewise-linear interpolation, the same knots for every row
    idx = np.clip(np.searchsorted(knots, u[inner], side="right") - 1, 0, len(knots) - 2)
    t = (u[inner] - knots[idx]) / (knots[idx + 1] - knots[idx])
    out[:, inner] = vals[:, idx] * (1 - t) + vals[:, idx + 1] * t
    # above the last level: exponential tail on the log scale, slope of the last two levels
    gap = np.log((1 - lv[-2]) / (1 - lv[-1]))
    s = np.maximum((q[:, -1] - q[:, -2]) / gap, _MIN_TAIL)
    out[:, ~inner] = q[:, -1:] + s[:, None] * np.log((1 - lv[-1]) / (1 - u[~inner]))[None, :]
    return np.floor(np.expm1(np.minimum(out, 20.0)) + 0.5)


@register("qlgbm")
class QuantileGBM(ForecastModel):
    """One LightGBM pinball-loss model per level on log1p counts; draws from the fitted quantile function."""

    label = "quantile gradient boosting"
    defaults = {"zero_keep": 0.3, "refit": 3}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._fitted_at: int | None = None

    def fit(self, data: OriginData) -> QuantileGBM:
        """One model per level on the same stacked rows (every ``refit`` origins, as ``lgbm``)."""
        due = due_rows(self, data, self._fitted_at)
        if due is None:
            return self
        data, rows = due
        self._fitted_at = data.origin
        self._models = []
        if rows.y.sum() == 0:
            return self
        target = np.log1p(rows.y)
        seed = int(data.rng.integers(0, 2**31 - 1))
        for level in LEVELS:
            mdl = lgb.LGBMRegressor(**_PARAMS, alpha=level, random_state=seed)
            mdl.fit(rows.x, target, sample_weight=rows.w)
            self._models.append(mdl)
        return self

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """Draws from each unit's quantile function per horizon."""
        n, m = data.n_units, data.n_samples
        if not self._models:
            return {h: Predictive(np.zeros(n), np.zeros((n, m))) for h in data.horizons}
        x = new_rows(data)
        q = np.column_stack([mdl.predict(x) for mdl in self._models])
        out = {}
        for i, h in enumerate(data.horizons):
            draws = quantile_draws(q[i * n:(i + 1) * n], LEVELS, m)
            out[h] = Predictive(draws.mean(axis=1), draws)
        return out
