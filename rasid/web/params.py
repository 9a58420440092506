"""Request parameters of the API: their types and limits, and the one conversion to library specs.

Syntax (types, lengths, ranges, enumerations) is declared here for FastAPI, so it is in the OpenAPI
document; meaning (window order, countries, actor names, units) is checked by the same
:class:`~rasid.analysis.spec.PanelSpec` and :class:`~rasid.events.window.Window` the CLI uses, so
the browser and the command line accept and refuse the same values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from rasid.analysis.forecast import MODELS
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events import EventFilter, parse_month
from rasid.events.window import Window

__all__ = ["LIMITS", "Actor", "Country", "Window_", "WindowReq", "Unit", "Period", "Baseline", "Admin", "Day", "TableFormat",
           "EventFormat", "Lang", "Alpha", "Seed", "Model", "make_spec", "event_filter", "split", "window_months"]

#: limits on what one request may ask for (page size, window length, horizon, list lengths)
LIMITS = {
    "page_size": 1000,
    "default_page_size": 100,
    "max_offset": 10_000_000,
    "window_months": 120,
    "horizon": 12,
    "list_items": 20,
    "permutations": 9999,
    "samples": 2000,
    "boot": 50,
    "top": 200,
}

_WIN = r"^\s*[1-9]\d{3}(-\d{1,2}){0,2}\s*(\.\.\s*[1-9]\d{3}(-\d{1,2}){0,2}\s*)?$"
_DAY = r"^\s*[1-9]\d{3}(-\d{1,2}){0,2}\s*$"

Actor = Annotated[str | None, Query(max_length=300, description="Actor ids or names (IS, ISIS, داعش), comma-separated.")]
Country = Annotated[str | None, Query(max_length=60, pattern=r"^[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*$",
                                      description="ISO2 country codes, comma-separated (default IQ,SY).")]
Window_ = Annotated[str | None, Query(max_length=40, pattern=_WIN,
                                      description="YYYY-MM..YYYY-MM (also a year or a month).")]
WindowReq = Annotated[str, Query(max_length=40, pattern=_WIN, description="YYYY-MM..YYYY-MM (also a year or a month).")]
Unit = Annotated[Literal["admin1", "admin2"], Query(description="Governorates (admin1) or districts (admin2).")]
Period = Annotated[Literal["week", "month", "quarter"], Query(description="Time bins of the hot spot analysis.")]
Baseline = Annotated[str, Query(max_length=40, pattern=r"^\s*(\d{1,3}\s*[mMyY]|" + _WIN[1:-1] + r")\s*$",
                                description="12m, 2y (just before the window) or YYYY-MM..YYYY-MM.")]
Admin = Annotated[str | None, Query(max_length=200, description="Codes or names (English or Arabic), comma-separated.")]
Day = Annotated[str | None, Query(max_length=12, pattern=_DAY, description="YYYY-MM or YYYY-MM-DD (inclusive).")]
TableFormat = Annotated[Literal["json", "csv", "geojson"], Query(alias="format", description="json, csv or geojson.")]
EventFormat = Annotated[Literal["json", "csv", "geojson"], Query(alias="format", description="json, csv or geojson.")]
Lang = Annotated[Literal["ar", "en"], Query(description="Language of the brief.")]
Alpha = Annotated[float, Query(gt=0.0, lt=0.5, description="FDR level.")]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="Random seed.")]
Model = Annotated[Literal[MODELS], Query(description="Forecast model.")]  # type: ignore[valid-type]


def split(value: str | None, what: str = "values") -> list[str] | None:
    """'IQ, SY' -> ['IQ', 'SY'] (None when empty); at most ``LIMITS['list_items']`` items."""
    if not value:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    if len(items) > LIMITS["list_items"]:
        raise QueryError(f"too many {what}: {len(items)} (at most {LIMITS['list_items']})")
    return items or None


def window_months(w: Window) -> int:
    """Calendar months a window touches."""
    return (w.end.year - w.start.year) * 12 + w.end.month - w.start.month + 1


def _check_length(w: Window, what: str) -> Window:
    n = window_months(w)
    if n > LIMITS["window_months"]:
        raise QueryError(f"{what} {w} covers {n} months; at most {LIMITS['window_months']} per request")
    return w


def make_spec(*, actor: str | None, country: str | None, unit: str = "admin2", window: str | None = None,
              period: str = "month", measure: str = "events", need_window: bool = False) -> PanelSpec:
    """The panel spec of a request, checked as the CLI checks it, plus the web's window-length limit."""
    split(actor, "actors")
    spec = PanelSpec.make(actor=actor, countries=country, unit=unit, window=window, period=period, measure=measure)
    if need_window:
        spec.need_window()
    if spec.window is not None:
        _check_length(spec.window, "window")
    return spec


def check_baseline(spec: PanelSpec, baseline: str) -> Window:
    """The baseline window of a spec (limited in length like the window)."""
    return _check_length(spec.need_window().baseline(baseline), "baseline")


def event_filter(*, actor: str | None, country: str | None, admin1: str | None, admin2: str | None,
                 since: str | None, until: str | None, source: str | None) -> EventFilter:
    """The store filter of an events request (same fields and parsing as `rasid events`)."""
    flt = EventFilter(actors=split(actor, "actors"), countries=[c.upper() for c in split(country, "countries") or []]
                      or None, admin1=split(admin1, "admin1 units"), admin2=split(admin2, "admin2 units"),
                      since=parse_month(since) if since else None, until=parse_month(until, end=True) if until else None,
                      sources=split(source, "sources"))
    if flt.since and flt.until and flt.until < flt.since:
        raise QueryError(f"until {flt.until} is before since {flt.since}")
    return flt
