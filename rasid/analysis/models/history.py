"""The scored record of past forecasts that ensembles and the recalibration learn from, cut at each origin.

Each forecast (model, origin T', horizon h) is scored against its target month T' + h as soon as that
month is in the panel, and the record is *released* only to origins T >= T' + h: a model fitted at T
sees, through :meth:`History.view`, exactly the forecasts whose outcome was known at T. Scoring at
record time keeps no predictive draws in memory; the release rule is what keeps the future out (tested).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from rasid.analysis.predictive import Predictive
from rasid.analysis.scores import crps

__all__ = ["History", "HistoryView", "Entry"]


@dataclass(frozen=True)
class Entry:
    """One scored forecast of every unit: PIT bounds, predicted mean, CRPS and E|X - X'| per row."""

    origin: int
    target: int
    lo: np.ndarray
    hi: np.ndarray
    mean: np.ndarray
    crps: np.ndarray
    e_xx: np.ndarray

    @property
    def e_xy(self) -> np.ndarray:
        """E|X - y| per row (CRPS = E|X - y| - E|X - X'| / 2)."""
        return self.crps + 0.5 * self.e_xx


def _e_xx(pred: Predictive) -> np.ndarray:
    """E|X - X'| per row from the sorted draws (0 for a point mass)."""
    if pred.samples is None:
        return np.zeros(len(pred))
    m = pred.samples.shape[1]
    w = (2.0 * np.arange(1, m + 1) - m - 1) / (m * m)
    return 2.0 * (pred.samples.astype(np.float64) @ w)


class History:
    """Scored forecasts per (model, horizon), in origin order."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], list[Entry]] = defaultdict(list)

    def record(self, name: str, origin: int, h: int, pred: Predictive, y_target: np.ndarray | None) -> None:
        """Score ``pred`` (made at ``origin`` for ``origin + h``) against ``y_target``; None: not observed."""
        if y_target is None:
            return
        y = np.asarray(y_target, dtype=np.float64)
        lo, hi = pred.cdf_bounds(y)
        f32 = np.float32
        self._entries[(name, h)].append(Entry(origin, origin + h, lo.astype(f32), hi.astype(f32),
                                              pred.mean.astype(f32), crps(pred, y).astype(f32),
                                              _e_xx(pred).astype(f32)))

    def prune(self, before: int) -> None:
        """Forget forecasts made at origins before ``before`` (beyond every learning window)."""
        for key, items in self._entries.items():
            if items and items[0].origin < before:
                self._entries[key] = [e for e in items if e.origin >= before]

    def view(self, origin: int) -> HistoryView:
        """What a model fitted at ``origin`` may see: forecasts whose target month is <= ``origin``."""
        return HistoryView(self, origin)


class HistoryView:
    """The part of a :class:`History` released by one origin."""

    def __init__(self, history: History | None, origin: int) -> None:
        self._h = history
        self.origin = origin

    def entries(self, name: str, h: int, since: int | None = None) -> list[Entry]:
        """Released entries of (name, h), from origins >= ``since`` (None: all)."""
        if self._h is None:
            return []
        lo = -1 if since is None else since
        return [e for e in self._h._entries.get((name, h), ()) if e.target <= self.origin and e.origin >= lo]

    def pooled(self, name: str, h: int, since: int | None = None) -> dict[str, np.ndarray]:
        """Released rows of (name, h) from origins >= ``since``, concatenated (empty arrays if none)."""
        es = self.entries(name, h, since)
        keys = ("lo", "hi", "mean", "crps", "e_xx")
        if not es:
            return {k: np.zeros(0) for k in keys}
        return {k: np.concatenate([getattr(e, k) for e in es]).astype(np.float64) for k in keys}
