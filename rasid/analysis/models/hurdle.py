"""Hurdle count model (``hurdle``): whether anything happens, then how much, as two regressions per horizon.

* zero part: logistic regression of 1[y > 0] on the lag features (Newton/IRLS, warm-started, a small
  ridge against separation), so P(at least one) is modelled directly rather than implied by a mean;
* positive part, events: 1 + NB2(mu, alpha) fitted on the positive months (a shifted negative binomial,
  by the same IRLS and moment dispersion as ``glm``);
* positive part, deaths (and wounded): a discretised log-normal, max(1, round(exp(Z))), Z ~ N(x'b, s^2)
  by least squares on log(y) of the positive months. Deaths come in rare mass-casualty months, and a
  log-normal keeps that heavy right tail, which a negative binomial fitted to the bulk cuts short.

Like the GLM, means never exceed the largest positive count of the training data.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from rasid.analysis.models.base import ForecastModel, OriginData, register
from rasid.analysis.models.draws import hurdle_levels, lognormal_quantiles, nb_quantiles
from rasid.analysis.models.glm import fit_nb_glm, glm_mean
from rasid.analysis.predictive import Predictive, stratified_levels
from rasid.errors import ModelError

__all__ = ["Hurdle", "logit_fit", "HEAVY_TAILED"]

#: measures whose positive part is log-normal (heavy-tailed) rather than negative binomial
HEAVY_TAILED = ("deaths_best", "deaths_low", "deaths_high", "wounded")
_RIDGE = 1e-4


def logit_fit(x: np.ndarray, z: np.ndarray, start: np.ndarray | None = None, maxiter: int = 30,
              tol: float = 1e-7) -> np.ndarray:
    """Logistic regression coefficients by Newton-Raphson (x already has its intercept column).

    A ridge of 1e-4 on every coefficient keeps them finite under separation; otherwise this is the
    maximum-likelihood fit of ``sklearn.linear_model.LogisticRegression(C=np.inf)`` (unpenalised) (tested).
    """
    beta = np.zeros(x.shape[1]) if start is None else start.copy()
    ridge = _RIDGE * np.eye(x.shape[1])
    for _ in range(maxiter):
        p = expit(np.clip(x @ beta, -30, 30))
        w = np.maximum(p * (1 - p), 1e-10)
        grad = x.T @ (z - p) - _RIDGE * beta
        step = np.linalg.solve(x.T @ (x * w[:, None]) + ridge, grad)
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    if not np.all(np.isfinite(beta)):
        raise ModelError("hurdle model: the logistic part did not converge")
    return beta


def _lognormal_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Least squares of log(y) on x (intercept first): coefficients, residual sd and the largest y."""
    xc = np.column_stack([np.ones(len(x)), x])
    ly = np.log(y)
    beta = np.linalg.solve(xc.T @ xc + _RIDGE * np.eye(xc.shape[1]), xc.T @ ly)
    dof = max(len(y) - xc.shape[1], 1)
    sigma = float(np.sqrt(np.sum((ly - xc @ beta) ** 2) / dof)) if len(y) > xc.shape[1] else float(np.std(ly))
    return beta, max(sigma, 0.05), float(y.max())


@register("hurdle")
class Hurdle(ForecastModel):
    """Logistic P(y > 0) times a positive-count part (shifted NB for events, log-normal for deaths)."""

    label = "hurdle (logit x positive counts)"
    defaults = {"positive": "auto"}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._warm: dict[int, dict] = {}
        self._fits: dict[int, dict] = {}

    def _heavy(self, data: OriginData) -> bool:
        kind = self.params["positive"]
        if kind not in ("auto", "nb", "lognormal"):
            raise ModelError(f"hurdle positive part must be auto, nb or lognormal, got {kind!r}")
        return kind == "lognormal" or (kind == "auto" and data.measure in HEAVY_TAILED)

    def fit(self, data: OriginData) -> Hurdle:
        """Both parts per horizon."""
        heavy = self._heavy(data)
        self._fits = {}
        last = None
        for h in sorted(data.horizons):
            o = data.train_origins(h)
            if len(o):
                x, y = data.design(o, h), data.table.targets(o, h)
                last = self._fit_one(x, y, heavy, self._warm.setdefault(h, {}))
            if last is None:
                raise data.no_history(h)
            self._fits[h] = last
        return self

    @staticmethod
    def _fit_one(x: np.ndarray, y: np.ndarray, heavy: bool, warm: dict) -> dict:
        pos = y > 0
        if not pos.any():
            return {"logit": None}
        xc = np.column_stack([np.ones(len(x)), x])
        beta = logit_fit(xc, pos.astype(np.float64), warm.get("logit"))
        warm["logit"] = beta
        if heavy:
            b, s, cap = _lognormal_fit(x[pos], y[pos])
            return {"logit": beta, "kind": "lognormal", "beta": b, "sigma": s, "cap": cap}
        params, alpha, cap = fit_nb_glm(x[pos], y[pos] - 1.0, warm.setdefault("pos", {}))
        return {"logit": beta, "kind": "nb", "params": params, "alpha": alpha, "cap": cap}

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """Quantile draws of the hurdle: zero below 1 - P(y > 0), the positive part's quantiles above."""
        out = {}
        n, m = data.n_units, data.n_samples
        lv = stratified_levels(m)
        for h in data.horizons:
            f = self._fits[h]
            if f["logit"] is None:
                out[h] = Predictive(np.zeros(n), np.zeros((n, m)))
                continue
            x = data.x_new(h)
            p = expit(np.clip(f["logit"][0] + x @ f["logit"][1:], -30, 30))
            zero, pos_lv = hurdle_levels(p, lv)
            if f["kind"] == "nb":
                mu = np.minimum(glm_mean(f["params"], x), f["cap"])
                pos = 1.0 + nb_quantiles(mu, f["alpha"], pos_lv)
                mean_pos = 1.0 + mu
            else:
                loc = np.minimum(f["beta"][0] + x @ f["beta"][1:], np.log(max(f["cap"], 1.0)))
                # the tail stays heavy but never beyond ten times the largest month on record
                pos = lognormal_quantiles(loc, f["sigma"], pos_lv, cap=10.0 * max(f["cap"], 1.0))
                mean_pos = np.maximum(1.0, np.exp(loc + f["sigma"] ** 2 / 2))
            out[h] = Predictive(p * mean_pos, np.where(zero, 0.0, pos))
        return out
