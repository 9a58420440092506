"""Cross-document linking of extracted events, linking to stored dataset events, and canonical rows.

* :func:`cluster_events` / :func:`merge_reports`: the same attack reported by several documents
  (outlets) becomes one event with every source listed. Two events of different documents are the
  same act when the governorate is equal, the districts do not disagree, the days agree (within one
  day; an undated report within three days after its publication), the actors and kinds of act do
  not disagree and the death tolls are close (an updated toll may differ a little). Events of one
  document are never merged with each other (the extractor already keeps them apart).
* :func:`link_events`: an extracted event duplicates a stored dataset event when the actor is the
  same (canonical id), the district (``admin2_code``) is the same and the dates are within two days;
  such an event is linked (``linked_event_id`` = the stored ``event_id``) instead of being added.
* :func:`events_frame`: canonical store rows; ``rasid extract --ingest`` writes the unlinked ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import pandas as pd

from rasid.events.query import EventFilter
from rasid.events.schema import COLUMNS, make_event_id
from rasid.text.encoder import embed
from rasid.text.extract import ExtractedEvent

__all__ = ["LINK_DAYS", "CONTENT_POINTS", "events_frame", "link_events", "cluster_events", "merge_reports", "same_event", "event_id"]

LINK_DAYS = 2
# content evidence needed to link two reports that time cannot place together (see _content_points)
CONTENT_POINTS = 5.5
_TYPE_LABEL = {"armed_attack": "armed attack", "ied": "IED", "suicide_attack": "suicide attack", "car_bomb": "car bomb",
               "ambush": "ambush", "shelling": "shelling", "airstrike": "airstrike", "assassination": "assassination",
               "kidnapping": "kidnapping", "prison_attack": "prison attack", "execution": "execution", "clash": "clash"}
# kinds of act that reports of one attack may name differently
_FAMILY = {"armed_attack": "assault", "ambush": "assault", "clash": "assault", "assassination": "assault",
           "prison_attack": "assault", "execution": "assault", "kidnapping": "assault",
           "ied": "blast", "car_bomb": "blast", "suicide_attack": "blast",
           "shelling": "fire", "airstrike": "fire"}


def _source_id(ev: ExtractedEvent) -> str:
    """Stable id of an extracted event: its document, where its text starts and its main fields."""
    where = ev.sentence_spans[0][0] if ev.sentence_spans else -1
    key = f"{ev.doc_id}|{where}|{ev.date}|{ev.admin2_code or ev.admin1_code}|{ev.event_type}|{ev.killed}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def event_id(ev: ExtractedEvent) -> str:
    """The store ``event_id`` an extracted event gets (the same on every run over the same document)."""
    return make_event_id("news", _source_id(ev))


def _day_window(ev: ExtractedEvent) -> tuple[dt.date, dt.date] | None:
    """Days the act may have happened on: its date (±1 day), or up to 3 days before publication."""
    if ev.date is not None:
        end = ev.date_end or ev.date
        if (end - ev.date).days > 3:
            return None  # a month or a year: too coarse to link on
        return ev.date - dt.timedelta(days=1), end + dt.timedelta(days=1)
    if ev.published is not None and not ev.background:
        return ev.published - dt.timedelta(days=2), ev.published
    return None


def _contradict(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    """Two events of different documents that cannot be one act: another governorate or district,
    another named actor, another kind of act, a toll too far apart (an update may differ a little),
    or days that do not overlap."""
    if a.doc_id == b.doc_id or not a.admin1_code or a.admin1_code != b.admin1_code:
        return True
    if a.admin2_code and b.admin2_code and a.admin2_code != b.admin2_code:
        return True
    if "unknown" not in (a.actor_id, b.actor_id) and a.actor_id != b.actor_id:
        return True
    if _FAMILY.get(a.event_type) != _FAMILY.get(b.event_type) and "armed_attack" not in (a.event_type, b.event_type):
        return True
    if a.killed is not None and b.killed is not None and abs(a.killed - b.killed) > max(2, 0.34 * max(a.killed, b.killed)):
        return True
    wa, wb = _day_window(a), _day_window(b)
    return bool(wa and wb and (wa[1] < wb[0] or wb[1] < wa[0]))


def _content_points(a: ExtractedEvent, b: ExtractedEvent, similarity: float | None) -> float:
    """Evidence that two reports tell one act when time cannot say (a report with no day and no
    publication date): the same toll counts most, then how alike the sentences read (the
    multilingual encoder, so an Arabic and an English report compare), the same wounded, district
    and kind of act, the same target. Weights follow a logistic fit on the train split's story pairs."""
    pts = 0.0
    if a.killed is not None and a.killed == b.killed and a.killed >= 2:
        pts += 2
    if a.wounded and a.wounded == b.wounded:
        pts += 1
    if a.admin2_code and a.admin2_code == b.admin2_code:
        pts += 1
    if a.event_type == b.event_type:
        pts += 1
    if a.target and a.target == b.target:
        pts += 0.5
    if similarity is not None:
        pts += 3 if similarity >= 0.75 else 2 if similarity >= 0.65 else 1 if similarity >= 0.55 else 0
    return pts


