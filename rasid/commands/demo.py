"""`rasid demo`: ingest the bundled UCDP data, summarise it and write the demo brief in both languages."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from rasid.commands._common import DbOpt, console, fail, print_table
from rasid.errors import RasidError
from rasid.events import Store
from rasid.report import build_brief, render_brief

DEMO = {"actor": "IS", "countries": ["IQ", "SY"], "window": "2018-01..2018-12"}


def register(app: typer.Typer) -> None:
    """Add `rasid demo`."""
    app.command("demo")(demo)


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the store and the brief.")] = Path("out"),
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="Brief formats, comma-separated: html, md, pdf.")] = "html,md,pdf",
) -> None:
    """The main job on the bundled data: ingest, summary, focus and the brief (Arabic and English)."""
    ged = Path(str(resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz"))
    store = Store(db or out / "rasid.duckdb")
    try:
        rep = store.ingest_file(ged)
        done = "already in the store" if rep.status == "skipped" else f"{rep.rows_out:,} events ingested"
        console.print(f"bundled UCDP GED Iraq+Syria 1989-2018: {done}", highlight=False)
        info = store.info()
        print_table(info.assign(countries=info.countries.map(", ".join), versions=info.versions.map(", ".join)),
                    title=f"event store {store.path}")
        console.print(f"writing the brief: Islamic State, Iraq and Syria, {DEMO['window']} ...", highlight=False)
        data = build_brief(store, **DEMO)
        paths: list[Path] = []
        for lang in ("ar", "en"):
            paths += render_brief(data, lang, fmt, out / "brief")
    except RasidError as exc:
        raise fail(exc) from exc
    finally:
        store.close()
    console.print("\n[bold]demo output[/]")
    console.print(f"  store: {store.path.resolve()}", highlight=False)
    for p in paths:
        console.print(f"  {p.resolve()}", highlight=False)
