"""The predictive distribution of a forecast for n unit-months: an exact mean plus sorted draws (or a point mass).

Every model, baseline, ensemble and recalibration in :mod:`rasid.analysis.forecast` hands one of these
on, so the quantiles, exceedance probabilities and every score are computed the same way for all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Predictive", "stratified_levels"]


def stratified_levels(m: int) -> np.ndarray:
    """The m mid-point probability levels (j + 1/2) / m, j = 0..m-1, of a stratified quantile sample."""
    return (np.arange(m) + 0.5) / m


@dataclass
class Predictive:
    """Predictive distributions for n unit-months: exact ``mean`` plus sorted ``samples`` (None = point mass)."""

    mean: np.ndarray
    samples: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.mean = np.asarray(self.mean, dtype=np.float64)
        if self.samples is not None:
            s = np.asarray(self.samples, dtype=np.float32)
            if s.ndim != 2 or s.shape[0] != len(self.mean):
                raise ValueError(f"samples must be (n, m) with n = {len(self.mean)}, got {s.shape}")
            self.samples = s if bool(np.all(s[:, 1:] >= s[:, :-1])) else np.sort(s, axis=1)

    def __len__(self) -> int:
        return len(self.mean)

    @property
    def n_samples(self) -> int:
        """Ensemble size (0 for a point mass)."""
        return 0 if self.samples is None else self.samples.shape[1]

    def quantiles(self, qs: tuple[float, ...] | list[float]) -> np.ndarray:
        """(n, len(qs)) quantiles; inverse-CDF rule, so quantiles of counts are counts."""
        if self.samples is None:
            return np.repeat(self.mean[:, None], len(qs), axis=1)
        s = self.samples.shape[1]
        idx = np.clip(np.ceil(np.asarray(qs) * s).astype(int) - 1, 0, s - 1)
        return self.samples[:, idx].astype(np.float64)

    def prob_ge(self, k: float) -> np.ndarray:
        """P(Y >= k) per unit-month."""
        if self.samples is None:
            return (self.mean >= k).astype(np.float64)
        s = self.samples.shape[1]
        return (s - (self.samples < k).sum(axis=1)) / s

    def cdf_bounds(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(Y < y), P(Y <= y)) per row: the range of the randomised PIT of an observed count y."""
        y = np.asarray(y, dtype=np.float64)
        if self.samples is None:
            return (self.mean < y).astype(np.float64), (self.mean <= y).astype(np.float64)
        s = self.samples
        m = s.shape[1]
        yy = y[:, None].astype(np.float32)
        return (s < yy).sum(axis=1) / m, (s <= yy).sum(axis=1) / m

    def take(self, idx: np.ndarray) -> Predictive:
        """A subset of rows."""
        return Predictive(self.mean[idx], None if self.samples is None else self.samples[idx])

    def thin(self, keep: np.ndarray, rng: np.random.Generator) -> Predictive:
        """Binomial thinning: each counted event kept with probability ``keep`` (per row, in [0, 1]).

        The mean scales exactly by ``keep`` and the support stays on the integers; a negative binomial
        thinned this way is again negative binomial with the same shape, so thinning only moves the level.
        """
        keep = np.clip(np.asarray(keep, dtype=np.float64), 0.0, 1.0)
        rows = np.flatnonzero(keep < 1.0)
        if not len(rows):
            return self
        mean = self.mean.copy()
        mean[rows] *= keep[rows]
        if self.samples is None:
            return Predictive(mean)
        s = self.samples.copy()
        sub = s[rows].astype(np.int64)
        s[rows] = rng.binomial(np.maximum(sub, 0), keep[rows][:, None]).astype(np.float32)
        return Predictive(mean, s)

    def sketch(self, size: int = 100) -> np.ndarray:
        """(n, size) quantiles at the stratified levels: a compact stand-in for the draws (point masses repeat)."""
        if self.samples is None:
            return np.repeat(self.mean[:, None], size, axis=1).astype(np.float32)
        m = self.samples.shape[1]
        idx = np.minimum((stratified_levels(size) * m).astype(int), m - 1)
        return self.samples[:, idx]
