"""Stratified quantile draws of count distributions: the m draws of a forecast are its quantiles at (j + 1/2)/m.

Reading a distribution off at evenly spread probability levels, rather than drawing at random, is
the quasi-Monte-Carlo version of sampling: the same distribution with far less Monte-Carlo noise in the
CRPS and the quantiles, already sorted, and several times faster than numpy's gamma-Poisson draws on a
panel of districts. Negative-binomial quantiles come from the exact CDF (log-gamma pmf, cumulated);
the support searched grows until every requested level is reached.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, ndtri

__all__ = ["nb_quantiles", "lognormal_quantiles", "hurdle_levels"]

_MAX_CELLS = 2_000_000  # rows x support per chunk of the CDF table


def _levels(levels: np.ndarray, n: int) -> np.ndarray:
    lv = np.asarray(levels, dtype=np.float64)
    return np.broadcast_to(lv, (n, lv.shape[-1])) if lv.ndim == 1 else lv


def _search(cdf: np.ndarray, lv: np.ndarray) -> np.ndarray:
    """Per row, the number of CDF values below each level (the inverse-CDF quantile of a 0-based support)."""
    n, k = cdf.shape
    off = 2.0 * np.arange(n)[:, None]
    pos = np.searchsorted((cdf + off).ravel(), (lv + off).ravel(), side="left").reshape(lv.shape)
    return pos - (np.arange(n) * k)[:, None]


def nb_quantiles(mu: np.ndarray, alpha: float | np.ndarray, levels: np.ndarray) -> np.ndarray:
    """(n, m) negative-binomial (NB2: variance mu + alpha mu^2) quantiles at ``levels`` (m,) or (n, m), sorted rows."""
    mu = np.maximum(np.asarray(mu, dtype=np.float64), 0.0)
    n = len(mu)
    lv = _levels(levels, n)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (n,))
    out = np.zeros(lv.shape, dtype=np.float32)
    r = 1.0 / np.maximum(alpha, 1e-8)
    with np.errstate(divide="ignore"):
        log_p0 = r * (np.log(r) - np.log(r + mu))
    top = lv.max(axis=1) if lv.shape[1] else np.zeros(n)
    todo = np.flatnonzero((mu > 0) & (np.exp(log_p0) < top))  # the rest: every requested level is at 0
    span = np.ceil(mu + 8.0 * np.sqrt(mu + alpha * mu**2) + 8.0)
    for _ in range(8):
        if not len(todo):
            break
        todo = todo[np.argsort(span[todo], kind="stable")]
        unresolved = []
        start = 0
        while start < len(todo):
            k_max = int(span[todo[start]])
            stop = start + 1
            while stop < len(todo) and (stop - start + 1) * max(k_max, int(span[todo[stop]])) <= _MAX_CELLS:
                k_max = max(k_max, int(span[todo[stop]]))
                stop += 1
            rows = todo[start:stop]
            k = np.arange(k_max + 1, dtype=np.float64)
            rr, mm = r[rows][:, None], mu[rows][:, None]
            logpmf = (gammaln(k + rr) - gammaln(rr) - gammaln(k + 1) + log_p0[rows][:, None]
                      + k * (np.log(mm) - np.log(rr + mm)))
            cdf = np.cumsum(np.exp(logpmf), axis=1)
            done = cdf[:, -1] >= top[rows] - 1e-12
            if done.any():
                out[rows[done]] = _search(cdf[done], lv[rows[done]])
            unresolved.append(rows[~done])
            start = stop
        todo = np.concatenate(unresolved) if unresolved else np.zeros(0, dtype=int)
        span[todo] *= 4
    if len(todo):  # levels beyond 8 expansions of the support: clip at its end (never reached in practice)
        out[todo] = np.minimum(out[todo], span[todo][:, None])
    return out


def lognormal_quantiles(loc: np.ndarray, sigma: float, levels: np.ndarray, cap: float | None = None) -> np.ndarray:
    """(n, m) discretised log-normal quantiles max(1, round(exp(loc + sigma z))) at ``levels``, at most ``cap``."""
    lv = _levels(levels, len(loc))
    z = np.asarray(loc, dtype=np.float64)[:, None] + sigma * ndtri(np.clip(lv, 1e-12, 1 - 1e-12))
    if cap is not None:
        z = np.minimum(z, np.log(cap))
    return np.maximum(1.0, np.floor(np.exp(np.minimum(z, 40.0)) + 0.5)).astype(np.float32)


def hurdle_levels(p_any: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a hurdle with P(y > 0) = p_any: which levels fall on zero, and the positive part's level for the rest."""
    lv = _levels(levels, len(p_any))
    p = np.clip(np.asarray(p_any, dtype=np.float64), 0.0, 1.0)[:, None]
    zero = lv <= 1.0 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(zero, 0.0, (lv - (1.0 - p)) / np.where(p > 0, p, 1.0))
    return zero, np.clip(pos, 0.0, 1.0)
