"""Read event files of any supported format into canonical rows, chosen by sniffing the header.

Formats: UCDP GED (and Candidate) CSV, ACLED export CSV, GTD CSV/XLSX, rasid JSONL. Each
reader is a SQL projection from the raw text columns to the canonical schema, run in DuckDB
so a 400k-row file reads at DuckDB speed; rows that fail validation come back with their
file line numbers.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from rasid.errors import (
    EncodingError,
    InputError,
    MissingColumnError,
    UnknownFormatError,
)
from rasid.events import _acled, _gtd, _jsonl, _ucdp
from rasid.events._countries import to_iso2
from rasid.events.actors import canonical_actor
from rasid.events.schema import COLUMNS
from rasid.geo.admin import admin_lookup, priogrid_gid

__all__ = ["Sniff", "Staged", "sniff", "stage", "FORMATS"]

_CSV_READERS = [_ucdp, _acled, _gtd]
FORMATS = {m.NAME: m for m in [*_CSV_READERS, _jsonl]}
_DELIMS = [",", ";", "\t", "|"]
_EXPECTED = ("UCDP GED CSV (id, side_a, side_b, date_start, where_prec, ...), "
             "ACLED export CSV (event_id_cnty, event_date, actor1, fatalities, ...), "
             "GTD CSV/XLSX (eventid, iyear, imonth, iday, gname, ...), "
             "rasid JSONL (one JSON object per line with canonical columns)")


@dataclass
class Sniff:
    """What a file is: format, encoding, delimiter, header columns."""

    path: str
    format: str
    encoding: str = "utf-8"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    compressed: bool = False
    xlsx: bool = False


@dataclass
class Staged:
    """Result of staging a file into the temp table ``_final`` of a connection."""

    sniff: Sniff
    rows_in: int
    problems: list[tuple[int, str, str | None]]  # (line, reason, source_id)


def _open_bytes(path: Path) -> tuple[bytes, bool]:
    """First 64 KiB of the (possibly gzipped) file, and whether it is gzipped."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as fh:
            try:
                return fh.read(65536), True
            except (OSError, EOFError) as exc:
                raise InputError(f"corrupt gzip data ({exc})", path=path) from exc
    return head, False


def _encoding_of(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head[:200].count(b"\x00") > 20:  # UTF-16 without BOM
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a multi-byte char cut at the buffer end
            return "utf-8"
        return "cp1252"


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not a text file."""
    sample = head[:4096]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return ctrl > max(8, len(sample) // 50)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def sniff(path: str | Path) -> Sniff:
    """Identify the file's format from its content (never from its name)."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", path=p)
    if p.is_dir():
        raise InputError("is a directory, not an event file", path=p)
    if p.stat().st_size == 0:
        raise InputError("file is empty", path=p)
    head, gz = _open_bytes(p)
    if not head.strip():
        raise InputError("file is empty (only whitespace)", path=p)
    if head[:4] == b"PK\x03\x04":
        return _sniff_xlsx(p)
    enc = _encoding_of(head)
    if not enc.startswith("utf-16") and _looks_binary(head):
        raise InputError("binary data, not a text event file (CSV, XLSX or JSONL)", path=p)
    try:
        text = head.decode(enc, errors="strict" if enc.startswith("utf-16") else "replace")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"cannot decode as {enc}: {exc.reason}", path=p) from exc
    text = text.lstrip("\ufeff")
    if text.lstrip()[:1] == "{":
        return Sniff(str(p), "jsonl", enc, compressed=gz)
    line = _first_line(text)
    best: tuple[int, str, list[str]] = (-1, ",", [])
    for d in _DELIMS:
        try:
            cols = [c.strip().strip('"').lower() for c in next(csv.reader([line], delimiter=d))]
        except (csv.Error, StopIteration):
            continue
        score = max(len(m.SIGNATURE & set(cols)) for m in _CSV_READERS) * 1000 + len(cols)
        if score > best[0]:
            best = (score, d, cols)
    _, delim, cols = best
    for m in _CSV_READERS:
        if m.SIGNATURE <= set(cols):
            return Sniff(str(p), m.NAME, enc, delim, cols, gz)
    shown = ", ".join(cols[:8]) + (" ..." if len(cols) > 8 else "")
    raise UnknownFormatError(f"header ({shown}) matches no known format; expected one of: {_EXPECTED}", path=p)


