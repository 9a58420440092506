"""Events to a long unit x period table (admin1, admin2 or PRIO-GRID cells; weeks, months or quarters).

Every unit of the region and every period of the window is present (zeros filled), so focus,
hotspot and forecast models see the places where nothing happened too. An event is counted at
a level only if the source located it at least that precisely: an event placed at a governorate
centroid (UCDP where_prec 4) counts for its governorate but for no district or grid cell.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from rasid.analysis.spec import MEASURES, PERIODS, PanelSpec, period_start
from rasid.errors import QueryError
from rasid.geo.units import unit_frame

__all__ = ["aggregate", "event_units", "LONG_COLUMNS"]

# geo_precision values too coarse for each unit level
_TOO_COARSE = {
    "admin1": {"country", "other"},
    "admin2": {"admin1", "region", "country", "other"},
    "grid": {"admin1", "region", "country", "other"},
}
_KEY = {"admin1": "admin1_code", "admin2": "admin2_code", "grid": "priogrid_gid"}
LONG_COLUMNS = ["unit_code", "unit_en", "unit_ar", "country", "admin1_code", "period", *MEASURES]


def _range(events: pd.DataFrame, spec: PanelSpec) -> tuple[pd.Timestamp, pd.Timestamp]:
    if spec.window is not None:
        return pd.Timestamp(spec.window.start), pd.Timestamp(spec.window.end)
    dates = pd.to_datetime(events["date_start"]) if len(events) else pd.Series([], dtype="datetime64[ns]")
    if not len(dates) or pd.isna(dates.min()):
        raise QueryError("no events and no window given: cannot choose the periods")
    return dates.min(), dates.max()


def event_units(events: pd.DataFrame, unit: str) -> pd.Series:
    """Each event's unit code at ``unit`` level (NA when the source located it too coarsely for that level)."""
    key = events[_KEY[unit]]
    codes = key.astype("Int64").astype("string") if unit == "grid" else key.astype("string")
    if "geo_precision" in events:
        codes = codes.mask(events.geo_precision.isin(_TOO_COARSE[unit]))
    return codes


def aggregate(events: pd.DataFrame, spec: PanelSpec, *, units: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Long table :data:`LONG_COLUMNS`, one row per unit and period of ``spec`` (window default: the events' range).

    ``units`` overrides the region's unit frame (a prepared :func:`rasid.geo.units.unit_frame`).
    """
    uf = units if units is not None else unit_frame(spec.unit, spec.countries)
    lo, hi = _range(events, spec)
    periods = pd.period_range(lo, hi, freq=PERIODS[spec.period]).start_time
    ev = events.assign(unit_code=event_units(events, spec.unit).astype(object))
    ev = ev[ev.unit_code.isin(set(uf.unit_code))]
    ev = ev.assign(period=period_start(ev["date_start"], spec.period),
                   day=pd.to_datetime(ev["date_start"]).dt.normalize())
    ev = ev[ev.period.isin(periods)]
    g = ev.groupby(["unit_code", "period"])
    agg = pd.DataFrame({
        "events": g.size(),
        "deaths_best": g["deaths_best"].sum(min_count=1) if "deaths_best" in ev else np.nan,
        "deaths_low": g["deaths_low"].sum(min_count=1) if "deaths_low" in ev else np.nan,
        "deaths_high": g["deaths_high"].sum(min_count=1) if "deaths_high" in ev else np.nan,
        "wounded": g["wounded"].sum(min_count=1) if "wounded" in ev else np.nan,
        "active_days": g["day"].nunique(),
    })
    full = pd.MultiIndex.from_product([uf.unit_code, periods], names=["unit_code", "period"])
    out = agg.reindex(full).reset_index()
    out["events"] = out["events"].fillna(0).astype("int64")
    out["active_days"] = out["active_days"].fillna(0).astype("int64")
    for c in ("deaths_best", "deaths_low", "deaths_high"):
        out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype("int64")
    out["wounded"] = pd.to_numeric(out["wounded"], errors="coerce").astype("Float64")  # unknown stays NA
    labels = pd.DataFrame(uf.drop(columns="geometry"))[["unit_code", "unit_en", "unit_ar", "country", "admin1_code"]]
    out = out.merge(labels, on="unit_code", how="left")
    return out[LONG_COLUMNS].sort_values(["unit_code", "period"]).reset_index(drop=True)
