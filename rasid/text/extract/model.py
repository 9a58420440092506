"""What extraction returns: :class:`ExtractedEvent` (one act, with evidence spans and confidences) and
:class:`Extraction` (the events and stated motives of one document), plus the closed vocabularies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rasid.text.documents import Document

__all__ = ["ExtractedEvent", "Extraction", "TARGETS", "EVENT_TYPES", "PRECISIONS"]

TARGETS = ("police", "army", "pmf", "peshmerga", "sdf", "regime", "civilians", "officials", "infrastructure",
           "security", "rebels", "foreign", "militants", "unknown")
EVENT_TYPES = ("armed_attack", "ambush", "ied", "car_bomb", "suicide_attack", "shelling", "airstrike",
               "assassination", "kidnapping", "prison_attack", "execution", "clash")
# how precisely the place is known: a settlement or site, a sub-district, a district, only a governorate
PRECISIONS = ("site", "admin3", "admin2", "admin1")


@dataclass
class ExtractedEvent:
    """One event found in a document, with evidence spans ``field -> (start, end)`` and confidences.

    ``background`` is True for an earlier act the text cites (analysis, "as happened when ..."),
    False for the news being reported. ``precision`` says how precisely the place is known
    (``admin1`` when only a governorate is named: ``admin2_*`` is then empty). ``sources`` lists
    every document that reports the event (several after cross-document linking)."""

    doc_id: str
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    country: str | None = None
    admin1_code: str | None = None
    admin1_en: str | None = None
    admin1_ar: str | None = None
    admin2_code: str | None = None
    admin2_en: str | None = None
    admin2_ar: str | None = None
    location_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    precision: str | None = None
    actor_id: str = "unknown"
    actor_text: str | None = None
    claimed: bool = False
    target: str | None = None
    event_type: str = "armed_attack"
    killed: int | None = None
    wounded: int | None = None
    captured: int | None = None
    attackers_killed: int | None = None
    killed_low: int | None = None
    wounded_low: int | None = None
    casualties_text: str | None = None
    background: bool = False
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)
    published: dt.date | None = None
    url: str | None = None
    text: str | None = None
    sources: list[dict] = field(default_factory=list)
    linked_event_id: str | None = None

    def to_record(self) -> dict:
        """The JSONL record of the CLI (``kind: event`` and the keys documented in docs/extraction.md)."""
        return {
            "kind": "event", "doc_id": self.doc_id,
            "date": self.date.isoformat() if self.date else None, "date_precision": self.date_precision,
            "country": self.country, "admin1_en": self.admin1_en, "admin1_ar": self.admin1_ar,
            "admin2_en": self.admin2_en, "precision": self.precision, "location_text": self.location_text,
            "actor_id": self.actor_id, "claimed": self.claimed, "target": self.target, "event_type": self.event_type,
            "killed": self.killed, "wounded": self.wounded, "captured": self.captured,
            "attackers_killed": self.attackers_killed, "background": self.background,
            "sources": [dict(s) for s in self.sources],
            "evidence": {k: [int(a), int(b)] for k, (a, b) in self.evidence.items()},
            "confidence": {k: round(float(v), 3) for k, v in self.confidence.items()},
        }


@dataclass
class Extraction:
    """Events and motives of one document."""

    doc: Document
    events: list[ExtractedEvent]
    motives: list

    def records(self) -> list[dict]:
        """JSONL records: events first, then motives."""
        return [e.to_record() for e in self.events] + [m.to_record() for m in self.motives]
