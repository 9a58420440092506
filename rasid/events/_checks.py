"""Row validation at ingest: what a row must satisfy before the store accepts it.

Every check runs inside the one SQL pass that types the file (no second pass over the rows), and
every failure becomes ``(line, reason)``: the reason names the column and shows the value. The
store never holds a row the analyses cannot read:

* numbers are finite; integers (counts, codes) are whole; counts (deaths, wounded) are not
  negative and at most :data:`MAX_COUNT` per event; codes fit in 53 bits;
* dates parse and lie within :func:`valid_date_range` (1946-01-01 .. today + 1 year by default;
  ``RASID_DATE_MIN`` / ``RASID_DATE_MAX`` or ``rasid ingest --dates`` change it); the end is not
  before the start;
* latitude within ±90, longitude within ±180 (a swap is named as such);
* ``deaths_low <= deaths_best <= deaths_high`` where they are given: a warning by default (UCDP's
  own releases break it in a few rows per thousand), a rejection with ``strict``.

The date bounds are bound parameters (``$date_min``, ``$date_max``) of the statement.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from rasid.errors import InputError
from rasid.events._sql import ident, int_lit_sql, lit_sql

__all__ = ["Number", "COUNT", "CODE", "REAL", "MAX_COUNT", "valid_date_range", "parse_date_range",
           "number_checks_sql", "cast_checks_sql", "row_checks_sql", "estimate_checks_sql", "unparsable", "cast_value"]

COUNT, CODE, REAL = "count", "code", "real"
MAX_COUNT = 10_000_000  # deaths or wounded in one event: more is a typo or an attack on the file
_MAX_CODE = 2**53  # ids and codes: exact in a double, safe in BIGINT sums
_DATE_MIN = dt.date(1946, 1, 1)


@dataclass(frozen=True)
class Number:
    """A numeric source column: ``kind`` (count, code or real), a label for messages, sentinel codes."""

    kind: str
    label: str | None = None
    sentinels: tuple[int, ...] = ()  # e.g. GTD's -9 / -99 "unknown": stored as NULL, not rejected


def unparsable(col: str, spec: Number | None, value: str) -> str:
    """The message for a value that is not a number at all."""
    label = spec.label if spec and spec.label else col
    named = label if label == col else f"{label} ({col})"
    return f"unparsable {named}: {value}"


def parse_date_range(text: str) -> tuple[dt.date, dt.date]:
    """'1946-01-01..2030-12-31' -> dates; either side may be empty for the default."""
    if ".." not in text:
        raise InputError(f"date range {text!r} must look like 1946-01-01..2030-12-31")
    lo, hi = (s.strip() for s in text.split("..", 1))
    d_lo, d_hi = valid_date_range()
    try:
        out = (dt.date.fromisoformat(lo) if lo else d_lo, dt.date.fromisoformat(hi) if hi else d_hi)
    except ValueError as exc:
        raise InputError(f"date range {text!r}: {exc}") from exc
    if out[1] < out[0]:
        raise InputError(f"date range {text!r} ends before it starts")
    return out


def valid_date_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Accepted event dates: ``$RASID_DATE_MIN`` .. ``$RASID_DATE_MAX``, default 1946-01-01 .. today + 1 year."""
    today = today or dt.date.today()
    try:
        hi_default = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        hi_default = today.replace(year=today.year + 1, day=28)
    out = []
    for var, default in (("RASID_DATE_MIN", _DATE_MIN), ("RASID_DATE_MAX", hi_default)):
        raw = os.environ.get(var, "").strip()
        try:
            out.append(dt.date.fromisoformat(raw) if raw else default)
        except ValueError as exc:
            raise InputError(f"${var}={raw!r} is not a date (YYYY-MM-DD)") from exc
    return out[0], out[1]


def _shown_sql(col_sql: str) -> str:
    """A number as text for a message."""
    return f"regexp_replace(CAST({col_sql} AS VARCHAR), '\\.0$', '')"


