"""When a clause dates its act: event dates before dates attached to a reporting verb
("أعلنت ... اليوم الخميس"), finer before coarser; and whether two day references can agree."""

from __future__ import annotations

import datetime as dt

from rasid.lang.fold import rx
from rasid.text.dates import DateMention
from rasid.text.extract.lexicon import alt

__all__ = ["event_dates", "clause_day", "report_day", "compatible_date", "coarse_past", "folded_start"]

_REPORT = rx(alt("actors", "report") + r"\W+(?:\w+\W+){0,4}$")
_RANK = {"day": 0, "days": 1, "week": 3, "month": 4, "year": 6}


def folded_start(d: DateMention) -> int:
    """Folded offset of a date mention (set by the pipeline)."""
    return d._fs  # type: ignore[attr-defined]


def event_dates(c, ft: str) -> list[tuple[float, DateMention]]:
    """Date mentions of a clause ranked: event dates before reporting dates, finer before coarser."""
    out = []
    for d in c.dates:
        fs = folded_start(d)
        reporting = bool(_REPORT.search(ft[max(c.fs, fs - 60):fs]))
        out.append((_RANK.get(d.precision, 5) + (2 if reporting else 0), d))
    out.sort(key=lambda x: x[0])
    return out


def clause_day(c, ft: str) -> tuple[dt.date | None, int | None, int | None]:
    """(day, offset from publication, weekday) a clause dates its act to (a date only attached to a
    reporting verb does not count); the weekday is known even without a publication date."""
    ranked = [(r, d) for r, d in event_dates(c, ft) if d.precision in ("day", "days")]
    if not ranked or ranked[0][0] >= 2:
        return None, None, None
    d = ranked[0][1]
    return d.date_start, d.offset, d.weekday


def report_day(c, ft: str) -> tuple[dt.date | None, int | None]:
    """The day of a clause's reporting date ("أعلنت ... اليوم الخميس"), when that is all it has."""
    ranked = [(r, d) for r, d in event_dates(c, ft) if d.precision in ("day", "days")]
    if not ranked:
        return None, None
    return ranked[0][1].date_start, ranked[0][1].offset


def compatible_date(d1: dt.date | None, o1: int | None, d2: dt.date | None, o2: int | None, tol: int = 0,
                    w1: int | None = None, w2: int | None = None) -> bool | None:
    """True/False when two day references can be compared (dates, offsets from publication, or
    weekdays: "on Saturday" and "on Monday" are two days), None when one is unknown."""
    if d1 and d2:
        return abs((d1 - d2).days) <= tol
    if o1 is not None and o2 is not None:
        return abs(o1 - o2) <= tol
    if w1 is not None and w2 is not None and tol == 0:
        return w1 == w2
    return None


def coarse_past(c, ft: str) -> bool:
    """The clause dates its act only to a past month or year ("في يناير الماضي", "الشهر الماضي")."""
    ranked = event_dates(c, ft)
    return bool(ranked) and ranked[0][1].precision in ("month", "year", "week") and ranked[0][0] < 6
