"""Options and helpers shared by the CLI command modules (one home for --db, --actor, windows...)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import duckdb
import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rasid.analysis.spec import PanelSpec
from rasid.errors import (
    InputError,
    PathError,
    QueryError,
    RasidError,
    ResourceError,
    StoreError,
    from_os_error,
)
from rasid.events import EventFilter, Store
from rasid.geo.units import DEFAULT_UNIT, unit_frame

__all__ = ["DbOpt", "ActorOpt", "CountryOpt", "UnitOpt", "WindowOpt", "FormatOpt", "DEFAULT_UNIT", "TABLE_FORMATS",
           "console", "err_console", "split_list", "fail", "print_table", "write_json", "open_store", "make_spec",
           "load_events", "check_format", "emit", "as_rasid_error", "atomic_path", "check_output_dir", "output_dir", "StagedDir"]

# soft wrap: a message is never broken by the console (paths and batch ids stay whole for copying and
# for scripts; the terminal wraps long lines itself); tables keep their own layout
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

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


def fail(exc: BaseException) -> typer.Exit:
    """Print an error as one line on stderr and return the exit to raise (2 bad input, 1 failure)."""
    err = as_rasid_error(exc)
    err_console.print(f"[bold red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
    return typer.Exit(code=err.exit_code)


def _duckdb_error(exc: duckdb.Error) -> RasidError:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    low = first.lower()
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in low:
        return ResourceError(f"out of memory in the database ({first})")
    for words, why in (("no space left", "no space left on device"), ("permission denied", "permission denied"),
                       ("read-only file system", "read-only file system"), ("disk quota", "disk quota exceeded")):
        if words in low:
            return ResourceError(f"{why} ({first})")
    if "lock" in low:
        return StoreError(f"the store is locked by another process ({first})")
    return StoreError(f"database error ({first})")


def as_rasid_error(exc: BaseException) -> RasidError:
    """Any exception as a one-line rasid error: OS and DuckDB errors by cause, bugs as internal errors."""
    if isinstance(exc, RasidError):
        return exc
    if isinstance(exc, OSError):
        return from_os_error(exc)
    if isinstance(exc, duckdb.Error):
        return _duckdb_error(exc)
    if isinstance(exc, MemoryError):
        return ResourceError("out of memory")
    if isinstance(exc, UnicodeDecodeError):
        return InputError(f"bytes not valid in {exc.encoding} at byte offset {exc.start} ({exc.reason})")
    return RasidError(f"internal error ({type(exc).__name__}: {exc}); set RASID_DEBUG=1 to see the traceback "
                      "and please report it", exit_code=1)


_NAME_MAX = 255


def _check_name(path: Path) -> None:
    """Refuse what can never be an output file: no name, a name too long for the file system."""
    if str(path) in ("", ".", "..") or path.name in ("", ".", ".."):
        raise PathError("is a directory; give a file name", path=path)
    if any(len(part.encode("utf-8", "surrogateescape")) > _NAME_MAX for part in path.parts):
        raise PathError(f"file name too long (more than {_NAME_MAX} bytes)", path=path)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside ``target`` to write to; renamed onto ``target`` only when the block succeeds.

    A failure (full disk, a bug) removes the temp file, so no half-written output is left. A device
    or FIFO (``/dev/stdout``, ``/dev/null``) is written in place. OS errors name ``target``.
    """
    _check_name(target)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise from_os_error(exc, target) from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise PathError("is a directory; give a file name", path=target)
    if st is not None and not stat.S_ISREG(st.st_mode):  # device or FIFO: no rename possible
        try:
            yield target
        except OSError as exc:
            raise from_os_error(exc, target) from exc
        return
    parent = target.parent
    if not parent.is_dir():
        why = "is a file, not a folder" if parent.exists() else "folder does not exist"
        raise PathError(why, path=parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".part", dir=parent)
        os.close(fd)
    except OSError as exc:
        raise from_os_error(exc, target, doing="cannot write") from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise from_os_error(exc, target, doing="cannot write") from exc
    finally:
        if tmp.exists():
            tmp.unlink()


@dataclass
class StagedDir:
    """Files written into ``path`` (a hidden temp folder) are moved into ``target`` when the block succeeds."""

    target: Path
    path: Path
    moved: dict[Path, Path] = field(default_factory=dict)

    def final(self, p: Path) -> Path:
        """Where a file written under :attr:`path` ended up."""
        return self.moved.get(Path(p), Path(p))


def check_output_dir(target: Path) -> None:
    """Refuse an output folder that cannot be one (a file, a name too long) before any work is done."""
    if any(len(part.encode("utf-8", "surrogateescape")) > _NAME_MAX for part in target.parts):
        raise PathError(f"file name too long (more than {_NAME_MAX} bytes)", path=target)
    if target.exists() and not target.is_dir():
        raise PathError("exists and is not a folder", path=target)


@contextmanager
def output_dir(target: Path) -> Iterator[StagedDir]:
    """An output folder written all or nothing: on failure nothing new is left behind.

    The folder is created if missing; files are written to a temp folder inside it and moved in at
    the end (same file system, so each move is a rename).
    """
    check_output_dir(target)
    created = []
    try:
        for folder in reversed([target, *target.parents]):
            if not folder.exists():
                folder.mkdir()
                created.append(folder)
        tmp = Path(tempfile.mkdtemp(prefix=".rasid-", dir=target))
    except OSError as exc:
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        if exc.errno == errno.EEXIST:
            raise PathError("is a file, not a folder", path=exc.filename or target) from exc
        raise from_os_error(exc, exc.filename or target, doing="cannot create the output folder") from exc
    staged = StagedDir(target, tmp)
    try:
        yield staged
        for src in sorted(tmp.rglob("*")):
            dst = target / src.relative_to(tmp)
            if src.is_dir():
                dst.mkdir(exist_ok=True)
                continue
            os.replace(src, dst)
            staged.moved[src] = dst
    except BaseException as exc:
        for dst in staged.moved.values():  # a move failed half way: take back what was moved
            dst.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise from_os_error(exc, target, doing="cannot write") from exc
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
