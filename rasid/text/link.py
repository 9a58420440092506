"""Link extracted news events to dataset events already in the store, and turn them into canonical rows.

An extracted event duplicates a stored one when the actor is the same (canonical id, either side),
the district (``admin2_code``) is the same and the dates are within two days. Such an event is
linked (``linked_event_id`` = the stored ``event_id``) instead of being added a second time;
``rasid extract --ingest`` writes only the unlinked ones (source ``news``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from rasid.events.schema import COLUMNS, make_event_id
from rasid.text.extract import ExtractedEvent

__all__ = ["LINK_DAYS", "events_frame", "link_events"]

LINK_DAYS = 2
_TYPE_LABEL = {"armed_attack": "armed attack", "ied": "IED", "suicide_attack": "suicide attack", "car_bomb": "car bomb",
               "ambush": "ambush", "shelling": "shelling", "airstrike": "airstrike", "assassination": "assassination",
               "kidnapping": "kidnapping", "prison_attack": "prison attack", "execution": "execution", "clash": "clash"}


def _source_id(ev: ExtractedEvent, n: int) -> str:
    key = f"{ev.doc_id}|{n}|{ev.date}|{ev.admin2_code or ev.admin1_code}|{ev.event_type}|{ev.killed}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def events_frame(events: list[ExtractedEvent]) -> pd.DataFrame:
    """Canonical event rows (all schema columns) for extracted events; dates without a day in the
    text fall back to the publication week (``date_precision`` "week") so rows stay queryable."""
    rows = []
    for n, ev in enumerate(events):
        start, end, prec = ev.date, ev.date_end or ev.date, ev.date_precision
        if start is None and ev.published is not None:
            start, end, prec = ev.published - dt.timedelta(days=7), ev.published, "week"
        if prec not in ("day", "days", "week", "month", "year"):
            prec = "days" if prec else None
        sid = _source_id(ev, n)
        killed = ev.killed
        row = {c: None for c in COLUMNS}
        row.update({
            "event_id": make_event_id("news", sid), "source": "news", "source_id": sid,
            "date_start": start, "date_end": end, "date_precision": prec, "country": ev.country,
            "admin1_code": ev.admin1_code, "admin1_en": ev.admin1_en, "admin1_ar": ev.admin1_ar,
            "admin2_code": ev.admin2_code, "admin2_en": ev.admin2_en, "admin2_ar": ev.admin2_ar,
            "location": ev.location_text, "lat": ev.lat, "lon": ev.lon,
            "geo_precision": ev.geo_precision if ev.geo_precision in ("exact", "near", "admin3", "admin2", "admin1",
                                                                     "region", "country") else "other",
            "actor1": ev.actor_id, "actor1_id": ev.actor_id, "actor2": ev.target, "actor2_id": None,
            "event_type": _TYPE_LABEL.get(ev.event_type, ev.event_type), "sub_event_type": ev.event_type,
            "target": ev.target, "deaths_best": killed, "deaths_low": killed if killed is not None else ev.killed_low,
            "deaths_high": killed, "wounded": ev.wounded, "attackers_killed": ev.attackers_killed,
            "claimed": bool(ev.claimed), "source_url": ev.url,
            "source_text": _excerpt(ev), "linked_event_id": getattr(ev, "linked_event_id", None),
        })
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _excerpt(ev: ExtractedEvent) -> str | None:
    if not ev.text or not ev.sentence_spans:
        return None
    parts = [ev.text[a:b].strip() for a, b in ev.sentence_spans]
    return " ".join(parts)[:2000]


def link_events(events: list[ExtractedEvent], store, *, days: int = LINK_DAYS) -> list[ExtractedEvent]:
    """Set ``linked_event_id`` on every extracted event that a stored event (another source) matches:
    same canonical actor, same ``admin2_code``, dates within ``days``. Returns the same list."""
    from rasid.events.query import EventFilter

    for ev in events:
        ev.linked_event_id = None  # type: ignore[attr-defined]
        if ev.date is None or not ev.admin2_code or not ev.actor_id or ev.actor_id == "unknown":
            continue
        flt = EventFilter(actors=[ev.actor_id], admin2=[ev.admin2_code], since=ev.date - dt.timedelta(days=days),
                          until=ev.date + dt.timedelta(days=days))
        try:
            found = store.events(flt)
        except Exception:  # noqa: BLE001 - an empty or older store has nothing to link to
            continue
        if found is None or found.empty:
            continue
        found = found[found["source"] != "news"] if "source" in found else found
        if found.empty:
            continue
        day = pd.Timestamp(ev.date)
        gap = (pd.to_datetime(found["date_start"]) - day).abs()
        best = found.loc[gap.idxmin()]
        ev.linked_event_id = str(best["event_id"])  # type: ignore[attr-defined]
    return events