def _sniff_xlsx(p: Path) -> Sniff:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=True)
        row = next(wb.active.iter_rows(max_row=1, values_only=True), None)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(f"cannot read as XLSX ({exc})", path=p) from exc
    cols = [str(c).strip().lower() for c in (row or []) if c is not None]
    for m in _CSV_READERS:
        if m.SIGNATURE <= set(cols):
            return Sniff(str(p), m.NAME, header=cols, xlsx=True)
    raise UnknownFormatError(f"spreadsheet header matches no known format; expected one of: {_EXPECTED}", path=p)


def _transcode(path: Path, enc: str, compressed: bool) -> str:
    """Write a UTF-8 copy of a file in another encoding (DuckDB reads UTF-8 only)."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="rasid-")
    opener = gzip.open if compressed else open
    with opener(path, "rb") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
        reader = io.TextIOWrapper(src, encoding=enc, errors="strict", newline="")
        try:
            while chunk := reader.read(1 << 20):
                dst.write(chunk.lstrip("\ufeff") if dst.tell() == 0 else chunk)
        except UnicodeDecodeError as exc:
            os.unlink(tmp)
            raise EncodingError(f"bytes not valid in {enc} ({exc.reason})", path=path) from exc
    return tmp


def _load_csv(con: duckdb.DuckDBPyConnection, s: Sniff) -> list[tuple[int, str]]:
    """Load the raw CSV as text columns into ``_raw``; return structural rejects (line, reason)."""
    path = Path(s.path)
    tmp = None
    src = str(path)
    if s.encoding not in ("utf-8", "utf-8-sig"):
        tmp = src = _transcode(path, s.encoding, s.compressed)
    try:
        for attempt in range(2):
            try:
                _read_csv_into(con, src, s.delimiter, FORMATS[s.format])
                break
            except duckdb.Error as exc:
                msg = str(exc)
                if attempt == 0 and "invalid unicode" in msg.lower():
                    s.encoding = "cp1252"
                    tmp = src = _transcode(path, "cp1252", s.compressed)
                    continue
                first = msg.strip().splitlines()[0] if msg.strip() else type(exc).__name__
                raise InputError(f"cannot parse as CSV ({first})", path=path) from exc
        rejects = con.execute(
            "SELECT line, error_type || ': ' || left(error_message, 120) FROM _rejects ORDER BY line"
        ).fetchall()
    finally:
        if tmp:
            os.unlink(tmp)
    return [(int(line), str(msg)) for line, msg in rejects]


_CSV_OPTS = ("header=true, all_varchar=true, delim=?, quote='\"', escape='\"', normalize_names=false, "
             "max_line_size=20000000")
_QUOTED = re.compile(r'"((?:[^"]|"")+)"')


def _read_csv_into(con: duckdb.DuckDBPyConnection, src: str, delim: str, reader) -> None:
    """Load the columns the reader uses (text, trimmed lower-case names) into ``_raw0``; ``_raw`` adds ``_row``.

    Only referenced columns are kept (the reader's SQL names them), and the record number comes from
    the table's insertion order (``rowid``), which is cheaper than a window over the whole file.
    """
    names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_csv(?, {_CSV_OPTS}, ignore_errors=true)",
                                       [src, delim]).fetchall()]
    original: dict[str, str] = {}
    for n in names:
        original.setdefault(n.strip().lower(), n)
    for old, new in getattr(reader, "ALIASES", {}).items():  # older releases' column names
        if old in original and new not in original:
            original[new] = original.pop(old)
    used = {m.replace('""', '"') for m in _QUOTED.findall(reader.select_sql(set(original), None))}
    keep = [c for c in original if c in used] or list(original)
    select = ", ".join(f'"{original[c]}" AS "{c}"' for c in keep)
    con.execute(
        f"CREATE TEMP TABLE _raw0 AS SELECT {select} FROM read_csv(?, {_CSV_OPTS}, strict_mode=true, "
        "store_rejects=true, rejects_table='_rejects', rejects_scan='_rejects_scan', parallel=true)",
        [src, delim],
    )
    first = con.execute("SELECT * FROM _raw0 WHERE rowid = 0").fetchone()
    vals = [v.strip() for v in (first or ()) if v is not None and v.strip()]
    if vals and all(v.startswith("#") for v in vals):  # HXL hashtag row (HDX extracts)
        con.execute("DELETE FROM _raw0 WHERE rowid = 0")
    con.execute("CREATE OR REPLACE TEMP VIEW _raw AS SELECT *, CAST(rowid + 1 AS BIGINT) AS _row FROM _raw0")


def _load_xlsx(con: duckdb.DuckDBPyConnection, s: Sniff) -> None:
    df = pd.read_excel(s.path, dtype=str, engine="openpyxl")
    df.columns = [str(c).strip().lower() for c in df.columns]
    df = df.where(df.notna(), None)
    df["_row"] = np.arange(2, len(df) + 2, dtype="int64")  # spreadsheet row numbers
    con.register("_raw_df", df)
    con.execute("CREATE TEMP TABLE _raw AS SELECT * FROM _raw_df")
    con.unregister("_raw_df")


def _load_jsonl(con: duckdb.DuckDBPyConnection, s: Sniff) -> list[tuple[int, str]]:
    opener = gzip.open if s.compressed else open
    try:
        with opener(s.path, "rb") as fh:
            text = fh.read().decode(s.encoding.replace("-sig", "") if s.encoding != "utf-8-sig" else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"bytes not valid in {s.encoding} ({exc.reason})", path=s.path) from exc
    df, problems = _jsonl.load(s.path, text)
    con.register("_raw_df", df)
    con.execute("CREATE TEMP TABLE _raw AS SELECT * FROM _raw_df")
    con.unregister("_raw_df")
    return problems


def _record_lines(s: Sniff, rejected_lines: set[int]) -> list[int]:
    """File line number where each accepted CSV record starts (slow path, used only to report problems)."""
    opener = gzip.open if s.compressed else open
    starts: list[int] = []
    with opener(s.path, "rt", encoding=s.encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=s.delimiter)
        prev_end = 0
        for _ in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            starts.append(start)
    data = starts[1:]  # skip header
    return [ln for ln in data if ln not in rejected_lines]


_PROBLEM_SQL = """
CASE
  WHEN t.source_id IS NULL THEN 'missing event id'
  WHEN t.date_start IS NULL THEN 'unparsable or missing date: ' || coalesce(t._raw_date, '(empty)')
  WHEN t.date_end < t.date_start THEN 'end date before start date'
  WHEN t._raw_lat IS NOT NULL AND t.lat IS NULL THEN 'unparsable latitude: ' || t._raw_lat
  WHEN t._raw_lon IS NOT NULL AND t.lon IS NULL THEN 'unparsable longitude: ' || t._raw_lon
  WHEN abs(t.lat) > 90 AND abs(t.lon) <= 90
       THEN 'latitude out of range: ' || t._raw_lat || ' (are latitude and longitude swapped?)'
  WHEN abs(t.lat) > 90 THEN 'latitude out of range: ' || t._raw_lat
  WHEN abs(t.lon) > 180 THEN 'longitude out of range: ' || t._raw_lon
  WHEN t._raw_deaths IS NOT NULL AND t.deaths_best IS NULL THEN 'unparsable deaths: ' || t._raw_deaths
  WHEN t.deaths_best < 0 THEN 'negative deaths: ' || t._raw_deaths
  WHEN d.first_row IS NOT NULL AND t._row > d.first_row
       THEN 'duplicate event id ' || t.source_id || ' (first at row ' || d.first_row || ')'
END
"""


def stage(con: duckdb.DuckDBPyConnection, path: str | Path, *, batch_id: str,
          source_version: str | None = None) -> Staged:
    """Read, type, validate and enrich one file into temp table ``_final`` (canonical columns + ``_problem``)."""
    s = sniff(path)
    reader = FORMATS[s.format]
    drop_staging(con)  # leftovers of a staging that failed validation
    structural: list[tuple[int, str]] = []
    if s.format == "jsonl":
        structural = _load_jsonl(con, s)
    elif s.xlsx:
        _load_xlsx(con, s)
    else:
        structural = _load_csv(con, s)
    cols = {r[0] for r in con.execute("DESCRIBE _raw").fetchall()}
    for old, new in getattr(reader, "ALIASES", {}).items():  # older releases' column names
        if old in cols and new not in cols:
            con.execute(f'ALTER TABLE _raw RENAME COLUMN "{old}" TO "{new}"')
            cols = (cols - {old}) | {new}
    rows_in = con.execute("SELECT count(*) FROM _raw").fetchone()[0] + len(structural)
    if rows_in == 0:
        raise InputError("file has a header but no data rows", path=path)
    missing = [c for c in reader.REQUIRED if c not in cols]
    if missing:
        raise MissingColumnError(f"missing required {s.format} column(s): {', '.join(missing)}", path=path)
    version = source_version or (_ucdp.version_from_filename(Path(path).name) if s.format == "ucdp_ged" else None)
    # parsing stays a view: the lookups below read only the columns they need, and the one
    # materialisation is the final table
    con.execute(f"CREATE OR REPLACE TEMP VIEW _typed AS SELECT * REPLACE (coalesce(date_end, date_start) AS date_end) "
                f"FROM ({reader.select_sql(cols, version)})")
    _enrich(con, batch_id)
    bad = con.execute(
        "SELECT _row, _problem, source_id FROM _final WHERE _problem IS NOT NULL ORDER BY _row"
    ).fetchall()
    problems = [(int(r), str(p), sid) for r, p, sid in bad]
    if problems and s.format not in ("jsonl",) and not s.xlsx:
        lines = _record_lines(s, {ln for ln, _ in structural})
        problems = [(lines[r - 1] if 0 < r <= len(lines) else r, p, sid) for r, p, sid in problems]
    problems += [(ln, msg, None) for ln, msg in structural]
    problems.sort(key=lambda x: x[0])
    return Staged(s, rows_in, problems)


def _enrich(con: duckdb.DuckDBPyConnection, batch_id: str) -> None:
    """Countries to ISO2, actors to canonical ids, admin units and PRIO-GRID by point-in-polygon."""
    cols = {r[0] for r in con.execute("DESCRIBE _typed").fetchall()}
    # countries (names, ACLED ISO numeric, GW codes) -> ISO2, on distinct values only
    keys = ["_country_name"] + [c for c in ("_iso_num", "_gw") if c in cols]
    ctry = con.execute(f"SELECT DISTINCT {', '.join(keys)} FROM _typed").fetchdf()
    ctry["_iso2"] = [to_iso2(**{k.lstrip("_").replace("country_name", "name"): v for k, v in zip(keys, row, strict=True)})
                     for row in ctry[keys].itertuples(index=False)]
    _small_table(con, "_ctry", ctry)
    # actors
    names = con.execute("SELECT DISTINCT a FROM (SELECT actor1 a FROM _typed UNION SELECT actor2 FROM _typed) "
                        "WHERE a IS NOT NULL").fetchdf()
    names["aid"] = names["a"].map(canonical_actor)
    _small_table(con, "_actors", names)
    # admin units on distinct coordinates
    pts = con.execute("SELECT DISTINCT lat, lon FROM _typed WHERE lat IS NOT NULL AND lon IS NOT NULL "
                      "AND abs(lat) <= 90 AND abs(lon) <= 180").fetchdf()
    adm = admin_lookup().lookup(pts["lat"].to_numpy(), pts["lon"].to_numpy())
    adm.columns = ["_adm_country", *adm.columns[1:]]
    adm.insert(0, "lat", pts["lat"].to_numpy())
    adm.insert(1, "lon", pts["lon"].to_numpy())
    adm["_pg"] = priogrid_gid(pts["lat"].to_numpy(), pts["lon"].to_numpy())
    # swapped coordinates inside Iraq/Syria: the point is in no unit but its mirror is
    unmatched = adm["admin1_code"].isna().to_numpy()
    adm["_swapped_country"] = None
    if unmatched.any():
        mirror = admin_lookup().lookup(pts["lon"].to_numpy()[unmatched], pts["lat"].to_numpy()[unmatched])
        adm.loc[unmatched, "_swapped_country"] = mirror["country"].to_numpy()
    _small_table(con, "_adm", adm)
    # duplicated ids within the file: only the first occurrence is good
    dup = con.execute("SELECT source_id, min(_row) AS first_row FROM _typed WHERE source_id IS NOT NULL "
                      "GROUP BY source_id HAVING count(*) > 1").fetchdf()
    _small_table(con, "_dup", dup)
    select = []
    for c in COLUMNS:
        if c == "event_id":
            select.append("left(sha1(t.source || ':' || t.source_id), 16) AS event_id")
        elif c == "batch_id":
            select.append(f"'{batch_id}' AS batch_id")
        elif c == "country":
            select.append("coalesce(k._iso2, a._adm_country) AS country")
        elif c in ("actor1_id", "actor2_id"):
            n = c[5]
            select.append(f"{'x1' if n == '1' else 'x2'}.aid AS {c}")
        elif c.startswith(("admin1_", "admin2_", "admin3_")):
            select.append(f"coalesce(a.{c}, t.{c}) AS {c}" if c in cols else f"a.{c} AS {c}")
        elif c == "priogrid_gid":
            own = "t.priogrid_gid, " if c in cols else ""
            select.append(f"coalesce({own}CASE WHEN a._pg > 0 THEN a._pg END) AS priogrid_gid")
        elif c == "linked_event_id":
            select.append("CAST(NULL AS VARCHAR) AS linked_event_id" if c not in cols else f"t.{c}")
        else:
            select.append(f"t.{c}" if c in cols else f"NULL AS {c}")
    join_keys = " AND ".join(f"t.{k} IS NOT DISTINCT FROM k.{k}" for k in keys)
    con.execute(f"""
      CREATE OR REPLACE TEMP VIEW _final AS
      SELECT {', '.join(select)}, t._row,
        coalesce({_PROBLEM_SQL}, CASE WHEN a.admin1_code IS NULL AND a._swapped_country IS NOT NULL
             AND a._swapped_country = coalesce(k._iso2, a._swapped_country)
             THEN 'latitude and longitude swapped (' || t.lat || ', ' || t.lon || ')' END) AS _problem
      FROM _typed t
      LEFT JOIN _ctry k ON {join_keys}
      LEFT JOIN _actors x1 ON t.actor1 = x1.a
      LEFT JOIN _actors x2 ON t.actor2 = x2.a
      LEFT JOIN _adm a ON t.lat = a.lat AND t.lon = a.lon
      LEFT JOIN _dup d ON t.source_id = d.source_id
    """)


# temp objects of one staging, dropped by :func:`drop_staging` once the rows are committed
STAGING = ("_final", "_typed", "_raw", "_raw0", "_ctry", "_actors", "_adm", "_dup", "_rejects", "_rejects_scan")


def _small_table(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    """Copy a small lookup frame into a temp table (the staging views outlive the Python frame)."""
    con.register("_tmp_df", df)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _tmp_df")
    con.unregister("_tmp_df")


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp views and tables of a staging (views first: they depend on the tables)."""
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                             "WHERE table_catalog = 'temp'").fetchall())
    for name in STAGING:
        if name in kinds:
            con.execute(f"DROP {'VIEW' if kinds[name] == 'VIEW' else 'TABLE'} {name}")

