"""News text to events: attacks with date, place, actor, claim, target, type and casualty counts.

Transparent rules, Arabic first (English handled by the same machinery), in one module per concept:

* :mod:`.lexicon` — word lists from ``rasid/data/text/*.csv`` (each row with its rationale);
* :mod:`.clauses` — clauses and their cues; :mod:`.casualties` — casualty chains;
* :mod:`.places` — place weights and the best place; :mod:`.when` — event dates;
* :mod:`.grouping` — clauses into events; :mod:`.roles` — actor, claim, target;
  :mod:`.fields` — one event's fields; :mod:`.pipeline` — the whole document.

See docs/extraction.md for the rules, the corpus splits and the scores.
"""

from __future__ import annotations

from rasid.text.extract.model import EVENT_TYPES, TARGETS, ExtractedEvent, Extraction
from rasid.text.extract.pipeline import extract_document, extract_events

__all__ = ["ExtractedEvent", "Extraction", "extract_document", "extract_events", "TARGETS", "EVENT_TYPES"]
