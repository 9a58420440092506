"""The event store: one DuckDB file holding canonical events and a record of every ingest.

Ingest is atomic (one transaction per file: a failure or a killed process leaves the store as it
was) and idempotent (a file already ingested, by sha256, adds nothing; events are keyed by
``event_id`` and a newer release of a dataset replaces the rows it revises and keeps the rest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import platformdirs

from rasid.errors import BadRowsError, InputError, StoreError, clean_text, from_os_error
from rasid.events import readers
from rasid.events.export import write_jsonl
from rasid.events.query import EventFilter, arrow_to_frame, events_sql
from rasid.events.schema import COLUMNS, SCHEMA

__all__ = ["Store", "IngestReport", "UndoReport", "default_db_path", "find_config", "write_config", "CONFIG_NAME"]

CONFIG_NAME = "rasid.toml"
_SQL_TYPES = {"string": "VARCHAR", "date32[day]": "DATE", "double": "DOUBLE", "int64": "BIGINT", "bool": "BOOLEAN"}
_INGESTS_SQL = ("batch_id VARCHAR PRIMARY KEY, file VARCHAR, sha256 VARCHAR, format VARCHAR, source VARCHAR, "
            "source_version VARCHAR, rows_in BIGINT, rows_out BIGINT, rows_rejected BIGINT, rows_replaced BIGINT, "
            "started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR")


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest ``rasid.toml`` in ``start`` (default: the working folder) or a folder above it."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        cand = folder / CONFIG_NAME
        if cand.is_file():
            return cand
    return None


def write_config(folder: str | Path, db: str | Path) -> Path:
    """Write ``folder/rasid.toml`` naming the store ``db`` (relative to the folder when inside it)."""
    folder = Path(folder).resolve()
    dbp = Path(db).resolve()
    try:
        shown = dbp.relative_to(folder).as_posix()
    except ValueError:
        shown = dbp.as_posix()
    cfg = folder / CONFIG_NAME
    text = ("# rasid settings for commands run in this folder (and below); see README \"Where the store is\"\n"
            f"[store]\ndb = {_toml_string(shown)}\n")
    try:
        cfg.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise from_os_error(exc, cfg, doing="cannot write the settings") from exc
    return cfg


def _toml_string(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _config_db(cfg: Path) -> Path | None:
    try:
        data = tomllib.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the rasid settings ({exc})", path=cfg) from exc
    db = (data.get("store") or {}).get("db")
    if db is None:
        return None
    if not isinstance(db, str) or not db.strip():
        raise InputError("[store] db must be a file path (a string)", path=cfg)
    p = Path(db).expanduser()
    return p if p.is_absolute() else cfg.parent / p


def default_db_path(start: str | Path | None = None) -> Path:
    """Where the store is when ``--db`` is not given, first match wins.

    1. ``$RASID_DB``;
    2. ``[store] db`` of the nearest ``rasid.toml`` in the working folder or above (a relative path
       is relative to that file; ``rasid demo`` writes one pointing at its store);
    3. ``<user data dir>/rasid/rasid.duckdb``.
    """
    env = os.environ.get("RASID_DB")
    if env:
        return Path(env).expanduser()
    cfg = find_config(start)
    if cfg is not None:
        db = _config_db(cfg)
        if db is not None:
            return db
    return Path(platformdirs.user_data_dir("rasid")) / "rasid.duckdb"


def _ingest_memory() -> str:
    """DuckDB's memory limit while ingesting (``$RASID_INGEST_MEMORY``, default 512MB; more spills to disk).

    Keeps a 400,000-row file under 1 GB of peak memory with no loss of speed (``make bench``).
    """
    raw = os.environ.get("RASID_INGEST_MEMORY", "512MB").strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*([KMGT]i?B|B)", raw, re.I):
        raise InputError(f"$RASID_INGEST_MEMORY={raw!r} is not a size such as 512MB or 2GB")
    return raw


def _lock_wait() -> float:
    """Seconds to wait for another process's lock on the store (``$RASID_LOCK_WAIT``, default 120)."""
    try:
        return max(0.0, float(os.environ.get("RASID_LOCK_WAIT", "120")))
    except ValueError:
        return 120.0


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
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, remark) of the first rows kept with one
    warnings_total: int = 0

    def to_dict(self) -> dict:
        """Plain dict (for JSON output)."""
        return asdict(self)


