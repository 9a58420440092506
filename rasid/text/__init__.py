"""Text: Arabic/Latin normalisation (normalize.py) and news text to events, dates, numbers and motives.

Main entry points: :func:`extract_document` (events and motives of one document), :func:`read_documents`
(text, HTML, JSONL files and folders), :func:`find_dates`, :func:`find_quantities`,
:func:`extract_motives` and :func:`link_events` / :func:`events_frame` (store linking and rows).
"""

from rasid.text.dates import DateMention, find_dates, parse_published, resolve_date
from rasid.text.documents import Document, detect_language, make_document, read_documents
from rasid.text.extract import (
    EVENT_TYPES,
    TARGETS,
    ExtractedEvent,
    Extraction,
    extract_document,
    extract_events,
)
from rasid.text.link import events_frame, link_events
from rasid.text.motives import OBJECTIVES, Motive, classify_sentence, encoder_status, extract_motives
from rasid.text.numbers import Quantity, find_quantities, parse_number

__all__ = [
    "DateMention",
    "Document",
    "EVENT_TYPES",
    "ExtractedEvent",
    "Extraction",
    "Motive",
    "OBJECTIVES",
    "Quantity",
    "TARGETS",
    "classify_sentence",
    "detect_language",
    "encoder_status",
    "events_frame",
    "extract_document",
    "extract_events",
    "extract_motives",
    "find_dates",
    "find_quantities",
    "link_events",
    "make_document",
    "parse_number",
    "parse_published",
    "read_documents",
    "resolve_date",
]
