"""Post-hoc recalibration of predictive distributions by their past PITs (quantile recalibration).

If a model's randomised PITs on past forecasts have distribution R instead of the uniform, then the
recalibrated forecast G = R(F) is calibrated on those forecasts (Kuleshov, Fenner & Ermon 2018; for
counts, the randomised PIT of Czado, Gneiting & Held 2009). R is fitted per model and horizon on the
forecasts released by the origin (the 12 latest released origins, T-h-11..T-h, every unit), and separately for strata
of the predicted mean, because a quiet district and a besieged city are miscalibrated differently; each
stratum's R is shrunk towards the pooled one by ``shrink`` pseudo-pairs; for counts R is refined by a
few fixed-point steps so that the *randomised* PITs of G are uniform. Draws of G are the forecast's
own sorted draws read at the levels R^-1((j + 1/2) / m), so G lives on the forecast's support (counts
stay counts). Wide intervals shrink, narrow ones widen, and P(y >= 1) = 1 - R(F(0)) is recalibrated too.

Nothing here sees an outcome the origin did not: the pairs come from :class:`~rasid.analysis.models.history.HistoryView`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rasid.analysis.predictive import Predictive, stratified_levels
from rasid.analysis.scores import pit_cdf

__all__ = ["CalibrationConfig", "Recalibration", "fit_recalibration"]


@dataclass(frozen=True)
class CalibrationConfig:
    """Strata edges on the predicted mean, shrinkage towards the pooled map, minimum pairs, fixed-point steps."""

    edges: tuple[float, ...] = (0.1, 1.0, 5.0, 20.0)
    shrink: float = 200.0
    min_pairs: int = 100
    grid: int = 401
    iterations: int = 4


@dataclass
class Recalibration:
    """The fitted maps: R per stratum of the predicted mean, on a grid of PIT values."""

    edges: np.ndarray
    u: np.ndarray
    cdf: np.ndarray  # (strata, grid)
    n_pairs: np.ndarray

    def stratum(self, mean: np.ndarray) -> np.ndarray:
        """Stratum index of each predicted mean."""
        return np.searchsorted(self.edges, np.asarray(mean, dtype=np.float64), side="right")

    def levels(self, s: int, m: int) -> np.ndarray:
        """R_s^-1 at the m stratified levels: the original-forecast levels whose draws become G's draws."""
        r = self.cdf[s] + 1e-12 * self.u  # strictly increasing for the inversion
        return np.interp(stratified_levels(m), r, self.u)

    def apply(self, pred: Predictive) -> Predictive:
        """The recalibrated forecast G = R(F) (point masses are returned unchanged)."""
        if pred.samples is None:
            return pred
        m = pred.samples.shape[1]
        strata = self.stratum(pred.mean)
        out = np.empty_like(pred.samples)
        for s in np.unique(strata):
            rows = np.flatnonzero(strata == s)
            idx = np.clip(np.ceil(self.levels(int(s), m) * m).astype(int) - 1, 0, m - 1)
            out[rows] = pred.samples[rows][:, idx]
        return Predictive(out.mean(axis=1, dtype=np.float64), out)


def _fit_map(lo: np.ndarray, hi: np.ndarray, u: np.ndarray, iterations: int) -> np.ndarray:
    """The map R on the grid ``u`` such that the PITs of G = R(F) on these pairs are (close to) uniform.

    Step one is the PIT distribution itself (quantile recalibration). For counts a PIT is a range
    [F(y-1), F(y)], and R bends inside a wide range (a quiet month's [0, 0.9]), so the recalibrated
    ranges [R(F(y-1)), R(F(y))] are not yet uniform; composing R with their distribution again fixes the
    rest in a few steps.
    """
    r = u.copy()
    for _ in range(max(iterations, 1)):
        c = pit_cdf(np.interp(lo, u, r), np.interp(hi, u, r), u)
        r = np.interp(r, u, c)
    return r


def fit_recalibration(lo: np.ndarray, hi: np.ndarray, mean: np.ndarray,
                      config: CalibrationConfig | None = None) -> Recalibration | None:
    """Fit R per stratum from past PIT bounds (``lo`` = F(y-1), ``hi`` = F(y)) and predicted means.

    None (leave forecasts as they are) when there are fewer than ``min_pairs`` pairs.
    """
    c = config or CalibrationConfig()
    lo, hi, mean = (np.asarray(a, dtype=np.float64) for a in (lo, hi, mean))
    if len(lo) < c.min_pairs:
        return None
    u = np.linspace(0.0, 1.0, c.grid)
    edges = np.asarray(c.edges, dtype=np.float64)
    pooled = _fit_map(lo, hi, u, c.iterations)
    strata = np.searchsorted(edges, mean, side="right")
    cdfs, counts = [], []
    for s in range(len(edges) + 1):
        sel = strata == s
        n = int(sel.sum())
        own = _fit_map(lo[sel], hi[sel], u, c.iterations) if n else pooled
        cdfs.append((n * own + c.shrink * pooled) / (n + c.shrink))
        counts.append(n)
    return Recalibration(edges, u, np.vstack(cdfs), np.array(counts))
