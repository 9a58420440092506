"""Passages of the train and dev splits by id (never the locked test split)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rasid.text import extract_events, make_document
from rasid.text.evaluate import DevItem, load_corpus

NEWS = Path(__file__).parents[2] / "data" / "news"


@cache
def _passages() -> dict[str, DevItem]:
    return {it.id: it for split in ("train", "dev") for it in load_corpus(NEWS / f"{split}.jsonl")}


def passage(pid: str) -> DevItem:
    """One annotated passage of train or dev."""
    return _passages()[pid]


def events_of(pid: str) -> list:
    """The extractor's events for one passage, as the evaluator runs it."""
    it = passage(pid)
    return extract_events(make_document(it.text, id=it.id, published=it.published, lang=it.lang))
