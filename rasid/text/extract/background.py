"""Which events are background: earlier acts a text cites in analysis or as context ("وكان التنظيم
قد شن ...", "كما حدث عندما ...", "as happened when ..."), not the news it reports. They stay events
with their own dates and places (``background=True``); they are never merged into the lead event.

An event is background when the clause that tells it is cast in the past relative to the report
(a background opener or a past-act cue) and it is not the first act of the text, or when its date is
clearly earlier than the news: more than two days before the lead event's day, a past month or year,
or more than ten days before publication.
"""

from __future__ import annotations

import datetime as dt

from rasid.lang.fold import fold, rx
from rasid.text.extract.grouping import Draft
from rasid.text.extract.model import ExtractedEvent

__all__ = ["mark_background"]

_OLD_DAYS = 10  # a dated act this long before publication is not the news of the day
_PAST_WORD = rx(r"(?:الماضي|الماضيه|الفائت|المنصرم|السابق|last|previous)")
_SPAN_AGE = {"week": 7, "month": 30, "year": 365}


def _lead_clause(d: Draft):
    return next((c for c in d.clauses if c.acts), d.clauses[0])


def _age(ev: ExtractedEvent, published: dt.date | None) -> int | None:
    """Days between the act and the report (0 = the report's day), when the text lets us say."""
    d = getattr(ev, "_date_mention", None)
    if d is None:
        return None
    if d.offset is not None:
        return -d.offset
    if d.kind == "relative" and d.precision in _SPAN_AGE:
        return _SPAN_AGE[d.precision]
    if d.kind == "weekday" and _PAST_WORD.search(fold(d.text).text):
        return 2  # "السبت الماضي", "last Saturday": some days before the report
    start = ev.date if ev.date is not None else d.date_start  # a year alone dates no event, but it is past
    if published is not None and start is not None:
        end = (ev.date_end or ev.date) if ev.date is not None else (d.date_end or d.date_start)
        if d.precision in ("month", "year"):
            return max(0, (published - end).days) if end < published.replace(day=1) else 0
        return (published - end).days
    return None


def mark_background(pairs: list[tuple[ExtractedEvent, Draft]], published: dt.date | None) -> None:
    """Set ``background`` on the events of one document (given with their drafts, in text order)."""
    if not pairs:
        return
    ages = [_age(ev, published) for ev, _d in pairs]
    lead_age = None
    for k, (ev, d) in enumerate(pairs):
        ev.background = (_lead_clause(d).past and k > 0) or (ages[k] is not None and ages[k] > _OLD_DAYS)
        if not ev.background and lead_age is None and ages[k] is not None:
            lead_age = ages[k]
    for k, (ev, _d) in enumerate(pairs):
        if ev.background or ages[k] is None:
            continue
        if lead_age is not None and ages[k] - lead_age >= 1:
            ev.background = True  # an act told after the news but dated before it
        elif lead_age is None and ages[k] >= 7 and k > 0:
            ev.background = True  # "الشهر الماضي" after an undated lead