@dataclass
class UndoReport:
    """What undoing one ingest did."""

    batch_id: str
    file: str
    rows_removed: int
    rows_restored: int

    def to_dict(self) -> dict:
        """Plain dict (for JSON output)."""
        return asdict(self)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except OSError as exc:
        raise from_os_error(exc, path) from exc
    return h.hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_CAUSES = (("no space left on device", "no space left on device"), ("disk quota", "disk quota exceeded"),
           ("permission denied", "permission denied"), ("read-only file system", "read-only file system"),
           ("out of memory", "out of memory"))


def _write_failure(exc: BaseException, path: Path, outcome: str) -> StoreError:
    """A failed write as one line: the cause in words first, then DuckDB's own message."""
    detail = _first_line(exc)
    cause = next((why for words, why in _CAUSES if words in detail.lower()), "cannot write the store")
    return StoreError(f"{cause}; {outcome} ({detail})", path=path)


_VKEY = ("CREATE OR REPLACE TEMP MACRO _vkey(v) AS CASE WHEN v IS NULL OR regexp_extract(v, '^[0-9.]+') = '' "
         "THEN '' ELSE array_to_string(list_transform(string_split(regexp_extract(v, '^[0-9.]+'), '.'), "
         "lambda x: lpad(x, 12, '0')), '.') END")
_GOOD_SQL = "t._problem IS NULL AND NOT EXISTS (SELECT 1 FROM _xbad x WHERE x._rid = t.rowid)"


