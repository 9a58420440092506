"""Baseline forecasts as predictive distributions, after the VIEWS baselines (exact definitions, never tuned).

Every baseline is a function of each unit's own history up to the origin month T (columns
``0..T`` of the panel) and is the same for every horizon:

- ``zero``: point mass at 0.
- ``no_change`` (LOCF, persistence): point mass at y[T].
- ``poisson_last``: Poisson(y[T]) (the ViEWS prediction-challenge "last" benchmark, without its 3-month lag).
- ``mean3`` / ``mean12``: point mass at the mean of y[T-2..T] / y[T-11..T].
- ``conflictology``: ``n_samples`` draws with replacement from the unit's own y[T-11..T],
  seeded with ``numpy.random.default_rng(seed)``.

Months before the panel start count as zero.
"""

from __future__ import annotations

import numpy as np

from rasid.analysis.predictive import Predictive
from rasid.errors import ModelError

__all__ = ["Predictive", "BASELINES", "baseline_forecast"]

BASELINES = ("zero", "no_change", "poisson_last", "mean3", "mean12", "conflictology")


def baseline_forecast(name: str, history: np.ndarray, *, n_samples: int = 1000, seed: int = 0) -> Predictive:
    """Baseline ``name`` from ``history`` (units x months, last column = origin month)."""
    h = np.asarray(history, dtype=np.float64)
    if h.ndim != 2 or h.shape[1] == 0:
        raise ModelError(f"baseline {name!r} needs a units x months history with at least one month")
    last12 = _window(h, 12)
    if name == "zero":
        return Predictive(np.zeros(h.shape[0]))
    if name == "no_change":
        return Predictive(h[:, -1].copy())
    if name == "poisson_last":
        rng = np.random.default_rng(seed)
        return Predictive(h[:, -1].copy(), rng.poisson(h[:, -1][:, None], size=(h.shape[0], n_samples)))
    if name == "mean3":
        return Predictive(_window(h, 3).mean(axis=1))
    if name == "mean12":
        return Predictive(last12.mean(axis=1))
    if name == "conflictology":
        rng = np.random.default_rng(seed)
        pick = rng.integers(0, 12, size=(h.shape[0], n_samples))
        return Predictive(last12.mean(axis=1), np.take_along_axis(last12, pick, axis=1))
    raise ModelError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINES)}")


def _window(h: np.ndarray, k: int) -> np.ndarray:
    """The last k columns, zero-padded on the left when the history is shorter."""
    if h.shape[1] >= k:
        return h[:, -k:]
    return np.concatenate([np.zeros((h.shape[0], k - h.shape[1])), h], axis=1)
