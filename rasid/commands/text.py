"""`rasid extract`: news and report text (text, HTML, JSONL, folders) to events and stated motives."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from rasid.commands._common import DbOpt, console, err_console, fail, open_store, print_table
from rasid.errors import RasidError
from rasid.text import extract_document, read_documents
from rasid.text.dates import parse_published
from rasid.text.link import event_id, events_frame, link_events, merge_reports

__all__ = ["register", "extract_cmd", "ingest_summary"]


class ExtractFormat(StrEnum):
    """Output formats of `rasid extract`."""

    table = "table"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Add the text commands to the app."""
    app.command("extract")(extract_cmd)


def ingest_summary(n_events: int, n_docs: int, added: int, linked: int, duplicates: int, already: int) -> str:
    """The one line `rasid extract --ingest` prints: every extracted event is added, linked or skipped."""
    skipped = duplicates + already
    return (f"{n_events} events from {n_docs} documents: {added} added, {linked} linked to stored events, "
            f"{skipped} skipped ({duplicates} reported by another document too, {already} already in the store)")


def extract_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Text, HTML or JSONL files, or folders of them.")],
    published: Annotated[str | None, typer.Option("--published", help="Publication date YYYY-MM-DD for texts without one.")] = None,
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="table or jsonl (one object per line).")] = ExtractFormat.table,
    ingest: Annotated[bool, typer.Option("--ingest", help="Write new events to the store (source 'news'); events "
                                         "matching a stored one are linked, not added.")] = False,
    motives: Annotated[bool, typer.Option("--motives/--no-motives", help="Also classify stated motives.")] = True,
    merge: Annotated[bool, typer.Option("--merge/--no-merge", help="One event per attack reported by several "
                                        "documents, with every source listed.")] = True,
    learned: Annotated[bool, typer.Option("--learned/--rules", help="Let the learned layer re-role counts and "
                                          "drop non-attacks (default: rules only; see docs/extraction.md).")] = False,
    db: DbOpt = None,
) -> None:
    """Extract attacks (date, place, actor, target, type, casualties, evidence) and stated motives."""
    try:
        if published is not None and parse_published(published) is None:
            raise typer.BadParameter(f"--published {published!r} is not a date (YYYY-MM-DD)")
        results = [extract_document(doc, motives=motives, learned=learned)
                   for doc in read_documents(paths, published=published)]
        extracted = [e for r in results for e in r.events]
        events = merge_reports(extracted) if merge else extracted
        if ingest:
            store = open_store(db, read_only=False)
            link_events(events, store)
            new = [e for e in events if not e.linked_event_id]
            added = already = 0
            if new:
                rep = store.add_events(events_frame(new), source="news")
                added = rep.rows_out - rep.rows_replaced if rep.status == "ok" else 0
                already = len(new) - added
            err_console.print(ingest_summary(len(extracted), len(results), added, len(events) - len(new),
                                             len(extracted) - len(events), already), highlight=False, soft_wrap=True)
    except RasidError as exc:
        raise fail(exc) from None
    if fmt == ExtractFormat.jsonl:
        out = sys.stdout
        for e in events:
            rec = e.to_record()
            rec["event_id"] = event_id(e)
            if ingest:
                rec["linked_event_id"] = e.linked_event_id
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for r in results:
            for m in r.motives:
                out.write(json.dumps(m.to_record(), ensure_ascii=False) + "\n")
        return
    rows = [{"doc": e.doc_id, "date": e.date, "place": e.admin2_en or e.admin1_en, "actor": e.actor_id,
             "claimed": e.claimed, "target": e.target, "type": e.event_type, "killed": e.killed,
             "wounded": e.wounded, "captured": e.captured, "attackers killed": e.attackers_killed,
             "background": e.background, "sources": len(e.sources)} for e in events]
    if rows:
        print_table(pd.DataFrame(rows), title=f"{len(rows)} events")
    else:
        console.print("no events found")
    mots = [m for r in results for m in r.motives]
    if mots:
        print_table(pd.DataFrame([{"doc": m.doc_id, "objective": m.objective, "places": ", ".join(m.places),
                                   "sentence": m.sentence[:90]} for m in mots]), title="stated motives")
