"""The one query module: event filters as Ibis expressions, and the same filters as one parameterised SQL.

Filters resolve names to codes up front (admin units by code, English or Arabic name; actors by
canonical id or any known spelling) and raise :class:`QueryError` with the valid choices when a
name matches nothing. :func:`events_expr` gives an Ibis expression to compose further;
:func:`events_sql` gives the same selection as fixed SQL text with every value a bound parameter
(what :meth:`rasid.events.Store.events` runs: no query compilation per call, and the date and code
filters reach DuckDB's zone maps). Tests check that both select the same rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import pyarrow as pa

from rasid.errors import QueryError
from rasid.events._sql import ident
from rasid.events.actors import canonical_actor
from rasid.events.schema import COLUMNS
from rasid.events.window import Window, parse_month, parse_month_window
from rasid.geo.admin import admin_units
from rasid.geo.geocoder import geocode
from rasid.lang.normalize import normalize_name

__all__ = ["EventFilter", "events_expr", "events_sql", "to_frame", "arrow_to_frame", "parse_month",
           "parse_month_window", "resolve_units", "Window"]


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


@lru_cache(maxsize=4)
def _unit_index(level: str) -> tuple[dict[str, str], str, str]:
    """Folded code/name -> unit code, and an example code and name for messages (built once per level)."""
    units = admin_units(level)
    by_key: dict[str, str] = {}
    for row in units.itertuples():
        for v in (row.unit_code, row.unit_en, row.unit_ar):
            if isinstance(v, str):
                by_key.setdefault(_fold(v), row.unit_code)
                by_key.setdefault(v.lower(), row.unit_code)
    return by_key, units.unit_code.iloc[0], units.unit_en.iloc[0]


def resolve_units(names: list[str], level: str) -> list[str]:
    """Admin codes for codes or names (English/Arabic, spelling variants folded)."""
    by_key, code_eg, name_eg = _unit_index(level)
    out = []
    for n in names:
        code = by_key.get(n.lower()) or by_key.get(_fold(n))
        if code is None:
            cands = [c for c in geocode(n) if getattr(c, f"{level}_code", None)]
            code = getattr(cands[0], f"{level}_code") if cands else None
        if code is None:
            raise QueryError(f"unknown {level} {n!r}; give a code such as {code_eg} or a name such as {name_eg}")
        out.append(code)
    return out


def _actor_ids(flt: EventFilter) -> list[str]:
    return sorted({canonical_actor(a) or a for a in flt.actors or []})


def events_expr(t, flt: EventFilter, columns: list[str] | None = None):
    """Ibis expression selecting the filtered events, ordered by date and id."""
    preds = []
    if flt.actors:
        ids = _actor_ids(flt)
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


def events_sql(flt: EventFilter, columns: list[str] | None = None) -> tuple[str, dict[str, object]]:
    """The filtered events as SQL text and its named parameters (values never enter the text).

    Only the predicates a filter uses are written, so DuckDB prunes row groups by date and code;
    a multi-valued field becomes ``col IN ($p0, $p1, ...)`` with one parameter per value.
    """
    params: dict[str, object] = {}
    where: list[str] = []

    def values_sql(prefix: str, values: list) -> str:
        names = []
        for i, v in enumerate(values):
            params[f"{prefix}{i}"] = v
            names.append(f"${prefix}{i}")
        names_sql = ", ".join(names)
        return names_sql

    if flt.actors:
        ids_sql = values_sql("a", _actor_ids(flt))
        # a coalition ("A, B, IS") matches any member; the split runs only on names with a comma
        where.append(f"(actor1_id IN ({ids_sql}) OR actor2_id IN ({ids_sql}) "
                     f"OR (contains(actor1_id, ', ') AND list_has_any(string_split(actor1_id, ', '), [{ids_sql}])) "
                     f"OR (contains(actor2_id, ', ') AND list_has_any(string_split(actor2_id, ', '), [{ids_sql}])))")
    for col, prefix, vals in (("country", "c", [c.strip().upper() for c in flt.countries or []]),
                              ("admin1_code", "u", resolve_units(flt.admin1, "admin1") if flt.admin1 else []),
                              ("admin2_code", "d", resolve_units(flt.admin2, "admin2") if flt.admin2 else []),
                              ("event_type", "t", list(flt.event_types or [])),
                              ("source", "s", list(flt.sources or []))):
        if vals:
            where.append(f"{ident(col)} IN ({values_sql(prefix, vals)})")
    if flt.since:
        params["since"] = flt.since
        where.append("date_start >= $since")
    if flt.until:
        params["until"] = flt.until
        where.append("date_start <= $until")
    cols = columns or COLUMNS
    unknown = [c for c in cols if c not in COLUMNS]
    if unknown:
        raise QueryError(f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are listed in docs/schema.md")
    cols_sql = ", ".join(ident(c) for c in cols)
    conds_sql = " AND ".join(where)
    where_sql = f" WHERE {conds_sql}" if where else ""
    return f"SELECT {cols_sql} FROM events{where_sql} ORDER BY date_start, event_id", params


def to_frame(expr) -> pd.DataFrame:
    """Execute an Ibis expression to pandas with dates as datetime64 and integer columns as nullable Int64."""
    return arrow_to_frame(expr.to_pyarrow())


def arrow_to_frame(table) -> pd.DataFrame:
    """An Arrow table of events as pandas: dates as datetime64, integers as Int64, booleans as boolean."""
    df = table.to_pandas(types_mapper=_types_mapper)
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
