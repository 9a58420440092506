"""Checks of a brief's options before any computation: a clear error or warning naming the valid choices.

``rasid brief --format docx`` must fail at once, not after the analyses have run; an actor with no
events, a country without boundaries or a window outside the store fail before any model is fitted.
The format, language and digit checks need nothing; :func:`check_query` reads the store once (the
actor's event dates), which is cheap next to the analyses.
"""

from __future__ import annotations

import datetime as dt
import difflib

import pandas as pd

from rasid.errors import QueryError, ReportError
from rasid.events import canonical_actor
from rasid.events.actors import actor_table
from rasid.events.window import Window
from rasid.geo.admin import admin_units
from rasid.geo.units import UNITS

__all__ = ["LANGS", "FORMATS", "DIGITS", "check_formats", "check_langs", "check_digits", "check_query"]

LANGS = ("ar", "en")
FORMATS = ("html", "md", "pdf")
DIGITS = ("arabic", "latin")


def _split(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip().lower() for v in items if v and v.strip()]


def check_formats(fmt: str | list[str] | tuple[str, ...]) -> list[str]:
    """The requested formats, or a ReportError naming the valid ones (``docx`` is refused here, at once)."""
    formats = _split(fmt)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ReportError(f"unknown format {', '.join(repr(b) for b in bad) or repr(fmt)}; "
                          f"expected {', '.join(FORMATS)} (comma-separated for several)")
    return list(dict.fromkeys(formats))


def check_langs(lang: str) -> list[str]:
    """``ar``, ``en``, ``both`` or a comma list -> the languages, else a ReportError naming them."""
    if (lang or "").strip().lower() == "both":
        return list(LANGS)
    langs = _split(lang)
    bad = [x for x in langs if x not in LANGS]
    if bad or not langs:
        raise ReportError(f"unknown language {', '.join(repr(b) for b in bad) or repr(lang)}; expected ar, en or both")
    return list(dict.fromkeys(langs))


def check_digits(digits: str) -> str:
    """``arabic`` or ``latin``, else a ReportError."""
    if digits not in DIGITS:
        raise ReportError(f"unknown digits {digits!r}; expected arabic or latin")
    return digits


def _known_actors(store, countries: list[str], n: int = 8) -> list[str]:
    """The actors with most events in the store for these countries, as 'ID (name)'."""
    rows = store.con.execute(
        "SELECT a, count(*) AS n FROM (SELECT actor1_id AS a, country FROM events UNION ALL "
        "SELECT actor2_id AS a, country FROM events) WHERE a IS NOT NULL AND list_contains(?, country) "
        "GROUP BY a ORDER BY n DESC, a LIMIT ?", [countries, n]).fetchall()
    return [r[0] for r in rows]


def check_query(store, *, actor: str, countries: list[str] | tuple[str, ...] | None, window, baseline: str = "12m",
                unit: str = "admin2", top_n: int = 5, horizon: int = 3) -> list[str]:
    """Check the query options against the store; returns warnings, raises QueryError for what cannot work.

    Errors: an actor with no events in these countries (naming the store's main actors and close names),
    a country without boundaries or events, an unknown unit, a window wholly outside the data, ``top_n``
    below 1, ``horizon`` outside 1–12. Warnings: a window or baseline partly outside the data.
    """
    warnings: list[str] = []
    if unit not in UNITS:
        raise QueryError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    if int(top_n) < 1:
        raise QueryError(f"--top must be at least 1, not {top_n}")
    if not 1 <= int(horizon) <= 12:
        raise QueryError(f"--horizon must be between 1 and 12 months, not {horizon}")
    ctry = sorted({c.strip().upper() for c in (countries or ["IQ", "SY"]) if c and c.strip()})
    have_units = set(admin_units("admin1")["country"])
    no_units = [c for c in ctry if c not in have_units]
    if no_units:
        raise QueryError(f"no boundaries for country {', '.join(no_units)}; briefs cover "
                         f"{', '.join(sorted(have_units))}")
    win = Window.parse(window)
    Window.parse(win.baseline(baseline).as_tuple())  # the baseline spec itself is valid
    actor_id = canonical_actor(actor) or actor
    n, first, last = store.con.execute(
        "SELECT count(*), min(date_start), max(date_start) FROM events "
        "WHERE (actor1_id = ? OR actor2_id = ?) AND list_contains(?, country)", [actor_id, actor_id, ctry]).fetchall()[0]
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and refuses the next relation query
    if not n:
        known = _known_actors(store, ctry)
        names = set(actor_table()["actor_id"]) | set(known)
        close = difflib.get_close_matches(str(actor), sorted(names - {actor_id, str(actor)}), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no events of actor {actor!r} in {', '.join(ctry)} in the store{hint}; "
                         f"actors with most events there: {', '.join(known) or 'none (the store is empty)'}")
    first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    if win.end < first or win.start > last:
        raise QueryError(f"window {win} is outside the store's data for {actor_id} in {', '.join(ctry)} "
                         f"({first} to {last})")
    if win.start < first or win.end > last:
        warnings.append(f"window {win} is only partly covered: {actor_id}'s events in the store run from "
                        f"{first} to {last}")
    base = win.baseline(baseline)
    if base.start < first:
        warnings.append(f"the baseline {base} starts before the first event of {actor_id} ({first}); "
                        "its early months count as empty")
    if last < win.end - dt.timedelta(days=62):
        warnings.append(f"the data end on {last}: the forecast starts from there, not from {win.end}")
    return warnings
