"""Negative-binomial GLM per horizon (``glm``): the classical count regression on the shared lag features.

NB2 with log link, one fit per horizon ("direct"), by IRLS (:func:`rasid.analysis.counts.irls`). The
dispersion is the Cameron-Trivedi moment estimate from a Poisson fit (:func:`~rasid.analysis.counts.nb_alpha`),
then the NB GLM is refitted with it; coefficients are warm-started from the previous origin (the
likelihood is concave for a fixed alpha, so only the iteration count changes). A log link extrapolates
exponentially, so a predicted mean never exceeds the largest count in its training data.
"""

from __future__ import annotations

import numpy as np

from rasid.analysis.counts import irls, nb_alpha
from rasid.analysis.models.base import ForecastModel, OriginData, register
from rasid.analysis.models.draws import nb_quantiles
from rasid.analysis.predictive import Predictive, stratified_levels
from rasid.errors import ModelError

__all__ = ["NBGLM", "fit_nb_glm", "glm_mean", "ALPHA_RANGE"]

ALPHA_RANGE = (1e-3, 50.0)


def fit_nb_glm(x: np.ndarray, y: np.ndarray, warm: dict | None = None) -> tuple[np.ndarray, float, float]:
    """NB2 GLM coefficients (intercept first), alpha and the largest training count (the cap on predicted means).

    ``warm`` (optional, mutated) holds the previous fit's coefficients as starting values.
    """
    if y.sum() == 0:
        return np.r_[-20.0, np.zeros(x.shape[1])], 1.0, 0.0
    xc = np.column_stack([np.ones(len(x)), x])
    warm = warm if warm is not None else {}
    try:
        pois = irls(xc, y, 0.0, start=warm.get("pois"))
        alpha = nb_alpha(y, np.exp(np.clip(xc @ pois, -30, 15)), bounds=ALPHA_RANGE)
        params = irls(xc, y, alpha, start=warm.get("nb", pois))
    except np.linalg.LinAlgError as exc:
        raise ModelError(f"negative-binomial GLM cannot be fitted: {exc}") from exc
    if not np.all(np.isfinite(params)):
        raise ModelError("negative-binomial GLM did not converge (non-finite coefficients)")
    warm.update(pois=pois, nb=params)
    return params, alpha, float(y.max())


def glm_mean(params: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Mean of a log-link GLM at rows x (intercept first in ``params``; clipped against overflow)."""
    return np.exp(np.clip(params[0] + x @ params[1:], -30, 15))


@register("glm")
class NBGLM(ForecastModel):
    """NB2 GLM per horizon on the lag features; NB(mean, alpha) quantile draws."""

    label = "negative-binomial GLM"

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._warm: dict[int, dict] = {}
        self._fits: dict[int, tuple[np.ndarray, float, float]] = {}

    def fit(self, data: OriginData) -> NBGLM:
        """One NB GLM per requested horizon on the origins whose target is observed."""
        self._fits = {}
        fit = None
        for h in sorted(data.horizons):
            o = data.train_origins(h)
            if len(o):  # else too little history for this horizon: reuse the longest shorter one
                fit = fit_nb_glm(data.design(o, h), data.table.targets(o, h), self._warm.setdefault(h, {}))
            if fit is None:
                raise data.no_history(h)
            self._fits[h] = fit
        return self

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """NB draws around the capped GLM means."""
        out = {}
        for h in data.horizons:
            params, alpha, cap = self._fits[h]
            mu = np.minimum(glm_mean(params, data.x_new(h)), cap)
            out[h] = Predictive(mu, nb_quantiles(mu, alpha, stratified_levels(data.n_samples)))
        return out
