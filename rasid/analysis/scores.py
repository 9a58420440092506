"""Proper scores of count forecasts, as in the ViEWS prediction challenge, plus PIT-based calibration checks.

Per unit-month, for a :class:`~rasid.analysis.predictive.Predictive` and the observed count ``y``:

- ``crps``: ensemble CRPS, E|X - y| - E|X - X'| / 2 (the "nrg" form of ``properscoring.crps_ensemble`` and
  ``scoringrules.crps_ensemble``); |mean - y| for a point mass;
- ``ign``: ViEWS ignorance, -log2 of the binned predictive probability of y with one pseudo-count per bin
  (:data:`IGN_BINS`; a point mass counts as 1000 draws);
- ``mis90``: interval score of the central 90% interval (Gneiting & Raftery 2007), the ViEWS "MIS" when
  averaged; bounds are the samples' 5% and 95% quantiles with linear interpolation, as ViEWS computes them;
- ``brier``: (P(y >= 1) - 1[y >= 1])^2;
- ``mse_log1p``: (log1p(mean) - log1p(y))^2;
- ``coverage50`` / ``coverage90``: the probability that the *randomised PIT* of y falls in the central
  50% / 90% band. For a calibrated count forecast this equals the nominal level exactly, however many
  zeros there are; ``coverage50_closed`` / ``coverage90_closed`` (y inside the integer quantiles
  [q25, q75] / [q05, q95]) cannot: a closed interval of counts holds at least its nominal probability and
  [0, 0] holds every quiet month, so they over-cover by construction where most months are zero.

The randomised PIT of a count y under F is uniform on [F(y-1), F(y)] (Czado, Gneiting & Held 2009);
:func:`pit_ks` is the Kolmogorov-Smirnov distance of the pooled (non-randomised) PIT distribution from
the uniform, and :func:`pit_histogram` its histogram: flat is calibrated.
"""

from __future__ import annotations

import numpy as np

from rasid.analysis.predictive import Predictive

__all__ = ["IGN_BINS", "ROW_SCORES", "crps_samples", "crps", "log_score", "ign", "interval_score", "brier_score",
           "coverage", "pit_coverage", "pit_cdf", "pit_ks", "pit_histogram", "row_scores"]

IGN_BINS = np.array([0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5])
#: the per-row scores :func:`row_scores` returns, in this order
ROW_SCORES = ["mse_log1p", "crps", "ign", "mis90", "brier", "coverage50", "coverage90", "coverage50_closed",
              "coverage90_closed"]
_POINT_MASS_SIZE = 1000  # ensemble size a point mass stands for in the binned ignorance score
_KS_GRID = np.linspace(0.0, 1.0, 2001)


def crps_samples(samples: np.ndarray, y: np.ndarray, *, is_sorted: bool = False) -> np.ndarray:
    """Ensemble CRPS per row: mean|X - y| - 1/(2 m^2) sum|X_i - X_j| (O(m log m) via sorted samples)."""
    x = np.asarray(samples, dtype=np.float64)
    if not is_sorted:
        x = np.sort(x, axis=1)
    m = x.shape[1]
    yy = np.asarray(y, dtype=np.float64)[:, None]
    w = (2.0 * np.arange(1, m + 1) - m - 1) / (m * m)
    return np.abs(x - yy).mean(axis=1) - x @ w


def crps(pred: Predictive, y: np.ndarray) -> np.ndarray:
    """CRPS of a predictive (samples, or |mean - y| for a point mass)."""
    if pred.samples is None:
        return np.abs(pred.mean - y)
    return crps_samples(pred.samples, y, is_sorted=True)


def log_score(pred: Predictive, y: np.ndarray) -> np.ndarray:
    """Binned ignorance (bits): -log2((samples in y's bin + 1) / (m + n_bins))."""
    nb = len(IGN_BINS)
    ybin = np.searchsorted(IGN_BINS, np.asarray(y, dtype=np.float64), side="right") - 1
    if pred.samples is None:
        m = _POINT_MASS_SIZE
        hits = (np.searchsorted(IGN_BINS, pred.mean, side="right") - 1 == ybin) * m
    else:
        m = pred.samples.shape[1]
        lo = IGN_BINS[ybin]
        hi = np.append(IGN_BINS[1:], np.inf)[ybin]
        s = pred.samples
        hits = np.sum(s < hi[:, None], axis=1) - np.sum(s < lo[:, None], axis=1)
    return -np.log2((hits + 1.0) / (m + nb))


ign = log_score


def _linear_quantile(sorted_samples: np.ndarray, q: float) -> np.ndarray:
    """numpy's default ('linear') quantile of each sorted row."""
    m = sorted_samples.shape[1]
    pos = q * (m - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, m - 1)
    frac = pos - lo
    return sorted_samples[:, lo] * (1 - frac) + sorted_samples[:, hi] * frac


