"""Gradient-boosted trees with a Tweedie objective (``lgbm``), stacked over horizons, with NB draws.

Each (unit, training origin) pair enters once with one horizon drawn at random from 1..max(6, H) (the
horizons' rows share their features and have near-identical targets, so stacking them all mostly costs
time), the horizon is a feature, and 30% of the zero-target rows are kept (weight 1/0.3). The predictive
distribution is NB(mean, alpha), alpha by weighted moments on that horizon's training rows. Trees do not
extrapolate, so this model has no runaway trend of its own. The trees are refitted every third origin
(origins divisible by 3) and reused in between with each origin's new features: on a loaded two-core
machine the trees are most of the backtest's time, and a model two months old loses little.
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np

from rasid.analysis.counts import nb_alpha
from rasid.analysis.features import FIRST_ORIGIN
from rasid.analysis.models.base import ForecastModel, OriginData, register
from rasid.analysis.models.draws import nb_quantiles
from rasid.analysis.models.glm import ALPHA_RANGE
from rasid.analysis.predictive import Predictive, stratified_levels

__all__ = ["TweedieGBM", "StackedRows", "stacked_rows", "new_rows", "scheduled_fit", "due_rows", "LGBM_PARAMS"]

LGBM_PARAMS = {
    "objective": "tweedie", "tweedie_variance_power": 1.5, "n_estimators": 100, "learning_rate": 0.1,
    "num_leaves": 15, "min_child_samples": 40, "subsample": 0.5, "subsample_freq": 1, "colsample_bytree": 0.8,
    "reg_lambda": 1.0, "max_bin": 63, "n_jobs": 1, "verbose": -1,
}


@dataclass
class StackedRows:
    """Training rows stacked over horizons: features (horizon last), target, weight, horizon."""

    x: np.ndarray
    y: np.ndarray
    w: np.ndarray
    h: np.ndarray


def stacked_rows(data: OriginData, rng: np.random.Generator, zero_keep: float) -> StackedRows | None:
    """One row per (unit, training origin) with a random horizon; zero targets kept with prob ``zero_keep``.

    None when fewer than two training rows exist (no tree can be fitted).
    """
    hs = np.array(data.fit_horizons)
    origins = data.train_origins(1)
    n = data.n_units
    if not len(origins):
        return None
    h_draw = rng.choice(hs, size=len(origins) * n)
    ok = np.repeat(origins, n) + h_draw <= data.origin
    rows_o = np.repeat(origins, n)[ok]
    rows_u = np.tile(np.arange(n), len(origins))[ok]
    h_rows = h_draw[ok]
    y = data.table.panel.y[rows_u, rows_o + h_rows]
    keep = (y > 0) | (rng.random(len(y)) < zero_keep)
    thinned = keep.sum() >= 2
    if not thinned:  # a nearly empty early history: learn from every row (unweighted) rather than from one
        if len(y) < 2:
            return None
        keep[:] = True
    x = data.design(origins, h_draw)[(np.searchsorted(origins, rows_o) * n + rows_u)[keep]]
    x = np.column_stack([x, h_rows[keep].astype(np.float64)])
    y = y[keep]
    w = np.where(y > 0, 1.0, 1.0 / zero_keep) if thinned else np.ones(len(y))
    return StackedRows(x, y, w, h_rows[keep])


def scheduled_fit(model: ForecastModel, data: OriginData, fitted_at: int | None, every: int) -> OriginData | None:
    """The data to refit on, cut at the last scheduled origin (a multiple of ``every``), or None if fitted there.

    The schedule is fixed by the origins' indices, not by where a walk starts: a walk that starts between
    two scheduled origins fits as of the earlier one, with that origin's random stream, so a forecast
    and a backtest use the very same trees at the same origin. Between refits, the trees see new features.
    """
    at = max(data.origin - data.origin % max(every, 1), min(data.origin, FIRST_ORIGIN + 1))
    if fitted_at == at:
        return None
    return data if at == data.origin else data.at(at, model.stream(data, at))


def new_rows(data: OriginData) -> np.ndarray:
    """Feature rows (horizon last) of every unit at the origin for each requested horizon, horizon-major."""
    return np.vstack([np.column_stack([data.x_new(h), np.full(data.n_units, h, dtype=np.float64)])
                      for h in data.horizons])


def due_rows(model: ForecastModel, data: OriginData, fitted_at: int | None) -> tuple[OriginData, StackedRows] | None:
    """For a tree model refitted every ``refit`` origins: the data and stacked rows to fit on, or None if not due.

    Raises the data's no-history error when no unit has a row to learn from.
    """
    due = scheduled_fit(model, data, fitted_at, int(model.params["refit"]))
    if due is None:
        return None
    rows = stacked_rows(due, due.rng, float(model.params["zero_keep"]))
    if rows is None:
        raise due.no_history()
    return due, rows


@register("lgbm")
class TweedieGBM(ForecastModel):
    """LightGBM (Tweedie) mean over horizon-stacked rows; NB(mean, alpha per horizon) draws."""

    label = "gradient boosting (Tweedie)"
    defaults = {"zero_keep": 0.3, "refit": 3}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._fitted_at: int | None = None

    def fit(self, data: OriginData) -> TweedieGBM:
        """Fit the trees and the per-horizon dispersions (every ``refit`` origins; in between, reuse them)."""
        due = due_rows(self, data, self._fitted_at)
        if due is None:
            return self
        data, rows = due
        self._fitted_at = data.origin
        self._rows = rows
        self._model = None
        if rows.y.sum() == 0:
            return self
        self._model = lgb.LGBMRegressor(**LGBM_PARAMS, random_state=int(data.rng.integers(0, 2**31 - 1)))
        self._model.fit(rows.x, rows.y, sample_weight=rows.w)
        fitted = self._model.predict(rows.x)
        self._alpha = {}
        for h in data.fit_horizons:
            sel = rows.h == h
            if not sel.any():
                sel = np.ones(len(rows.y), dtype=bool)
            self._alpha[h] = nb_alpha(rows.y[sel], fitted[sel], rows.w[sel], bounds=ALPHA_RANGE)
        return self

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """NB draws around the trees' means."""
        n = data.n_units
        if self._model is None:
            return {h: Predictive(np.zeros(n), np.zeros((n, data.n_samples))) for h in data.horizons}
        mu_all = np.maximum(self._model.predict(new_rows(data)), 0.0).reshape(len(data.horizons), -1)
        lv = stratified_levels(data.n_samples)
        return {h: Predictive(mu_all[i], nb_quantiles(mu_all[i], self._alpha[h], lv))
                for i, h in enumerate(data.horizons)}