def number_checks_sql(numbers: dict[str, Number], cols: set[str]) -> str:
    """The first failing check over the DOUBLE number columns present, as a message, else NULL."""
    whens = []
    for col, spec in numbers.items():
        if col not in cols:
            continue
        c_sql, name_sql = ident(col), lit_sql(col)
        shown_sql = _shown_sql(c_sql)
        whens.append(f"WHEN NOT isfinite({c_sql}) THEN {name_sql} || ' is not a finite number: ' || {shown_sql}")
        if spec.kind == REAL:
            continue
        whens.append(f"WHEN {c_sql} <> trunc({c_sql}) THEN {name_sql} || ' is not a whole number: ' || {shown_sql}")
        if spec.kind == COUNT:
            keep_sql = " AND ".join(f"{c_sql} <> {int_lit_sql(s)}" for s in spec.sentinels) or "TRUE"
            whens.append(f"WHEN {c_sql} < 0 AND {keep_sql} THEN 'negative ' || {name_sql} || ': ' || {shown_sql}")
            limit_sql = int_lit_sql(MAX_COUNT)
            why_sql = lit_sql(f" (more than {MAX_COUNT:,} in one event)")
            whens.append(f"WHEN {c_sql} > {limit_sql} THEN {name_sql} || ' is too large: ' || {shown_sql} || {why_sql}")
        else:
            whens.append(f"WHEN abs({c_sql}) > {int_lit_sql(_MAX_CODE)} THEN {name_sql} || ' is too large: ' || {shown_sql}")
    whens_sql = " ".join(whens)
    return f"CASE {whens_sql} END" if whens else "NULL"


def cast_checks_sql(numbers: dict[str, Number], cols: set[str]) -> str:
    """For text sources (JSONL, XLSX): the first number column whose text is not a number, else NULL."""
    whens = []
    for col, spec in numbers.items():
        if col not in cols:
            continue
        c_sql = ident(col)
        msg_sql = lit_sql(unparsable(col, spec, ""))
        whens.append(f"WHEN NULLIF(TRIM({c_sql}), '') IS NOT NULL AND TRY_CAST(TRIM({c_sql}) AS DOUBLE) IS NULL "
                     f"THEN {msg_sql} || left({c_sql}, 60)")
    whens_sql = " ".join(whens)
    return f"CASE {whens_sql} END" if whens else "NULL"


def row_checks_sql() -> str:
    """Checks over the canonical columns of a typed row (``_raw_date`` holds the date as written)."""
    date_sql = "coalesce(left(_raw_date, 60), CAST(date_start AS VARCHAR))"
    rng_sql = "strftime($date_min, '%Y-%m-%d') || '..' || strftime($date_max, '%Y-%m-%d')"
    return f"""CASE
      WHEN source_id IS NULL THEN 'missing event id'
      WHEN date_start IS NULL THEN 'unparsable or missing date: ' || coalesce(left(_raw_date, 60), '(empty)')
      WHEN date_start < $date_min OR date_start > $date_max
           THEN 'date ' || {date_sql} || ' outside the accepted range ' || {rng_sql}
      WHEN date_end < date_start THEN 'end date ' || CAST(date_end AS VARCHAR) || ' before start date '
           || CAST(date_start AS VARCHAR)
      WHEN date_end > $date_max THEN 'end date ' || CAST(date_end AS VARCHAR) || ' outside the accepted range '
           || {rng_sql}
      WHEN abs(lat) > 90 AND abs(lon) <= 90
           THEN 'latitude out of range: ' || CAST(lat AS VARCHAR) || ' (are latitude and longitude swapped?)'
      WHEN abs(lat) > 90 THEN 'latitude out of range: ' || CAST(lat AS VARCHAR)
      WHEN abs(lon) > 180 THEN 'longitude out of range: ' || CAST(lon AS VARCHAR)
    END"""


def estimate_checks_sql(present: set[str]) -> str:
    """``deaths_low <= deaths_best <= deaths_high`` where the reader has them, else NULL.

    UCDP's own releases break this in a few rows per thousand (the bundled GED 19.1 extract: 44
    rows low > best, 96 best > high), so a broken order is a warning by default and a rejection
    under ``strict``; ``present`` is the set of columns the reader projects.
    """
    whens = []
    for lo, hi in (("deaths_low", "deaths_best"), ("deaths_best", "deaths_high"), ("deaths_low", "deaths_high")):
        if lo in present and hi in present:
            lo_sql, hi_sql = ident(lo), ident(hi)
            first_sql = lit_sql(lo.split("_")[1] + " estimate ")
            words_sql = lit_sql(f" above the {hi.split('_')[1]} estimate ")
            whens.append(f"WHEN {lo_sql} > {hi_sql} THEN {first_sql} || CAST({lo_sql} AS VARCHAR) || {words_sql} "
                         f"|| CAST({hi_sql} AS VARCHAR)")
    whens_sql = " ".join(whens)
    return f"CASE {whens_sql} END" if whens else "NULL"


_CAST_MSG = re.compile(r'Could not convert string "(.*)" to', re.S)


def cast_value(error_message: str) -> str:
    """The offending value from a DuckDB CSV cast error message."""
    m = _CAST_MSG.search(error_message or "")
    return m.group(1)[:60] if m else "?"
