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

from rasid.errors import RasidError

__all__ = ["DbOpt", "ActorOpt", "CountryOpt", "UnitOpt", "console", "err_console", "split_list", "fail", "print_table",
           "write_json", "open_store"]

console = Console()
err_console = Console(stderr=True)

DbOpt = Annotated[Path | None, typer.Option("--db", help="Event store file (default: $RASID_DB or the user data dir).",
                                            envvar="RASID_DB", show_envvar=True)]
ActorOpt = Annotated[str | None, typer.Option("--actor", help="Actor id or name (IS, ISIS, داعش ...); comma-separated.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO2 country codes, comma-separated (IQ,SY).")]
UnitOpt = Annotated[str, typer.Option("--unit", help="admin1, admin2 or grid (PRIO-GRID cells).")]


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
    from rasid.events import Store

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
