"""One time window type: parsed and checked once, at the edge, then passed everywhere as a :class:`Window`.

A window is a closed range of days ``start..end``. Users write it as ``2018-01..2018-12`` (months),
``2018-01-15..2018-03-02`` (days), ``2018`` (a year) or ``2018-06`` (a month); code builds one from a
pair of dates. Every analysis (focus, hot spots, trends, explanation, forecasts, the brief) and every
command takes this type, so the order check and the month arithmetic live here only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from rasid.errors import QueryError

__all__ = ["Window", "parse_month", "parse_month_window", "WindowLike"]

_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_REL = re.compile(r"^\s*(\d+)\s*([my])\s*$", re.IGNORECASE)


def parse_month(text: str, *, end: bool = False) -> dt.date:
    """'2018-01' -> 2018-01-01 (or 2018-01-31 with ``end``); '2018-01-15' -> that day; '2018' -> the year."""
    t = str(text).strip()
    if _YEAR.match(t):
        return dt.date(int(t), 12, 31) if end else dt.date(int(t), 1, 1)
    m = _DAY.match(t)
    if not m:
        raise QueryError(f"cannot read {text!r} as a month (YYYY-MM) or a day (YYYY-MM-DD)")
    y, mo, d = int(m[1]), int(m[2]), m[3]
    try:
        if d:
            return dt.date(y, mo, int(d))
        if end:
            return (pd.Timestamp(y, mo, 1) + pd.offsets.MonthEnd(0)).date()
        return dt.date(y, mo, 1)
    except ValueError as exc:
        raise QueryError(f"not a valid date: {text!r} ({exc})") from exc


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"cannot read {value!r} as a date") from exc
    if pd.isna(ts):
        raise QueryError(f"cannot read {value!r} as a date")
    return ts.date()


@dataclass(frozen=True, order=True)
class Window:
    """Closed range of days ``start..end`` (``end >= start``, checked on construction)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _as_date(self.start))
        object.__setattr__(self, "end", _as_date(self.end))
        if self.end < self.start:
            raise QueryError(f"window {self.start}..{self.end} ends before it starts")

    # --- construction ------------------------------------------------------------------------------------------
    @classmethod
    def parse(cls, value: WindowLike) -> Window:
        """A window from '2018-01..2018-12', '2018', '2018-06', a (start, end) pair, or a Window."""
        if isinstance(value, Window):
            return value
        if isinstance(value, str):
            text = value.strip()
            if ".." in text:
                a, b = text.split("..", 1)
                if not a.strip() or not b.strip():
                    raise QueryError(f"window {value!r} must look like 2018-01..2018-12")
                return cls(parse_month(a), parse_month(b, end=True))
            if _YEAR.match(text) or _DAY.match(text):
                return cls(parse_month(text), parse_month(text, end=True))
            raise QueryError(f"window {value!r} must look like 2018-01..2018-12")
        try:
            a, b = value  # type: ignore[misc]
        except (TypeError, ValueError) as exc:
            raise QueryError(f"window {value!r} must be 'YYYY-MM..YYYY-MM' or a (start, end) pair") from exc
        return cls(_as_date(a), _as_date(b))

    @classmethod
    def months_to(cls, end: object, months: int) -> Window:
        """The ``months`` whole months ending with the month of ``end``."""
        if months < 1:
            raise QueryError(f"a window must cover at least one month, got {months}")
        last = pd.Timestamp(_as_date(end)).to_period("M")
        return cls((last - (months - 1)).start_time.date(), last.end_time.date())

    # --- derived -----------------------------------------------------------------------------------------------
    @property
    def first_month(self) -> pd.Timestamp:
        """Timestamp of the first day of the window's first month."""
        return pd.Timestamp(self.start).to_period("M").start_time

    @property
    def last_month(self) -> pd.Timestamp:
        """Timestamp of the first day of the window's last month."""
        return pd.Timestamp(self.end).to_period("M").start_time

    @property
    def month_starts(self) -> pd.DatetimeIndex:
        """First days of every month the window touches."""
        return pd.DatetimeIndex(pd.period_range(self.start, self.end, freq="M").start_time)

    @property
    def n_months(self) -> int:
        """Calendar months the window touches."""
        return len(self.month_starts)

    @property
    def months(self) -> float:
        """Length in average months (days / 30.44), for rates."""
        return ((self.end - self.start).days + 1) / (365.25 / 12)

    def contains(self, day: object) -> bool:
        """Whether ``day`` falls inside the window."""
        return self.start <= _as_date(day) <= self.end

    def mask(self, dates: pd.Series) -> pd.Series:
        """Boolean mask of ``dates`` (any datetime-like Series) inside the window."""
        d = pd.to_datetime(dates)
        return (d >= pd.Timestamp(self.start)) & (d < pd.Timestamp(self.end) + pd.Timedelta(days=1))

    def extended(self, months_before: int) -> Window:
        """The same window starting ``months_before`` months earlier (history for lag features)."""
        return Window((pd.Timestamp(self.start) - pd.DateOffset(months=months_before)).date(), self.end)

    def baseline(self, spec: WindowLike | None = "12m") -> Window:
        """The comparison window: '12m' / '2y' = that many months/years just before this one, or explicit."""
        if spec is None:
            spec = "12m"
        if isinstance(spec, str):
            m = _REL.match(spec)
            if m:
                months = int(m[1]) * (12 if m[2].lower() == "y" else 1)
                if months < 1:
                    raise QueryError(f"baseline {spec!r} must cover at least one month")
                end = (pd.Timestamp(self.start) - pd.Timedelta(days=1)).date()
                start = (pd.Timestamp(self.start) - pd.DateOffset(months=months)).date()
                return Window(start, end)
            if ".." not in spec:
                raise QueryError(f"baseline {spec!r} must look like 12m, 2y or 2017-01..2017-12")
        return Window.parse(spec)

    def union(self, other: Window) -> Window:
        """The smallest window holding both."""
        return Window(min(self.start, other.start), max(self.end, other.end))

    def as_tuple(self) -> tuple[dt.date, dt.date]:
        """``(start, end)`` as dates."""
        return self.start, self.end

    def __iter__(self):
        """Unpacks as ``start, end``."""
        return iter((self.start, self.end))

    def __str__(self) -> str:
        whole = self.start.day == 1 and self.end == pd.Timestamp(self.end).to_period("M").end_time.date()
        if whole:
            return f"{self.start:%Y-%m}..{self.end:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


WindowLike = Window | str | tuple[object, object]


def parse_month_window(text: str) -> Window:
    """'2018-01..2018-12' -> Window(2018-01-01, 2018-12-31) (unpacks as ``start, end``)."""
    if ".." not in str(text):
        raise QueryError(f"window {text!r} must look like 2018-01..2018-12")
    return Window.parse(text)