def interval_score(pred: Predictive, y: np.ndarray, level: float = 0.9) -> np.ndarray:
    """Interval score of the central ``level`` interval: width + (2/alpha) * distance outside it."""
    alpha = 1.0 - level
    y = np.asarray(y, dtype=np.float64)
    if pred.samples is None:
        lo = hi = pred.mean
    else:
        s = pred.samples.astype(np.float64)
        lo, hi = _linear_quantile(s, alpha / 2), _linear_quantile(s, 1 - alpha / 2)
    return (hi - lo) + (2 / alpha) * np.maximum(lo - y, 0.0) + (2 / alpha) * np.maximum(y - hi, 0.0)


def brier_score(p: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """(p - outcome)^2 per row."""
    return (np.asarray(p, dtype=np.float64) - np.asarray(outcome, dtype=np.float64)) ** 2


def coverage(pred: Predictive, y: np.ndarray, level: float) -> np.ndarray:
    """1 where y lies in the closed central ``level`` interval [q_(1-level)/2, q_(1+level)/2], else 0."""
    q = pred.quantiles(((1 - level) / 2, (1 + level) / 2))
    return ((y >= q[:, 0]) & (y <= q[:, 1])).astype(np.float64)


def pit_coverage(lo: np.ndarray, hi: np.ndarray, level: float) -> np.ndarray:
    """P(randomised PIT in the central ``level`` band) per row, the PIT being uniform on [lo, hi]."""
    a, b = (1 - level) / 2, (1 + level) / 2
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    width = hi - lo
    overlap = np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(width > 0, overlap / np.where(width > 0, width, 1.0), ((lo >= a) & (lo <= b)).astype(float))
    return frac


def pit_cdf(lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Pooled CDF of the randomised PIT at ``u``: mean over rows of P(U_i <= u), U_i ~ Uniform[lo_i, hi_i].

    A row with lo == hi is a step at lo. Exact, in O((n + len(u)) log n) by prefix sums over the sorted
    bounds: sum_i F_i(u) = #{hi_i <= u} + u * sum_{lo_i < u < hi_i} 1/w_i - sum_{lo_i < u < hi_i} lo_i/w_i.
    """
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    n = len(lo)
    if n == 0:
        return u.copy()
    w = hi - lo
    point = w <= 0
    total = np.zeros_like(u)
    if point.any():
        total += np.searchsorted(np.sort(lo[point]), u, side="right")
    if (~point).any():
        lo_c, hi_c, w_c = lo[~point], hi[~point], w[~point]
        total += np.searchsorted(np.sort(hi_c), u, side="right")  # rows wholly below u
        o_lo, o_hi = np.argsort(lo_c), np.argsort(hi_c)
        inv_lo = np.concatenate([[0.0], np.cumsum(1.0 / w_c[o_lo])])
        lw_lo = np.concatenate([[0.0], np.cumsum(lo_c[o_lo] / w_c[o_lo])])
        inv_hi = np.concatenate([[0.0], np.cumsum(1.0 / w_c[o_hi])])
        lw_hi = np.concatenate([[0.0], np.cumsum(lo_c[o_hi] / w_c[o_hi])])
        a = np.searchsorted(lo_c[o_lo], u, side="left")   # rows with lo < u
        b = np.searchsorted(hi_c[o_hi], u, side="right")  # rows with hi <= u (not partial)
        total += u * (inv_lo[a] - inv_hi[b]) - (lw_lo[a] - lw_hi[b])
    return np.clip(total / n, 0.0, 1.0)


def pit_ks(lo: np.ndarray, hi: np.ndarray) -> float:
    """Kolmogorov-Smirnov distance between the pooled randomised-PIT distribution and the uniform (0 = flat).

    Uses the non-randomised PIT CDF (the expectation over the randomisation), so it is deterministic;
    evaluated on a grid of 2001 points (error below 0.0005).
    """
    if len(lo) == 0:
        return float("nan")
    return float(np.max(np.abs(pit_cdf(lo, hi, _KS_GRID) - _KS_GRID)))


def pit_histogram(lo: np.ndarray, hi: np.ndarray, bins: int = 10) -> np.ndarray:
    """Expected share of randomised PIT values in each of ``bins`` equal bins of [0, 1] (flat = 1/bins each)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    return np.diff(pit_cdf(lo, hi, edges))


def row_scores(pred: Predictive, y: np.ndarray) -> dict[str, np.ndarray]:
    """Every score of :data:`ROW_SCORES` per unit-month, plus the PIT bounds ``pit_lo`` / ``pit_hi``."""
    y = np.asarray(y, dtype=np.float64)
    lo, hi = pred.cdf_bounds(y)
    return {
        "mse_log1p": (np.log1p(np.maximum(pred.mean, 0)) - np.log1p(y)) ** 2,
        "crps": crps(pred, y),
        "ign": log_score(pred, y),
        "mis90": interval_score(pred, y, 0.9),
        "brier": brier_score(pred.prob_ge(1), y >= 1),
        "coverage50": pit_coverage(lo, hi, 0.5),
        "coverage90": pit_coverage(lo, hi, 0.9),
        "coverage50_closed": coverage(pred, y, 0.5),
        "coverage90_closed": coverage(pred, y, 0.9),
        "pit_lo": lo,
        "pit_hi": hi,
    }
