"""The one panel builder: events (or a long :func:`aggregate` table) to a dense unit x period matrix.

Focus, hot spots, trends, emerging hot spots, the explanation and the forecasts all start from
:func:`build_panel`, so they count the same events in the same units over the same periods.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from rasid.analysis.aggregate import LONG_COLUMNS, aggregate
from rasid.analysis.spec import MEASURES, PERIODS, PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window
from rasid.geo.units import unit_frame

__all__ = ["Panel", "build_panel", "is_long_panel", "to_month"]

_LABELS = ["unit_code", "unit_en", "unit_ar", "country", "admin1_code", "admin1_en", "admin1_ar"]


def to_month(value: object) -> pd.Timestamp:
    """'2018-12' / a date / a Timestamp -> the Timestamp of that month's first day."""
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise QueryError(f"cannot read {value!r} as a month (YYYY-MM)") from exc
    if pd.isna(ts):
        raise QueryError(f"cannot read {value!r} as a month (YYYY-MM)")
    return ts.to_period("M").start_time


def is_long_panel(df: pd.DataFrame) -> bool:
    """Whether ``df`` is a long unit x period table (from :func:`aggregate`) rather than events."""
    return {"unit_code", "period"} <= set(df.columns) and "date_start" not in df.columns


@dataclass(frozen=True)
class Panel:
    """Dense ``y`` (units x periods) of ``spec.measure``; ``long`` keeps every measure per unit-period."""

    spec: PanelSpec
    units: pd.DataFrame
    periods: pd.DatetimeIndex
    y: np.ndarray
    long: pd.DataFrame

    @property
    def unit(self) -> str:
        """The spec's unit level."""
        return self.spec.unit

    @property
    def months(self) -> pd.DatetimeIndex:
        """The periods (named for the monthly panels of the forecasts)."""
        return self.periods

    def month_index(self, month: object) -> int:
        """Column of ``month`` in a monthly panel (QueryError if outside)."""
        m = to_month(month)
        if m < self.periods[0] or m > self.periods[-1]:
            raise QueryError(f"month {m:%Y-%m} is outside the data "
                             f"({self.periods[0]:%Y-%m}..{self.periods[-1]:%Y-%m})")
        return int(self.periods.get_loc(m))

    def matrix(self, measure: str) -> np.ndarray:
        """Dense units x periods matrix of another measure of the same panel."""
        if measure not in MEASURES:
            raise QueryError(f"unknown measure {measure!r}; expected one of {', '.join(MEASURES)}")
        wide = self.long.pivot(index="unit_code", columns="period", values=measure)
        wide = wide.reindex(index=self.units.unit_code, columns=self.periods)
        return wide.astype("float64").fillna(0.0).to_numpy()

    def wide(self) -> pd.DataFrame:
        """``y`` as a DataFrame with periods as rows and unit codes as columns."""
        return pd.DataFrame(self.y.T, index=self.periods, columns=self.units.unit_code.to_numpy())

    def totals(self, measure: str | None = None) -> pd.Series:
        """Per unit, the sum over the panel's periods."""
        m = self.y if measure is None else self.matrix(measure)
        return pd.Series(m.sum(axis=1), index=self.units.unit_code.to_numpy())


def build_panel(data: pd.DataFrame, spec: PanelSpec, *, units: gpd.GeoDataFrame | None = None) -> Panel:
    """The panel of ``spec`` from events or from a long table; window default: the data's range."""
    uf = units if units is not None else unit_frame(spec.unit, spec.countries)
    if uf.empty:
        raise QueryError(f"no {spec.unit} units for countries {', '.join(spec.countries)}")
    if is_long_panel(data):
        missing = {"period", spec.measure} - set(data.columns)
        if missing:
            raise QueryError(f"panel has no column {sorted(missing)[0]!r}")
        long = data
        if spec.window is not None:
            long = long[(long.period >= spec.window.first_month) & (long.period <= pd.Timestamp(spec.window.end))]
        uf = uf[uf.unit_code.isin(set(long.unit_code))]
        periods = pd.DatetimeIndex(sorted(long.period.unique()))
        if spec.window is None and len(periods):
            spec = spec.replace(window=Window(periods[0], _period_end(periods[-1], spec.period)))
        long = long.reindex(columns=[c for c in LONG_COLUMNS if c in long.columns] or long.columns)
    else:
        if spec.window is None:
            if not len(data):
                raise QueryError("no events and no window given: cannot choose the periods")
            d = pd.to_datetime(data["date_start"])
            spec = spec.replace(window=Window(d.min(), d.max()))
        long = aggregate(data, spec, units=uf)
        periods = pd.DatetimeIndex(pd.period_range(spec.window.start, spec.window.end,
                                                   freq=PERIODS[spec.period]).start_time)
    if not len(periods):
        raise QueryError("no periods to analyse")
    labels = pd.DataFrame(uf.drop(columns="geometry", errors="ignore"))
    labels = labels[[c for c in _LABELS if c in labels.columns]].reset_index(drop=True)
    wide = long.pivot_table(index="unit_code", columns="period", values=spec.measure, aggfunc="sum")
    wide = wide.reindex(index=labels.unit_code, columns=periods).astype("float64").fillna(0.0)
    return Panel(spec, labels, periods, wide.to_numpy(), long.reset_index(drop=True))


def _period_end(start: pd.Timestamp, period: str) -> pd.Timestamp:
    return pd.Period(start, freq=PERIODS[period]).end_time.normalize()
