"""Unit x month panels and lag features for direct multi-horizon forecasts, with no look-ahead by construction.

A feature row is indexed by (unit, origin month T) and is computed from the panel columns
``0..T`` only (trailing windows, cumulative sums, neighbour averages of the same trailing windows).
A forecast for target month ``t`` at horizon ``h`` uses the feature row of origin ``t - h``, so it
sees data up to ``t - h`` and nothing later (the "direct" approach: one fit serves all horizons,
no recursive feeding of predictions). Training rows for an origin ``T`` are pairs
``(T', h)`` with ``T' + h <= T``, so their targets are observed by ``T`` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from rasid.errors import QueryError

__all__ = ["Panel", "build_panel", "lag_features", "FEATURES", "TARGETS", "neighbour_matrix", "training_rows",
           "to_month"]

TARGETS = {"events": "events", "deaths": "deaths_best"}
FEATURES = ["y_l0", "y_l1", "y_l2", "y_m3", "y_m12", "y_m36", "active12", "since_last",
            "nb_l0", "nb_m3", "nb_m12", "region_l0", "region_m3"]
_SINCE_CAP = 60


@dataclass(frozen=True)
class Panel:
    """A dense unit x month target matrix ``y`` (rows follow ``units``, columns ``months``)."""

    unit: str
    target: str
    units: pd.DataFrame
    months: pd.DatetimeIndex
    y: np.ndarray

    def month_index(self, month: pd.Timestamp) -> int:
        """Column of ``month`` in the panel (QueryError if outside)."""
        m = to_month(month)
        if m < self.months[0] or m > self.months[-1]:
            raise QueryError(f"month {m:%Y-%m} is outside the data ({self.months[0]:%Y-%m}..{self.months[-1]:%Y-%m})")
        return int(self.months.get_loc(m))


def to_month(value: str | pd.Timestamp) -> pd.Timestamp:
    """'2018-12' / a date / a Timestamp -> the Timestamp of that month's first day."""
    try:
        return pd.Timestamp(value).to_period("M").start_time
    except (ValueError, TypeError) as exc:
        raise QueryError(f"cannot read {value!r} as a month (YYYY-MM)") from exc


def build_panel(events: pd.DataFrame, *, unit: str, target: str, countries: list[str] | None = None,
                start: str | pd.Timestamp | None = None, end: str | pd.Timestamp | None = None) -> Panel:
    """Aggregate events to the dense unit x month matrix of ``target`` ("events" or "deaths")."""
    from rasid.analysis.aggregate import aggregate, unit_frame

    if target not in TARGETS:
        raise QueryError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    if not len(events) and (start is None or end is None):
        raise QueryError("no events to forecast from")
    uf = unit_frame(unit, countries)
    if uf.empty:
        raise QueryError(f"no {unit} units for countries {countries}")
    lo = to_month(start) if start is not None else to_month(pd.to_datetime(events["date_start"]).min())
    hi = to_month(end) if end is not None else to_month(pd.to_datetime(events["date_start"]).max())
    if hi < lo:
        raise QueryError(f"month window {lo:%Y-%m}..{hi:%Y-%m} is empty")
    ev = events
    if len(ev):
        d = pd.to_datetime(ev["date_start"])
        ev = ev[(d >= lo) & (d < hi + pd.offsets.MonthBegin(1))]
    pan = aggregate(ev, unit, "month", start=lo, end=hi, units=uf)
    months = pd.DatetimeIndex(pd.period_range(lo, hi, freq="M").start_time)
    wide = pan.pivot(index="unit_code", columns="period", values=TARGETS[target])
    wide = wide.reindex(index=uf.unit_code, columns=months).fillna(0)
    units = pd.DataFrame(uf.drop(columns="geometry"))[["unit_code", "unit_en", "unit_ar", "country", "admin1_code"]]
    return Panel(unit, target, units.reset_index(drop=True), months, wide.to_numpy(dtype=np.float64))


@lru_cache(maxsize=8)
def _neighbour_matrix_cached(unit: str, codes: tuple[str, ...], countries: tuple[str, ...] | None) -> np.ndarray:
    from rasid.analysis.aggregate import unit_frame
    from rasid.analysis.spatial import row_standardised, unit_weights

    uf = unit_frame(unit, list(countries) if countries else None)
    uf = uf.set_index("unit_code").loc[list(codes)].reset_index()
    w = unit_weights(uf, unit)
    m = row_standardised(w).toarray()
    order = {c: i for i, c in enumerate(w.id_order)}
    idx = np.array([order[c] for c in codes])
    return m[np.ix_(idx, idx)]


def neighbour_matrix(panel: Panel, countries: list[str] | None = None) -> np.ndarray:
    """Row-normalised neighbour matrix over the panel's units (queen for admin units, k-NN for grid cells)."""
    ctry = tuple(sorted(c.upper() for c in countries)) if countries else None
    return _neighbour_matrix_cached(panel.unit, tuple(panel.units.unit_code), ctry)


def _trailing_mean(y: np.ndarray, k: int) -> np.ndarray:
    """Mean of columns T-k+1..T for every T (months before the panel start count as zero)."""
    cs = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(y, axis=1)], axis=1)
    hi = np.arange(1, y.shape[1] + 1)
    lo = np.maximum(hi - k, 0)
    return (cs[:, hi] - cs[:, lo]) / k


def _lag(y: np.ndarray, k: int) -> np.ndarray:
    """Column T holds y[:, T-k] (zero before the panel start)."""
    out = np.zeros_like(y)
    out[:, k:] = y[:, : y.shape[1] - k] if k else y
    return out


def _since_last(y: np.ndarray) -> np.ndarray:
    """Months since the last non-zero month up to and including T (capped)."""
    out = np.empty_like(y)
    run = np.full(y.shape[0], float(_SINCE_CAP))
    for t in range(y.shape[1]):
        run = np.where(y[:, t] > 0, 0.0, np.minimum(run + 1, _SINCE_CAP))
        out[:, t] = run
    return out


def lag_features(y: np.ndarray, neighbours: np.ndarray | None = None) -> np.ndarray:
    """Feature cube (units, months, len(FEATURES)); slice [:, T] depends on ``y[:, :T+1]`` only."""
    m3, m12, m36 = _trailing_mean(y, 3), _trailing_mean(y, 12), _trailing_mean(y, 36)
    nb = neighbours if neighbours is not None else np.zeros((y.shape[0], y.shape[0]))
    region = np.broadcast_to(y.mean(axis=0, keepdims=True), y.shape)
    region_m3 = np.broadcast_to(m3.mean(axis=0, keepdims=True), y.shape)
    cols = [y, _lag(y, 1), _lag(y, 2), m3, m12, m36, None, None, nb @ y, nb @ m3, nb @ m12, region, region_m3]
    out = np.empty((*y.shape, len(FEATURES)), dtype=np.float64)
    for i, c in enumerate(cols):
        if c is not None:
            out[:, :, i] = np.log1p(c)
    out[:, :, FEATURES.index("active12")] = _trailing_mean((y > 0).astype(np.float64), 12)
    out[:, :, FEATURES.index("since_last")] = np.log1p(_since_last(y))
    return out


def training_rows(origin: int, horizon: int, *, first: int = 11, window: int | None = None) -> np.ndarray:
    """Origins T' usable to train horizon ``horizon`` at origin ``origin``: T' + horizon <= origin."""
    hi = origin - horizon
    lo = first if window is None else max(first, hi - window + 1)
    return np.arange(lo, hi + 1) if hi >= lo else np.arange(0)
