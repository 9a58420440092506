"""The trend guard: damped forecast paths and a cap on any unit's mean, applied to every non-baseline model.

Direct models fit each horizon separately, and a log-link GLM trained through a surge will happily
project a governorate from 6 to 13 events a month while the events have stopped. Two rules, applied to
the means (the whole distribution is moved by binomial thinning, so counts stay counts):

1. **Damped paths.** Beyond the first month, a unit's mean may rise above its horizon-1 mean only towards
   a level the data support, its *evidence level*: its own 12-month mean if it was active in at least
   half of those months, or its neighbours' average 3-month mean (the spatial lag of the lag features).
   Where that level is above the first month's mean, rises beyond it are damped by phi^(h-1) (phi =
   0.5); otherwise (a short spike in a quiet place) the path never rises above its first month.
2. **Cap.** No mean exceeds ``multiple`` (2) times the larger of the unit's own largest month in the last
   12, its neighbours' average 3-month mean, and 1 event (so a quiet unit may still see one).

Neighbours are those of :func:`rasid.analysis.features.panel_neighbours` (queen contiguity for admin
units, k nearest cells for the grid). Everything is computed from months up to the origin only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rasid.analysis.features import FeatureTable, panel_neighbours
from rasid.analysis.predictive import Predictive

__all__ = ["GuardConfig", "TrendGuard", "guarded_means"]


@dataclass(frozen=True)
class GuardConfig:
    """Parameters of the trend guard (documented in docs/forecasting.md)."""

    enabled: bool = True
    multiple: float = 2.0
    phi: float = 0.5
    recent: int = 12
    neighbour_months: int = 3
    floor: float = 1.0
    active_share: float = 0.5


def guarded_means(means: dict[int, np.ndarray], cap: np.ndarray, evidence: np.ndarray,
                  phi: float) -> dict[int, np.ndarray]:
    """The damped and capped mean path per horizon (``means`` must hold horizon 1)."""
    first = np.minimum(means[1], cap)
    ceiling = np.maximum(first, evidence)
    out = {}
    for h, m in means.items():
        if h == 1:
            out[h] = first
            continue
        over = np.maximum(m - ceiling, 0.0)
        damped = np.where(evidence > first, ceiling + over * phi ** (h - 1), ceiling)
        out[h] = np.minimum(np.minimum(m, damped), cap)
    return out


class TrendGuard:
    """Caps and damps the mean paths of one panel's forecasts (neighbours computed once)."""

    def __init__(self, table: FeatureTable, config: GuardConfig | None = None) -> None:
        self.config = config or GuardConfig()
        self.neighbours = panel_neighbours(table.panel)

    def levels(self, y_hist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cap, evidence level) per unit from the counts up to the origin (last column)."""
        c = self.config
        recent = y_hist[:, -c.recent:]
        own_max = recent.max(axis=1) if recent.shape[1] else np.zeros(len(y_hist))
        own_mean = recent.sum(axis=1) / c.recent
        sustained = (recent > 0).sum(axis=1) >= c.active_share * c.recent
        nb_level = self.neighbours @ (y_hist[:, -c.neighbour_months:].sum(axis=1) / c.neighbour_months)
        cap = c.multiple * np.maximum.reduce([own_max, nb_level, np.full(len(y_hist), c.floor)])
        evidence = np.maximum(np.where(sustained, own_mean, 0.0), nb_level)
        return cap, evidence

    def __call__(self, preds: dict[int, Predictive], y_hist: np.ndarray, rng: np.random.Generator
                 ) -> dict[int, Predictive]:
        """``preds`` with every mean path damped and capped (horizon 1 must be present)."""
        if not self.config.enabled:
            return preds
        cap, evidence = self.levels(y_hist)
        means = {h: p.mean for h, p in preds.items()}
        target = guarded_means(means, cap, evidence, self.config.phi)
        out = {}
        for h, p in preds.items():
            with np.errstate(divide="ignore", invalid="ignore"):
                keep = np.where(p.mean > 0, target[h] / np.where(p.mean > 0, p.mean, 1.0), 1.0)
            out[h] = p.thin(keep, rng) if np.any(keep < 1.0 - 1e-12) else p
        return out
