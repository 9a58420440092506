"""Options and helpers shared by the CLI command modules (one home for --db, --actor, windows...)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError, RasidError
from rasid.events import EventFilter, Store
from rasid.geo.units import DEFAULT_UNIT, unit_frame

__all__ = ["DbOpt", "ActorOpt", "CountryOpt", "UnitOpt", "WindowOpt", "FormatOpt", "DEFAULT_UNIT", "TABLE_FORMATS",
           "console", "err_console", "split_list", "fail", "print_table", "write_json", "open_store", "make_spec",
           "load_events", "check_format", "emit"]

console = Console()
err_console = Console(stderr=True)

DbOpt = Annotated[Path | None, typer.Option("--db", help="Event store file (default: $RASID_DB or the user data dir).",
                                            envvar="RASID_DB", show_envvar=True)]
ActorOpt = Annotated[str | None, typer.Option("--actor", help="Actor id or name (IS, ISIS, داعش ...); comma-separated.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO2 country codes, comma-separated (IQ,SY).")]
UnitOpt = Annotated[str, typer.Option("--unit", help="admin2 (districts, the default), admin1 or grid (PRIO-GRID cells).")]
WindowOpt = Annotated[str | None, typer.Option("--window", help="YYYY-MM..YYYY-MM (default: the last 60 months of data)")]
FormatOpt = Annotated[str, typer.Option("--format", help="table, csv, json or geojson")]
#: output formats of every command whose result is one row per unit
TABLE_FORMATS = ("table", "csv", "json", "geojson")


def split_list(value: str | None) -> list[str] | None:
    """'IQ, SY' -> ['IQ', 'SY']; None or empty -> None."""
    if not value:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


def fail(exc: Exception) -> typer.Exit:
    """Print a rasid error as one line on stderr and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2 if isinstance(exc, RasidError) else 1)


def open_store(db: Path | None, *, read_only: bool = True):
    """The store at ``db`` (or the default)."""
    return Store(db, read_only=read_only)


def print_table(df: pd.DataFrame, title: str | None = None, *, limit: int | None = None) -> None:
    """Show a DataFrame as a Rich table (numbers right-aligned, floats rounded)."""
    table = Table(title=title, show_lines=False)
    shown = df if limit is None else df.head(limit)
    for c in shown.columns:
        table.add_column(str(c), justify="right" if pd.api.types.is_numeric_dtype(shown[c]) else "left")
    for row in shown.itertuples(index=False):
        cells = []
        for v in row:
            if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
                cells.append("")
            elif isinstance(v, float):
                cells.append(f"{v:.3g}" if abs(v) < 1e-3 and v != 0 else f"{v:,.3f}".rstrip("0").rstrip("."))
            else:
                cells.append(str(v))
        table.add_row(*cells)
    console.print(table)
    if limit is not None and len(df) > limit:
        console.print(f"... {len(df) - limit} more rows (use --format csv for all)")


def write_json(obj: object) -> None:
    """JSON to stdout, UTF-8, Arabic kept readable."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def make_spec(*, actor: str | None, country: str | None, unit: str = DEFAULT_UNIT, window: str | None = None,
              period: str = "month", measure: str = "events") -> PanelSpec:
    """The panel spec of a command's options, checked once here (window order, unit, period, countries)."""
    return PanelSpec.make(actor=actor, countries=country, unit=unit, window=window, period=period, measure=measure)


def load_events(db: Path | None, spec: PanelSpec, *, whole: bool = False,
                history_months: int = 0) -> pd.DataFrame:
    """The spec's events from the store: its window (extended back by ``history_months``), or all with ``whole``."""
    flt = (EventFilter(actors=spec.actors, countries=list(spec.countries)) if whole or spec.window is None
           else spec.event_filter(history_months=history_months))
    with open_store(db) as store:
        return store.events(flt)


def check_format(fmt: str, choices: tuple[str, ...] = TABLE_FORMATS) -> str:
    """``fmt`` if it is one of ``choices`` (checked before any work), else a QueryError naming them."""
    if fmt not in choices:
        raise QueryError(f"unknown --format {fmt!r}; expected one of {', '.join(choices)}")
    return fmt


def emit(df: pd.DataFrame, fmt: str, spec: PanelSpec, *, title: str, table_cols: list[str], limit: int) -> None:
    """Write a per-unit result as a Rich table, CSV, JSON records or GeoJSON features (unit polygons)."""
    check_format(fmt)
    out = df.copy()
    for c in ("period", "month"):
        if c in out and pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d" if c == "period" else "%Y-%m")
    if fmt == "table":
        print_table(out[[c for c in table_cols if c in out]], title=title, limit=limit)
    elif fmt == "csv":
        out.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        write_json(json.loads(out.to_json(orient="records", force_ascii=False)))
    else:
        geo = unit_frame(spec.unit, spec.countries)[["unit_code", "geometry"]].merge(out, on="unit_code", how="right")
        sys.stdout.write(geo.to_json(ensure_ascii=False, na="null") + "\n")