class Store:
    """The DuckDB event store (one file); queries go through :mod:`rasid.events.query` (Ibis)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None
        self._table = None

    # -- connection -------------------------------------------------------------------------
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection (opened on first use, waiting for another process's lock)."""
        if self._con is None:
            self._con = self._connect()
        return self._con

    def _check_path(self) -> None:
        p = self.path
        if str(p) in ("", "."):
            raise StoreError("no store file given", path=p, exit_code=2)
        if p.is_dir():
            raise StoreError("is a directory, not a store file; give a file such as rasid.duckdb", path=p, exit_code=2)
        if p.exists() and not p.is_file():
            raise StoreError("is not a regular file (a device or FIFO?), not a store", path=p, exit_code=2)
        if self.read_only and not p.exists():
            raise StoreError("no event store here yet; run `rasid ingest FILE` first", path=p, exit_code=2)
        if not self.read_only:
            existing = next(a for a in [p.parent, *p.parent.parents] if a.exists() or a == a.parent)
            if existing.exists() and not existing.is_dir():
                raise StoreError("is a file, not a folder: the store cannot go under it", path=existing, exit_code=2)
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise from_os_error(exc, p.parent, doing="cannot create the store's folder") from exc

    def _connect(self) -> duckdb.DuckDBPyConnection:
        self._check_path()
        deadline = time.monotonic() + _lock_wait()
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=self.read_only)
                break
            except duckdb.IOException as exc:
                msg = _first_line(exc)
                if "lock" in msg.lower():
                    if time.monotonic() < deadline:
                        time.sleep(0.2)
                        continue
                    raise StoreError(f"the store is locked by another process ({msg}); waited "
                                     f"{_lock_wait():.0f} s ($RASID_LOCK_WAIT)", path=self.path) from exc
                if "not a valid duckdb database" in msg.lower():
                    raise StoreError(f"not a rasid store ({msg})", path=self.path, exit_code=2) from exc
                raise StoreError(f"cannot open the store ({msg})", path=self.path) from exc
            except duckdb.Error as exc:
                raise StoreError(f"not a rasid store ({_first_line(exc)})", path=self.path, exit_code=2) from exc
        try:
            con.execute("SET enable_progress_bar = false")  # the CLI shows its own progress
            if not self.read_only:
                self._init_schema(con)
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"cannot prepare the store ({_first_line(exc)})", path=self.path) from exc
        return con

    @staticmethod
    def _init_schema(con: duckdb.DuckDBPyConnection) -> None:
        cols_sql = ", ".join(f"{f.name} {_SQL_TYPES[str(f.type)]}" for f in SCHEMA)
        con.execute(f"CREATE TABLE IF NOT EXISTS events ({cols_sql})")  # event_id unique by the ingest rules
        con.execute(f"CREATE TABLE IF NOT EXISTS ingests ({_INGESTS_SQL})")
        con.execute("ALTER TABLE ingests ADD COLUMN IF NOT EXISTS undone_at TIMESTAMP")
        # rows a newer release replaced, kept so that undoing that release brings them back
        con.execute(f"CREATE TABLE IF NOT EXISTS replaced_events ({cols_sql}, replaced_by VARCHAR)")

    def close(self) -> None:
        """Close the connection (releases the file lock)."""
        self._table = None
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, skip_bad_rows: bool = False,
               source_version: str | None = None, dates: tuple[dt.date, dt.date] | None = None,
               strict: bool = False, on_file: Callable[[IngestReport], None] | None = None) -> list[IngestReport]:
        """Ingest files one by one, each in its own transaction; stops at the first bad file."""
        reports = []
        for p in paths:
            rep = self.ingest_file(p, skip_bad_rows=skip_bad_rows, source_version=source_version, dates=dates,
                                   strict=strict)
            reports.append(rep)
            if on_file:
                on_file(rep)
        return reports

    def ingest_file(self, path: str | Path, *, skip_bad_rows: bool = False, source_version: str | None = None,
                    dates: tuple[dt.date, dt.date] | None = None, strict: bool = False) -> IngestReport:
        """Ingest one file atomically; see the module docstring for the replace rules.

        ``dates`` bounds the accepted event dates (default :func:`rasid.events._checks.valid_date_range`);
        ``strict`` rejects rows whose low/best/high death estimates are out of order (kept with a
        warning otherwise, as UCDP publishes a few).
        """
        if self.read_only:
            raise StoreError("store opened read-only", path=self.path)
        p = Path(path)
        readers.check_input_file(p)
        t0 = time.perf_counter()
        started = dt.datetime.now()
        sha = _sha256(p)
        con = self.con
        batch = uuid.uuid4().hex[:12]
        con.execute("SET memory_limit = $m", {"m": _ingest_memory()})
        try:
            return self._ingest(con, p, sha, batch, t0, started, skip_bad_rows=skip_bad_rows,
                                source_version=source_version, dates=dates, strict=strict)
        finally:
            try:
                con.execute("RESET memory_limit")  # back to DuckDB's default for the queries
            except duckdb.Error:
                pass  # a connection broken by the failure itself

    def _ingest(self, con: duckdb.DuckDBPyConnection, p: Path, sha: str, batch: str, t0: float,
                started: dt.datetime, *, skip_bad_rows: bool, source_version: str | None,
                dates: tuple[dt.date, dt.date] | None, strict: bool) -> IngestReport:
        """Stage, check and commit one file (the memory limit is set by the caller)."""
        done = con.execute("SELECT batch_id, format FROM ingests WHERE sha256 = ? AND status = 'ok' LIMIT 1",
                           [sha]).fetchall()
        done = done[0] if done else None
        if done:
            return IngestReport(done[0], str(p), sha, done[1], "skipped", seconds=time.perf_counter() - t0)
        try:
            try:
                staged = readers.stage(con, p, source_version=source_version, dates=dates, strict=strict)
            except duckdb.Error as exc:
                raise InputError(f"cannot read ({_first_line(exc)})", path=p) from exc
            rep = IngestReport(batch, str(p), sha, staged.sniff.format, "ok", rows_in=staged.rows_in,
                               warnings=[(ln, why) for ln, why, _ in staged.warnings],
                               warnings_total=staged.warnings_total)
            if staged.problems:
                if not skip_bad_rows:
                    shown = "; ".join(f"line {ln}: {why}" for ln, why, _ in staged.problems[:5])
                    more = f" (and {len(staged.problems) - 5} more)" if len(staged.problems) > 5 else ""
                    raise BadRowsError(f"{len(staged.problems)} bad row(s), file rejected: {shown}{more}; "
                                       "use --skip-bad-rows to load the good rows", path=p,
                                       problems=[(ln, why) for ln, why, _ in staged.problems])
                rep.rejects_file = str(_write_rejects(p, staged.problems))
                rep.rows_rejected = len(staged.problems)
            self._commit(con, rep, staged, started, t0)
        finally:
            try:
                readers.drop_staging(con)
            except duckdb.Error:
                pass  # a connection broken by the failure itself: nothing left to drop
        self._table = None
        return rep

    def _commit(self, con: duckdb.DuckDBPyConnection, rep: IngestReport, staged: readers.Staged,
                started: dt.datetime, t0: float) -> None:
        """Move the good staged rows into ``events`` in one transaction (newest release of an event wins)."""
        b = {"batch": rep.batch_id}
        try:
            con.execute(_VKEY)
            con.execute("BEGIN TRANSACTION")
        except duckdb.Error as exc:
            raise StoreError(f"cannot write the store ({_first_line(exc)})", path=self.path) from exc
        try:
            # rows already stored whose release is the same or older than the incoming one are replaced
            con.execute(f"""CREATE OR REPLACE TEMP TABLE _older AS SELECT e.event_id FROM events e JOIN _typed t
                            ON e.event_id = t.event_id WHERE {_GOOD_SQL}
                            AND _vkey(e.source_version) <= _vkey(t.source_version)""")
            replaced = con.execute("SELECT count(*) FROM _older").fetchall()[0][0]
            if replaced:
                con.execute("INSERT INTO replaced_events SELECT *, $batch FROM events "
                            "WHERE event_id IN (SELECT event_id FROM _older)", b)
                con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM _older)")
            # rows of a newer release already stored stay (an older file never overwrites them)
            newer = con.execute(f"SELECT count(*) FROM events e JOIN _typed t ON e.event_id = t.event_id "
                                f"WHERE {_GOOD_SQL}").fetchall()[0][0]
            cols_sql = ", ".join(COLUMNS)
            select_sql = readers.final_select_sql(con, only_good=bool(rep.rows_rejected))
            keep_sql = ("WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = g.event_id)" if newer else "")
            # sorted by date: the date filters of every analysis then skip whole row groups
            inserted = con.execute(f"INSERT INTO events ({cols_sql}) SELECT {cols_sql} FROM ({select_sql}) g "
                                   f"{keep_sql} ORDER BY date_start", b).fetchall()[0][0]
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
                "INSERT INTO ingests (batch_id, file, sha256, format, source, source_version, rows_in, rows_out, "
                "rows_rejected, rows_replaced, started_at, finished_at, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, 'ok')",
                [rep.batch_id, rep.file, rep.sha256, rep.format, staged.source, staged.version, rep.rows_in,
                 rep.rows_out, rep.rows_rejected, rep.rows_replaced, started],
            )
            con.execute("COMMIT")
        except BaseException as exc:
            _rollback(con)
            if isinstance(exc, duckdb.Error):
                raise _write_failure(exc, self.path, "nothing was added") from exc
            raise
        finally:
            try:
                con.execute("DROP TABLE IF EXISTS _older")
            except duckdb.Error:
                pass

    def undo(self, batch_id: str) -> UndoReport:
        """Take out the rows one ingest wrote and bring back the rows it had replaced, atomically.

        The ingest stays in the ``ingests`` log with status ``undone`` (and ``undone_at``); the same
        file can be ingested again afterwards.
        """
        if self.read_only:
            raise StoreError("store opened read-only", path=self.path)
        con = self.con
        rows = con.execute("SELECT status, file FROM ingests WHERE batch_id = ?", [batch_id]).fetchall()
        row = rows[0] if rows else None
        if row is None:
            raise InputError(f"no ingest with batch id {batch_id!r}; `rasid info --ingests` lists them",
                             path=self.path)
        if row[0] != "ok":
            raise InputError(f"ingest {batch_id} ({row[1]}) is already {row[0]}", path=self.path)
        b = {"batch": batch_id}
        cols_sql = ", ".join(COLUMNS)
        try:
            con.execute("BEGIN TRANSACTION")
        except duckdb.Error as exc:
            raise StoreError(f"cannot write the store ({_first_line(exc)})", path=self.path) from exc
        try:
            removed = con.execute("DELETE FROM events WHERE batch_id = $batch", b).fetchall()[0][0]
            # rows this batch replaced whose id a later batch holds now: they belong to that batch's undo
            con.execute("UPDATE replaced_events r SET replaced_by = e.batch_id FROM events e "
                        "WHERE r.replaced_by = $batch AND e.event_id = r.event_id", b)
            restored = con.execute(f"INSERT INTO events ({cols_sql}) SELECT {cols_sql} FROM replaced_events "
                                   "WHERE replaced_by = $batch", b).fetchall()[0][0]
            con.execute("DELETE FROM replaced_events WHERE replaced_by = $batch OR batch_id = $batch", b)
            con.execute("UPDATE ingests SET status = 'undone', undone_at = now()::TIMESTAMP WHERE batch_id = $batch", b)
            con.execute("COMMIT")
        except BaseException as exc:
            _rollback(con)
            if isinstance(exc, duckdb.Error):
                raise _write_failure(exc, self.path, "nothing was changed") from exc
            raise
        self._table = None
        return UndoReport(batch_id, row[1], int(removed), int(restored))

    def add_events(self, df: pd.DataFrame, *, source: str = "news", file: str | None = None) -> IngestReport:
        """Write already-canonical events (e.g. extracted from news) through the same atomic path.

        The same validation applies; a refusal names the rows of ``df`` (1-based), not a temp file.
        """
        frame = df.copy()
        frame["source"] = frame.get("source", source) if "source" in frame else source
        name = file or f"{source}-events.jsonl"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            write_jsonl(frame, path)
            try:
                return self.ingest_file(path)
            except BadRowsError as exc:
                shown = "; ".join(f"event {ln}: {why}" for ln, why in exc.problems[:5])
                more = f" (and {len(exc.problems) - 5} more)" if len(exc.problems) > 5 else ""
                raise BadRowsError(f"{len(exc.problems)} of {len(frame)} {source} event(s) refused, none written: "
                                   f"{shown}{more}", path=name, problems=exc.problems) from None

    # -- queries ----------------------------------------------------------------------------
    def table(self):
        """The Ibis table of events (for composing queries; built once per connection)."""
        if self._table is None:
            import ibis  # heavy: about half a second, loaded for composed queries only, not for ingest

            self._table = ibis.duckdb.from_connection(self.con).table("events")
        return self._table

    def events(self, flt: EventFilter | None = None, *, columns: list[str] | None = None) -> pd.DataFrame:
        """Events matching the filter as a DataFrame with canonical columns (dates as datetime64)."""
        sql, params = events_sql(flt or EventFilter(), columns)
        return arrow_to_frame(self.con.sql(sql, params=params).to_arrow_table())

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


