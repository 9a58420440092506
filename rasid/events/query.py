"""The one query module: event filters as Ibis expressions, so the same pipeline runs on any backend.

Filters resolve names to codes up front (admin units by code, English or Arabic name; actors by
canonical id or any known spelling) and raise :class:`QueryError` with the valid choices when a
name matches nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from rasid.errors import QueryError
from rasid.events.actors import canonical_actor
from rasid.events.schema import COLUMNS
from rasid.events.window import Window, parse_month, parse_month_window
from rasid.geo.admin import admin_units
from rasid.geo.geocoder import geocode
from rasid.lang.normalize import normalize_name

__all__ = ["EventFilter", "events_expr", "to_frame", "parse_month", "parse_month_window", "resolve_units",
           "Window"]


@dataclass
class EventFilter:
    """Which events: every field is optional and fields combine with AND (values within a field with OR)."""

    actors: list[str] | None = None
    countries: list[str] | None = None
    admin1: list[str] | None = None
    admin2: list[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_types: list[str] | None = None
    sources: list[str] | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def for_window(cls, window: Window | None, **kw) -> EventFilter:
        """A filter whose ``since``/``until`` are the window's days (None: the whole range)."""
        return cls(since=window.start if window else None, until=window.end if window else None, **kw)


def _fold(s: str) -> str:
    return re.sub(r"[^0-9a-z\u0600-\u06ff]", "", normalize_name(s))


def resolve_units(names: list[str], level: str) -> list[str]:
    """Admin codes for codes or names (English/Arabic, spelling variants folded)."""
    units = admin_units(level)
    by_key: dict[str, str] = {}
    for row in units.itertuples():
        for v in (row.unit_code, row.unit_en, row.unit_ar):
            if isinstance(v, str):
                by_key.setdefault(_fold(v), row.unit_code)
                by_key.setdefault(v.lower(), row.unit_code)
    out = []
    for n in names:
        code = by_key.get(n.lower()) or by_key.get(_fold(n))
        if code is None:
            cands = [c for c in geocode(n) if getattr(c, f"{level}_code", None)]
            code = getattr(cands[0], f"{level}_code") if cands else None
        if code is None:
            raise QueryError(f"unknown {level} {n!r}; give a code such as {units.unit_code.iloc[0]} or a name "
                             f"such as {units.unit_en.iloc[0]}")
        out.append(code)
    return out


def events_expr(t, flt: EventFilter, columns: list[str] | None = None):
    """Ibis expression selecting the filtered events, ordered by date and id."""
    preds = []
    if flt.actors:
        ids = sorted({canonical_actor(a) or a for a in flt.actors})
        a1 = t.actor1_id.split(", ")
        a2 = t.actor2_id.split(", ")
        preds.append(a1.intersect(ids).length() > 0)
        preds[-1] = preds[-1] | (a2.intersect(ids).length() > 0)
    if flt.countries:
        preds.append(t.country.isin([c.strip().upper() for c in flt.countries]))
    if flt.admin1:
        preds.append(t.admin1_code.isin(resolve_units(flt.admin1, "admin1")))
    if flt.admin2:
        preds.append(t.admin2_code.isin(resolve_units(flt.admin2, "admin2")))
    if flt.since:
        preds.append(t.date_start >= flt.since)
    if flt.until:
        preds.append(t.date_start <= flt.until)
    if flt.event_types:
        preds.append(t.event_type.isin(flt.event_types))
    if flt.sources:
        preds.append(t.source.isin(flt.sources))
    expr = t.filter(*preds) if preds else t
    expr = expr.order_by([expr.date_start, expr.event_id])
    return expr.select(columns or COLUMNS)


def to_frame(expr) -> pd.DataFrame:
    """Execute to pandas with dates as datetime64 and integer columns as nullable Int64."""
    df = expr.to_pyarrow().to_pandas(types_mapper=_types_mapper)
    for c in ("date_start", "date_end"):
        if c in df:
            df[c] = pd.to_datetime(df[c])
    return df


def _types_mapper(pa_type):
    if pa.types.is_integer(pa_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(pa_type):
        return pd.BooleanDtype()
    return None
