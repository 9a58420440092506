"""Text: news text to events, dates, numbers and motives.

Main entry points: :func:`extract_document` (events and motives of one document), :func:`read_documents`
(text, HTML, JSONL files and folders), :func:`find_dates`, :func:`find_quantities`,
:func:`extract_motives` and :func:`link_events` / :func:`events_frame` (store linking and rows).
"""

from __future__ import annotations

from rasid._lazy import lazy_exports

# public name -> module; imported on first use so that `rasid.lang.normalize` (used by the actor
# table and the geocoder) does not pull in the extractor and its dependencies
_EXPORTS = {
    "DateMention": "rasid.text.dates",
    "Document": "rasid.text.documents",
    "EVENT_TYPES": "rasid.text.extract",
    "ExtractedEvent": "rasid.text.extract",
    "Extraction": "rasid.text.extract",
    "Motive": "rasid.text.motives",
    "OBJECTIVES": "rasid.text.motives",
    "Quantity": "rasid.text.numbers",
    "TARGETS": "rasid.text.extract",
    "classify_sentence": "rasid.text.motives",
    "detect_language": "rasid.text.documents",
    "encoder_status": "rasid.text.motives",
    "events_frame": "rasid.text.link",
    "extract_document": "rasid.text.extract",
    "extract_events": "rasid.text.extract",
    "extract_motives": "rasid.text.motives",
    "find_dates": "rasid.text.dates",
    "find_quantities": "rasid.text.numbers",
    "link_events": "rasid.text.link",
    "make_document": "rasid.text.documents",
    "parse_number": "rasid.text.numbers",
    "parse_published": "rasid.text.dates",
    "read_documents": "rasid.text.documents",
    "resolve_date": "rasid.text.dates",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports("rasid.text", _EXPORTS, globals())