_FORMULA = ("=", "+", "@", "\t", "\r")


def _cell(value: str | None) -> str | None:
    """A value as a spreadsheet shows it, never as a formula (=, +, @, - before a letter)."""
    if value is None:
        return None
    value = clean_text(str(value))
    if value.startswith(_FORMULA) or (value.startswith("-") and value[1:2] and not value[1:2].isdigit()):
        return "'" + value
    return value


def _write_rejects(path: Path, problems: list[tuple[int, str, str | None]]) -> Path:
    """Write rejected rows with reasons next to the input (or to the temp dir if that is not writable).

    Written to a temp file and renamed, so a full disk never leaves half a rejects file.
    """
    name = path.name.removesuffix(".gz") + ".rejects.csv"
    frame = pd.DataFrame([(ln, _cell(why), _cell(sid)) for ln, why, sid in problems],
                         columns=["line", "reason", "source_id"])
    last: OSError | None = None
    for folder in (path.parent, Path(tempfile.gettempdir())):
        out = folder / name
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        except OSError as exc:
            last = exc
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                frame.to_csv(fh, index=False)
            os.replace(tmp, out)
            return out
        except OSError as exc:
            last = exc
            try:
                os.unlink(tmp)
            except OSError:
                pass
    assert last is not None
    raise from_os_error(last, path.parent / name, doing="cannot write the rejects file")


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back, keeping the error that caused it (a failed rollback must not hide the cause)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass
