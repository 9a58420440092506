"""The ensemble (``ensemble``): a linear pool of models and baselines, weighted by their past CRPS.

At each origin T and horizon h the weights minimise the CRPS the pool *would have had* on the forecasts
released by T (the 12 latest released origins, T-h-11..T-h, every unit). The CRPS of a mixture is quadratic in its weights,

    CRPS(sum_k w_k F_k, y) = sum_k w_k E|X_k - y| - 1/2 sum_kl w_k w_l E|X_k - X_l|,

so the terms E|X_k - y| (from the scored history) and E|X_k - X_l| (from the components' draws, kept
as 100-point quantile sketches) give the weights as a small convex problem on the simplex, shrunk 10%
towards equal weights. Before any forecast is released the weights are equal. The pool's draws take
round(w_k m) stratified quantiles of each component.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from rasid.analysis.models.base import ForecastModel, OriginData, register
from rasid.analysis.models.history import HistoryView
from rasid.analysis.predictive import Predictive

__all__ = ["Ensemble", "pool", "mean_abs_differences", "crps_weights"]


def mean_abs_differences(sketches: list[np.ndarray]) -> np.ndarray:
    """(K, K) mean over rows of E|X_k - X_l|, X_k and X_l independent and uniform on row i of sketch k and l.

    Exact, through the merged CDFs: E|X - Y| = integral of F(1 - G) + G(1 - F), a sum over the gaps
    between the K sketches' pooled values (each CDF is constant on a gap).
    """
    sk = np.stack([np.asarray(s, dtype=np.float64) for s in sketches], axis=1)  # (n, K, S)
    n, k, s = sk.shape
    flat = sk.reshape(n, k * s)
    order = np.argsort(flat, axis=1, kind="stable")
    v = np.take_along_axis(flat, order, axis=1)
    gaps = np.diff(v, axis=1)  # (n, M); a tied value leaves a zero gap, so its CDF value does not matter
    owner = order // s
    cdf = np.stack([np.cumsum(owner == j, axis=1)[:, :-1] for j in range(k)], axis=1) / s  # (n, K, M)
    a = np.einsum("nkm,nm->k", cdf, gaps) / n
    c = np.matmul(cdf * gaps[:, None, :], cdf.transpose(0, 2, 1)).mean(axis=0)
    return a[:, None] + a[None, :] - 2.0 * c


def crps_weights(a: np.ndarray, b: np.ndarray, shrink: float = 0.0) -> np.ndarray:
    """Simplex weights minimising w.a - w'Bw/2 (the mean CRPS of the pool), shrunk towards equal weights."""
    k = len(a)
    eq = np.full(k, 1.0 / k)
    b = (b + b.T) / 2
    ones = np.ones(k)
    res = minimize(lambda w: w @ a - 0.5 * w @ b @ w, eq, jac=lambda w: a - b @ w, method="SLSQP",
                   bounds=[(0.0, 1.0)] * k,
                   constraints=({"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: ones},),
                   options={"maxiter": 200, "ftol": 1e-12})
    w = np.clip(res.x if res.success else eq, 0.0, None)
    w = w / w.sum() if w.sum() > 0 else eq
    return (1 - shrink) * w + shrink * eq


def pool(preds: list[Predictive], weights: np.ndarray, m: int) -> Predictive:
    """Linear pool: round(w_k m) stratified draws of each component (largest remainders), exact mixture mean."""
    w = np.asarray(weights, dtype=np.float64)
    raw = w * m
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts), kind="stable")[: m - counts.sum()]] += 1
    parts = []
    for p, c in zip(preds, counts, strict=True):
        if c == 0:
            continue
        s = p.samples if p.samples is not None else p.mean[:, None].astype(np.float32)
        idx = ((np.arange(c) + 0.5) * s.shape[1] / c).astype(int)
        parts.append(s[:, idx])
    mean = sum(wk * p.mean for wk, p in zip(w, preds, strict=True))
    return Predictive(mean, np.concatenate(parts, axis=1))


@register("ensemble")
class Ensemble(ForecastModel):
    """CRPS-weighted linear pool of the learned models and the two probabilistic baselines."""

    label = "ensemble (CRPS-weighted)"
    components = ("glm", "lgbm", "hurdle", "qlgbm", "poisson_last", "conflictology")
    defaults = {"shrink": 0.1, "sketch": 100}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._cross: dict[tuple[int, int], np.ndarray] = {}
        self.weights: dict[int, np.ndarray] = {}

    def fit(self, data: OriginData) -> Ensemble:
        """Record this origin's cross terms, then weigh the components on the released history."""
        comps = self.components
        size = int(self.params["sketch"])
        window = data.learn_window
        for h in data.horizons:
            self._cross[(data.origin, h)] = mean_abs_differences([data.inputs[c][h].sketch(size) for c in comps])
        for key in [k for k in self._cross if k[0] < data.origin - window - max(data.horizons)]:
            del self._cross[key]
        self.weights = {}
        for h in data.horizons:
            since = data.origin - h - window + 1  # the ``window`` latest origins released at this horizon
            per = [{e.origin: e for e in data.history.entries(c, h, since)} for c in comps]
            common = sorted(set.intersection(*(set(p) for p in per)) & {o for o, hh in self._cross if hh == h})
            if not common:
                self.weights[h] = np.full(len(comps), 1.0 / len(comps))
                continue
            a = np.array([np.mean(np.concatenate([p[o].e_xy for o in common])) for p in per])
            b = np.mean([self._cross[(o, h)] for o in common], axis=0)
            self.weights[h] = crps_weights(a, b, float(self.params["shrink"]))
        return self

    def calibration_pairs(self, view: HistoryView, h: int, since: int) -> dict[str, np.ndarray]:
        """The PITs the pool *with today's weights* would have had: the mixture CDF is the weighted sum of the
        components' CDFs, so its PIT bounds are the weighted sums of theirs (on origins all components share).

        The recalibration then matches the pool it is applied to, and does not depend on the ensemble's own
        earlier weights (so a forecast needs only one learning window of earlier origins).
        """
        w = self.weights.get(h)
        per = [{e.origin: e for e in view.entries(c, h, since)} for c in self.components]
        common = sorted(set.intersection(*(set(p) for p in per)))
        keys = ("lo", "hi", "mean", "crps", "e_xx")
        if w is None or not common:
            return {k: np.zeros(0) for k in keys}
        out = {k: sum(wk * np.concatenate([getattr(p[o], k) for o in common]).astype(np.float64)
                      for wk, p in zip(w, per, strict=True)) for k in ("lo", "hi", "mean")}
        out["crps"] = out["e_xx"] = np.full(len(out["lo"]), np.nan)  # not defined for the re-weighted pool
        return out

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """The weighted pool of the components' forecasts at this origin."""
        return {h: pool([data.inputs[c][h] for c in self.components], self.weights[h], data.n_samples)
                for h in data.horizons}
