"""One description of a unit x period panel, passed through every analysis instead of loose keyword arguments.

A :class:`PanelSpec` says *what* to count (``measure``), *where* (``unit`` over ``countries``), *when*
(``window``, cut into ``period``\\ s) and *whose* events (``actor``). It is checked once when built, at
the edge (CLI, web, brief), so the analyses below can trust it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from rasid.errors import QueryError
from rasid.events.query import EventFilter
from rasid.events.window import Window, WindowLike
from rasid.geo.units import DEFAULT_COUNTRIES, DEFAULT_UNIT, UNITS, check_unit

__all__ = ["PanelSpec", "PERIODS", "MEASURES", "DEFAULT_UNIT", "UNITS", "period_start"]

PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q"}
MEASURES = ("events", "deaths_best", "deaths_low", "deaths_high", "wounded", "active_days")
_MEASURE_ALIASES = {"deaths": "deaths_best"}


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """Timestamp of the start of the week (Monday), month or quarter of each date."""
    return pd.to_datetime(dates).dt.to_period(PERIODS[period]).dt.start_time


@dataclass(frozen=True)
class PanelSpec:
    """Unit, period, window, countries, actor and measure of a panel (validated on construction)."""

    unit: str = DEFAULT_UNIT
    period: str = "month"
    window: Window | None = None
    countries: tuple[str, ...] = DEFAULT_COUNTRIES
    actor: str | None = None
    measure: str = "events"

    def __post_init__(self) -> None:
        check_unit(self.unit)
        if self.period not in PERIODS:
            raise QueryError(f"unknown period {self.period!r}; expected one of {', '.join(PERIODS)}")
        measure = _MEASURE_ALIASES.get(self.measure, self.measure)
        if measure not in MEASURES:
            raise QueryError(f"unknown measure {self.measure!r}; expected one of events, deaths, "
                             f"{', '.join(MEASURES[1:])}")
        object.__setattr__(self, "measure", measure)
        ctry = self.countries
        if isinstance(ctry, str):
            ctry = [c for c in ctry.split(",")]
        ctry = tuple(sorted({c.strip().upper() for c in (ctry or ()) if c and c.strip()})) or DEFAULT_COUNTRIES
        bad = [c for c in ctry if len(c) != 2 or not c.isalpha()]
        if bad:
            raise QueryError(f"country {bad[0]!r} must be an ISO2 code such as IQ or SY")
        object.__setattr__(self, "countries", ctry)
        if self.window is not None and not isinstance(self.window, Window):
            object.__setattr__(self, "window", Window.parse(self.window))
        if self.actor is not None and not str(self.actor).strip():
            object.__setattr__(self, "actor", None)

    @classmethod
    def make(cls, *, window: WindowLike | None = None, countries: str | list[str] | tuple[str, ...] | None = None,
             **kw) -> PanelSpec:
        """Build from loose user values (window text, comma-separated countries)."""
        if isinstance(countries, str):
            countries = tuple(c for c in countries.split(",") if c.strip())
        return cls(window=Window.parse(window) if window is not None else None,
                   countries=tuple(countries) if countries else DEFAULT_COUNTRIES, **kw)

    def replace(self, **changes) -> PanelSpec:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def actors(self) -> list[str] | None:
        """The actor field split on commas (None: every actor)."""
        if not self.actor:
            return None
        return [a.strip() for a in self.actor.split(",") if a.strip()] or None

    def need_window(self) -> Window:
        """The window, or a QueryError when the spec has none."""
        if self.window is None:
            raise QueryError("this analysis needs a window (YYYY-MM..YYYY-MM)")
        return self.window

    def with_default_window(self, events: pd.DataFrame, months: int = 60) -> PanelSpec:
        """This spec, or with the last ``months`` whole months of ``events`` as its window when it has none."""
        if self.window is not None:
            return self
        if events is None or not len(events):
            raise QueryError("no events match the filters; nothing to analyse")
        return self.replace(window=Window.months_to(pd.to_datetime(events["date_start"]).max(), months))

    def event_filter(self, *, history_months: int = 0, window: Window | None = None) -> EventFilter:
        """Store filter for this spec's actor, countries and window (extended back by ``history_months``)."""
        w = window or self.window
        if w is not None and history_months:
            w = w.extended(history_months)
        return EventFilter.for_window(w, actors=self.actors, countries=list(self.countries))

    def describe(self) -> str:
        """One line for titles and logs."""
        win = str(self.window) if self.window else "all dates"
        return (f"{self.actor or 'all actors'}, {','.join(self.countries)}, {win}, {self.unit} x {self.period}, "
                f"{self.measure}")
