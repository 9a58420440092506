"""The event store: one DuckDB file holding canonical events and a record of every ingest.

Ingest is atomic (one transaction per file: a failure or a killed process leaves the store as it
was) and idempotent (a file already ingested, by sha256, adds nothing; events are keyed by
``event_id`` and a newer release of a dataset replaces the rows it revises and keeps the rest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd
import platformdirs

from rasid.errors import BadRowsError, InputError, StoreError
from rasid.events import readers
from rasid.events.query import EventFilter, events_expr, to_frame
from rasid.events.schema import COLUMNS, SCHEMA

__all__ = ["Store", "IngestReport", "default_db_path"]

_LOCK_WAIT_S = 120.0
_SQL_TYPES = {"string": "VARCHAR", "date32[day]": "DATE", "double": "DOUBLE", "int64": "BIGINT", "bool": "BOOLEAN"}


def default_db_path() -> Path:
    """``$RASID_DB`` or ``<user data dir>/rasid/rasid.duckdb``."""
    env = os.environ.get("RASID_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("rasid")) / "rasid.duckdb"


@dataclass
class IngestReport:
    """What one ingest did: counts are rows of the file."""

    batch_id: str
    file: str
    sha256: str
    format: str
    status: str  # ok | skipped
    rows_in: int = 0
    rows_out: int = 0
    rows_rejected: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    rejects_file: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        """Plain dict (for JSON output)."""
        return asdict(self)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


_VKEY = ("CREATE OR REPLACE TEMP MACRO _vkey(v) AS CASE WHEN v IS NULL OR regexp_extract(v, '^[0-9.]+') = '' "
         "THEN '' ELSE array_to_string(list_transform(string_split(regexp_extract(v, '^[0-9.]+'), '.'), "
         "lambda x: lpad(x, 12, '0')), '.') END")


class Store:
    """The DuckDB event store (one file); queries go through :mod:`rasid.events.query` (Ibis)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None

    # -- connection -------------------------------------------------------------------------
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection (opened on first use, waiting for another process's lock)."""
        if self._con is None:
            self._con = self._connect()
        return self._con

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.read_only and not self.path.exists():
            raise StoreError("no event store here yet; run `rasid ingest FILE` first", path=self.path)
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=self.read_only)
                break
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower() and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise StoreError(f"cannot open the store ({str(exc).splitlines()[0]})", path=self.path) from exc
            except duckdb.Error as exc:
                raise StoreError(f"not a rasid store ({str(exc).splitlines()[0]})", path=self.path) from exc
        con.execute("SET enable_progress_bar = false")  # the CLI shows its own progress
        if not self.read_only:
            self._init_schema(con)
        return con

    @staticmethod
    def _init_schema(con: duckdb.DuckDBPyConnection) -> None:
        cols = ", ".join(f"{f.name} {_SQL_TYPES[str(f.type)]}" for f in SCHEMA)
        con.execute(f"CREATE TABLE IF NOT EXISTS events ({cols})")  # event_id unique by the ingest rules
        con.execute("""CREATE TABLE IF NOT EXISTS ingests (
            batch_id VARCHAR PRIMARY KEY, file VARCHAR, sha256 VARCHAR, format VARCHAR, source VARCHAR,
            source_version VARCHAR, rows_in BIGINT, rows_out BIGINT, rows_rejected BIGINT, rows_replaced BIGINT,
            started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR)""")

    def close(self) -> None:
        """Close the connection (releases the file lock)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, skip_bad_rows: bool = False,
               source_version: str | None = None,
               on_file: Callable[[IngestReport], None] | None = None) -> list[IngestReport]:
        """Ingest files one by one, each in its own transaction; stops at the first bad file."""
        reports = []
        for p in paths:
            rep = self.ingest_file(p, skip_bad_rows=skip_bad_rows, source_version=source_version)
            reports.append(rep)
            if on_file:
                on_file(rep)
        return reports

    def ingest_file(self, path: str | Path, *, skip_bad_rows: bool = False,
                    source_version: str | None = None) -> IngestReport:
        """Ingest one file atomically; see the module docstring for the replace rules."""
        if self.read_only:
            raise StoreError("store opened read-only", path=self.path)
        p = Path(path)
        if not p.is_file():
            raise InputError("no such file", path=p)
        t0 = time.perf_counter()
        started = dt.datetime.now()
        sha = _sha256(p)
        con = self.con
        batch = uuid.uuid4().hex[:12]
        done = con.execute("SELECT batch_id, format FROM ingests WHERE sha256 = ? AND status = 'ok' LIMIT 1",
                           [sha]).fetchone()
        if done:
            return IngestReport(done[0], str(p), sha, done[1], "skipped", seconds=time.perf_counter() - t0)
        try:
            staged = readers.stage(con, p, batch_id=batch, source_version=source_version)
        except duckdb.Error as exc:
            raise InputError(f"cannot read ({str(exc).splitlines()[0]})", path=p) from exc
        rep = IngestReport(batch, str(p), sha, staged.sniff.format, "ok", rows_in=staged.rows_in)
        if staged.problems:
            if not skip_bad_rows:
                shown = "; ".join(f"line {ln}: {why}" for ln, why, _ in staged.problems[:5])
                more = f" (and {len(staged.problems) - 5} more)" if len(staged.problems) > 5 else ""
                raise BadRowsError(f"{len(staged.problems)} bad row(s), file rejected: {shown}{more}; "
                                   "use --skip-bad-rows to load the good rows", path=p,
                                   problems=[(ln, why) for ln, why, _ in staged.problems])
            rep.rejects_file = str(_write_rejects(p, staged.problems))
            rep.rows_rejected = len(staged.problems)
        self._commit(con, rep, started, t0)
        return rep

    def _commit(self, con: duckdb.DuckDBPyConnection, rep: IngestReport, started: dt.datetime, t0: float) -> None:
        """Move ``_final`` into ``events`` in one transaction (newest release of an event wins)."""
        con.execute(_VKEY)
        con.execute("BEGIN TRANSACTION")
        try:
            # the validation expression is evaluated again only when some rows were rejected
            keep = " WHERE _problem IS NULL" if rep.rows_rejected else ""
            con.execute(f"CREATE OR REPLACE TEMP VIEW _good AS SELECT * EXCLUDE (_row, _problem) FROM _final{keep}")
            # rows already stored whose release is the same or older than the incoming one are replaced
            con.execute("""CREATE OR REPLACE TEMP TABLE _older AS SELECT e.event_id FROM events e JOIN _good g
                           USING (event_id) WHERE _vkey(e.source_version) <= _vkey(g.source_version)""")
            replaced = con.execute("SELECT count(*) FROM _older").fetchone()[0]
            con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM _older)")
            cols = ", ".join(COLUMNS)
            con.execute(f"INSERT INTO events ({cols}) SELECT {cols} FROM _good g "
                        "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = g.event_id)")
            inserted, source, version = con.execute(
                "SELECT count(*), any_value(source), max(source_version) FROM events WHERE batch_id = ?",
                [rep.batch_id]).fetchone()
            good = rep.rows_in - rep.rows_rejected
            pause = os.environ.get("RASID_INGEST_PAUSE")  # test hook: hold the open transaction
            if pause:
                mark = os.environ.get("RASID_INGEST_PAUSE_MARK")
                if mark:
                    Path(mark).touch()
                time.sleep(float(pause))
            rep.rows_out, rep.rows_replaced, rep.rows_unchanged = inserted, replaced, good - inserted
            rep.seconds = time.perf_counter() - t0
            con.execute(
                "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, 'ok')",
                [rep.batch_id, rep.file, rep.sha256, rep.format, source, version, rep.rows_in, rep.rows_out,
                 rep.rows_rejected, rep.rows_replaced, started],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("DROP VIEW IF EXISTS _good")
            con.execute("DROP TABLE IF EXISTS _older")
            readers.drop_staging(con)

    def add_events(self, df: pd.DataFrame, *, source: str = "news", file: str | None = None) -> IngestReport:
        """Write already-canonical events (e.g. extracted from news) through the same atomic path."""
        import tempfile

        from rasid.events.export import write_jsonl

        frame = df.copy()
        frame["source"] = frame.get("source", source) if "source" in frame else source
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (file or f"{source}-events.jsonl")
            write_jsonl(frame, path)
            return self.ingest_file(path)

    # -- queries ----------------------------------------------------------------------------
    def table(self):
        """The Ibis table of events (for composing queries)."""
        import ibis

        return ibis.duckdb.from_connection(self.con).table("events")

    def events(self, flt: EventFilter | None = None, *, columns: list[str] | None = None) -> pd.DataFrame:
        """Events matching the filter as a DataFrame with canonical columns (dates as datetime64)."""
        return to_frame(events_expr(self.table(), flt or EventFilter(), columns))

    def info(self) -> pd.DataFrame:
        """Per source: rows, first/last date, countries, releases."""
        info = self.con.execute("""
            SELECT source, count(*) AS rows, min(date_start)::VARCHAR AS min_date, max(date_start)::VARCHAR AS max_date,
                   coalesce(list_sort(list_distinct(list(country) FILTER (WHERE country IS NOT NULL))),
                            []::VARCHAR[]) AS countries,
                   coalesce(list_sort(list_distinct(list(source_version) FILTER (WHERE source_version IS NOT NULL))),
                            []::VARCHAR[]) AS versions
            FROM events GROUP BY source ORDER BY source""").fetchdf()
        # ACLED versions are per-row timestamps: show the range, not every value
        info["versions"] = [list(v) if len(v) <= 4 else [v[0], "…", v[-1]] for v in info["versions"]]
        return info

    def ingests(self) -> pd.DataFrame:
        """The ingest log, newest first."""
        return self.con.execute("SELECT * FROM ingests ORDER BY finished_at DESC").fetchdf()

    def data_versions(self) -> list[dict]:
        """Per source and release: rows and date range, plus the files ingested (for reproducibility notes)."""
        rows = self.con.execute("""
            SELECT e.source, e.source_version, count(*) AS rows, min(date_start)::VARCHAR AS min_date,
                   max(date_start)::VARCHAR AS max_date
            FROM events e GROUP BY ALL ORDER BY ALL""").fetchdf().to_dict("records")
        files = self.con.execute("SELECT file, sha256, source, rows_out FROM ingests WHERE status='ok' "
                                 "ORDER BY finished_at").fetchdf().to_dict("records")
        for r in rows:
            r["files"] = [{"file": Path(f["file"]).name, "sha256": f["sha256"]} for f in files
                          if f["source"] == r["source"]]
        return rows


def _write_rejects(path: Path, problems: list[tuple[int, str, str | None]]) -> Path:
    """Write rejected rows with reasons next to the input (or to the temp dir if that is read-only)."""
    name = path.name.removesuffix(".gz") + ".rejects.csv"
    out = path.with_name(name)
    frame = pd.DataFrame(problems, columns=["line", "reason", "source_id"])
    try:
        frame.to_csv(out, index=False)
    except OSError:
        import tempfile

        out = Path(tempfile.gettempdir()) / name
        frame.to_csv(out, index=False)
    return out