def same_event(a: ExtractedEvent, b: ExtractedEvent, similarity: float | None = None) -> float:
    """How sure we are that two events of different documents are one act (0 = not the same).

    ``similarity`` is the cosine of the two events' sentences under the sentence encoder (None
    without it). When both reports can be placed in time (a day, or a publication date) and the
    days overlap, the fields decide; when one cannot, only content evidence links them
    (:data:`CONTENT_POINTS` of :func:`_content_points`)."""
    if _contradict(a, b):
        return 0.0
    wa, wb = _day_window(a), _day_window(b)
    if not (wa and wb):
        pts = _content_points(a, b, similarity)
        return 0.5 + 0.05 * (pts - CONTENT_POINTS) if pts >= CONTENT_POINTS else 0.0
    score = 0.5 if (a.date and b.date) else 0.3
    if a.admin2_code and a.admin2_code == b.admin2_code:
        score += 0.2
    if a.killed is not None and a.killed == b.killed:
        score += 0.2
    if a.target and a.target == b.target:
        score += 0.1
    if a.event_type == b.event_type:
        score += 0.1
    if similarity is not None and similarity >= 0.65:
        score += 0.1
    return score


def _sentences(ev: ExtractedEvent) -> str:
    """The sentences an event was read from (what the encoder compares across documents)."""
    if not ev.text:
        return ev.casualties_text or ""
    return " ".join(ev.text[a:b] for a, b in ev.sentence_spans) or ev.text[:400]


def cluster_events(events: list[ExtractedEvent], *, threshold: float = 0.5, encode: bool = True) -> list[int]:
    """A cluster label per event: events of different documents judged the same act share a label
    (best pairs first; a cluster never holds two events of one document). With ``encode`` the
    sentence encoder adds how alike the reports read (skipped when it is not installed)."""
    parent = list(range(len(events)))
    docs = [{e.doc_id} for e in events]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_admin1: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        if e.admin1_code:
            by_admin1.setdefault(e.admin1_code, []).append(i)
    shared = [i for idx in by_admin1.values() if len(idx) > 1 for i in idx]
    vectors = embed([_sentences(events[i]) for i in shared]) if encode and shared else None
    row = {i: k for k, i in enumerate(shared)}
    pairs = []
    for idx in by_admin1.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                sim = float(vectors[row[i]] @ vectors[row[j]]) if vectors is not None else None
                s = same_event(events[i], events[j], sim)
                if s >= threshold:
                    pairs.append((-s, i, j))
    for _s, i, j in sorted(pairs):
        ri, rj = root(i), root(j)
        if ri == rj or docs[ri] & docs[rj]:
            continue
        parent[rj] = ri
        docs[ri] |= docs[rj]
    return [root(i) for i in range(len(events))]


def merge_reports(events: list[ExtractedEvent], *, threshold: float = 0.5) -> list[ExtractedEvent]:
    """One event per act: events judged the same (see :func:`cluster_events`) are merged into the
    first report, with every report in ``sources`` and the most informative fields kept (a known day,
    a district, the largest exact toll as the latest update)."""
    labels = cluster_events(events, threshold=threshold)
    groups: dict[int, list[ExtractedEvent]] = {}
    for lab, ev in zip(labels, events, strict=True):
        groups.setdefault(lab, []).append(ev)
    out = []
    for members in groups.values():
        head = replace(members[0])
        head.sources = [s for m in members for s in (m.sources or [{"doc_id": m.doc_id, "url": m.url}])]
        for m in members[1:]:
            if head.date is None and m.date is not None:
                head.date, head.date_end, head.date_precision = m.date, m.date_end, m.date_precision
            if head.admin2_code is None and m.admin2_code is not None:
                head.admin2_code, head.admin2_en, head.admin2_ar = m.admin2_code, m.admin2_en, m.admin2_ar
                head.precision = m.precision
            if head.actor_id == "unknown" and m.actor_id != "unknown":
                head.actor_id = m.actor_id
            head.claimed = head.claimed or m.claimed
            for f in ("killed", "wounded", "captured", "attackers_killed"):
                v = getattr(m, f)
                if v is not None and (getattr(head, f) is None or v > getattr(head, f)):
                    setattr(head, f, v)
        out.append(head)
    return out


def events_frame(events: list[ExtractedEvent]) -> pd.DataFrame:
    """Canonical event rows (all schema columns) for extracted events; dates without a day in the
    text fall back to the publication week (``date_precision`` "week") so rows stay queryable."""
    rows = []
    for ev in events:
        start, end, prec = ev.date, ev.date_end or ev.date, ev.date_precision
        if start is None and ev.published is not None:
            start, end, prec = ev.published - dt.timedelta(days=7), ev.published, "week"
        if prec not in ("day", "days", "week", "month", "year"):
            prec = "days" if prec else None
        sid = _source_id(ev)
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
            "source_text": _excerpt(ev), "linked_event_id": ev.linked_event_id,
        })
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _excerpt(ev: ExtractedEvent) -> str | None:
    urls = [s.get("url") or s.get("doc_id") for s in ev.sources[1:]]
    also = ("Also reported by: " + "; ".join(u for u in urls if u) + "\n") if urls else ""
    if not ev.text or not ev.sentence_spans:
        return also or None
    parts = [ev.text[a:b].strip() for a, b in ev.sentence_spans]
    return (also + " ".join(parts))[:2000]


def link_events(events: list[ExtractedEvent], store, *, days: int = LINK_DAYS) -> list[ExtractedEvent]:
    """Set ``linked_event_id`` on every extracted event that a stored event (another source) matches:
    same canonical actor, same ``admin2_code``, dates within ``days``. Returns the same list."""
    for ev in events:
        ev.linked_event_id = None
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
        ev.linked_event_id = str(best["event_id"])
    return events
