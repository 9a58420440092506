"""`rasid ingest`, `rasid info`, `rasid events`, `rasid actors`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from rasid.commands._common import (
    ActorOpt,
    CountryOpt,
    DbOpt,
    atomic_path,
    console,
    err_console,
    fail,
    open_store,
    print_table,
    split_list,
    write_json,
)
from rasid.errors import InputError, RasidError
from rasid.events import EventFilter, parse_month, write_events
from rasid.events._checks import parse_date_range
from rasid.events.actors import actor_labels, actor_table, is_known
from rasid.events.export import FORMATS


def register(app: typer.Typer) -> None:
    """Add the event-store commands to the app."""
    app.command("ingest")(ingest)
    app.command("info")(info)
    app.command("events")(events)
    app.command("actors")(actors)


def ingest(
    files: Annotated[list[Path] | None, typer.Argument(help="UCDP GED / ACLED / GTD / rasid JSONL files (format is sniffed).")] = None,
    db: DbOpt = None,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="Load good rows; write rejects to FILE.rejects.csv.")] = False,
    source_version: Annotated[str | None, typer.Option("--source-version", help="Dataset release, e.g. 25.1 (else from the file).")] = None,
    dates: Annotated[str | None, typer.Option("--dates", help="Accepted event dates, e.g. 1946-01-01..2030-12-31 "
                                              "(default: 1946-01-01 to a year from today; env RASID_DATE_MIN/MAX).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Reject rows whose low/best/high deaths are out of order "
                                         "(kept with a warning by default, as UCDP publishes a few).")] = False,
    undo: Annotated[str | None, typer.Option("--undo", metavar="BATCH", help="Take out the events of one ingest "
                                             "(batch id from `rasid info --ingests`) and restore what it replaced.")] = None,
) -> None:
    """Load event files into the store (atomic per file; re-ingesting the same file adds nothing)."""
    if undo is not None:
        if files:
            raise fail(InputError("give either files to ingest or --undo BATCH, not both"))
        with open_store(db, read_only=False) as store:
            rep = store.undo(undo.strip())
        console.print(f"batch {rep.batch_id} ({rep.file}) undone: {rep.rows_removed:,} events removed, "
                      f"{rep.rows_restored:,} restored from the releases it had replaced", highlight=False)
        return
    if not files:
        raise fail(InputError("no files given; `rasid ingest FILE ...` (or --undo BATCH)"))
    window = parse_date_range(dates) if dates else None
    store = open_store(db, read_only=False)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=err_console, transient=True) as progress:
            for f in files:
                task = progress.add_task(f"ingesting {escape(f.name)}", total=None)
                rep = store.ingest_file(f, skip_bad_rows=skip_bad_rows, source_version=source_version,
                                        dates=window, strict=strict)
                progress.remove_task(task)
                if rep.status == "skipped":
                    console.print(escape(f"{f}: already ingested (batch {rep.batch_id}); nothing added"), highlight=False)
                    continue
                msg = (f"{f}: {rep.format}, {rep.rows_in:,} rows read, {rep.rows_out:,} added, "
                       f"{rep.rows_replaced:,} replaced by a newer release, {rep.rows_unchanged:,} kept (older file), "
                       f"{rep.rows_rejected:,} rejected in {rep.seconds:.2f}s (batch {rep.batch_id})")
                console.print(escape(msg), highlight=False)
                if rep.rejects_file:
                    console.print(escape(f"  rejected rows and reasons: {rep.rejects_file}"), highlight=False)
                if rep.warnings_total:
                    shown = "; ".join(f"line {ln}: {why}" for ln, why in rep.warnings[:3])
                    more = f" and {rep.warnings_total - 3:,} more" if rep.warnings_total > 3 else ""
                    console.print(escape(f"  {rep.warnings_total:,} rows kept as published with a remark ({shown}"
                                         f"{more}); --strict rejects them"), highlight=False)
    finally:
        store.close()
    console.print(escape(f"store: {store.path}"), highlight=False)


def info(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ingests: Annotated[bool, typer.Option("--ingests", help="List the ingest log (batch ids for `rasid ingest --undo`).")] = False,
) -> None:
    """Per source: rows, date range, countries, releases (or, with --ingests, every ingest)."""
    with open_store(db) as store:
        df = store.ingests() if ingests else store.info()
    if ingests:
        if fmt == "json":
            write_json(json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False)))
        else:
            cols = ["batch_id", "status", "file", "format", "source_version", "rows_out", "rows_rejected",
                    "rows_replaced", "finished_at"]
            print_table(df[[c for c in cols if c in df]].assign(file=df.file.map(lambda f: Path(f).name)),
                        title=f"ingests of {store.path}")
        return
    if fmt == "json":
        write_json([{"source": r.source, "rows": int(r.rows), "min_date": str(r.min_date), "max_date": str(r.max_date),
                     "countries": list(r.countries), "versions": list(r.versions)} for r in df.itertuples()])
        return
    df = df.assign(countries=df.countries.map(", ".join), versions=df.versions.map(", ".join))
    print_table(df, title=f"rasid store {store.path}")


def events(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    admin1: Annotated[str | None, typer.Option("--admin1", help="Governorates (code, English or Arabic name).")] = None,
    admin2: Annotated[str | None, typer.Option("--admin2", help="Districts (code or name).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM or YYYY-MM-DD (inclusive)")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM or YYYY-MM-DD (inclusive)")] = None,
    source: Annotated[str | None, typer.Option("--source", help="ucdp_ged, acled, gtd, news ...")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, parquet, geojson or jsonl")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 50,
) -> None:
    """Events matching the filters, in canonical columns."""
    if fmt != "table" and fmt not in FORMATS:
        raise fail(InputError(f"unknown format {fmt!r}; expected table or one of {', '.join(FORMATS)}"))
    if out is not None and fmt == "table":
        raise fail(InputError(f"--out needs a file format: --format {', '.join(FORMATS)}"))
    if out is None and fmt == "parquet":
        raise fail(InputError("--format parquet needs --out FILE"))
    try:
        flt = EventFilter(actors=split_list(actor), countries=split_list(country), admin1=split_list(admin1),
                          admin2=split_list(admin2), since=parse_month(since) if since else None,
                          until=parse_month(until, end=True) if until else None, sources=split_list(source))
        with open_store(db) as store:
            df = store.events(flt)
    except RasidError as exc:
        raise fail(exc) from exc
    if fmt == "table":
        cols = ["date_start", "country", "admin1_en", "admin2_en", "actor1_id", "actor2_id", "event_type",
                "deaths_best", "source", "source_id"]
        view = df[cols].assign(date_start=df.date_start.dt.strftime("%Y-%m-%d"))
        print_table(view, title=f"{len(df):,} events", limit=limit)
        return
    if out is None:
        write_events(df, fmt, sys.stdout)
        return
    with atomic_path(out) as tmp:  # no half-written file on a full disk or an error
        write_events(df, fmt, tmp)


def actors(
    db: DbOpt = None,
    unmapped: Annotated[bool, typer.Option("--unmapped", help="List actor names in the store that map to no canonical actor.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Canonical actors and their names, or the store's names that are not mapped yet."""
    if unmapped:
        try:
            with open_store(db) as store:
                names = store.con.execute(
                    "SELECT name, sum(n)::BIGINT AS events FROM (SELECT actor1 AS name, count(*) n FROM events GROUP BY 1 "
                    "UNION ALL SELECT actor2, count(*) FROM events GROUP BY 1) WHERE name IS NOT NULL "
                    "GROUP BY name ORDER BY events DESC").fetchdf()
        except RasidError as exc:
            raise fail(exc) from exc
        df = names[~names["name"].map(is_known)].reset_index(drop=True)
        title = f"{len(df)} actor names not in the actor table (coalitions are mapped member by member)"
    else:
        labels = actor_labels()
        counts = actor_table().groupby("actor_id").name.apply(lambda s: "; ".join(s.head(6))).rename("names")
        df = labels[["actor_id", "label_en", "label_ar", "kind"]].merge(counts, on="actor_id", how="left")
        title = "canonical actors"
    if fmt == "json":
        write_json(df.to_dict("records"))
    else:
        print_table(df, title=title)
