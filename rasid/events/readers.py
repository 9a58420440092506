"""Read event files of any supported format into typed, validated canonical rows, chosen by sniffing.

Formats: UCDP GED (and Candidate) CSV, ACLED export CSV, GTD CSV/XLSX, rasid JSONL. A CSV file is
read once by DuckDB's typed ``read_csv`` (number columns as DOUBLE, DuckDB's reject table catching
malformed records and values that are not numbers) straight into the temp table ``_typed``, with
each reader's projection to the canonical columns and every validation check of
:mod:`rasid.events._checks` in the same pass. Lookups (countries, actors, admin units) run on
distinct values only. Problems come back as ``(file line, reason, source_id)``.

Every value (file name, version, date bounds) is a bound parameter; column names in SQL text are
the readers' fixed names or generated ``_xN`` names, never the file's own spelling.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import stat
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from rasid.errors import (
    EncodingError,
    InputError,
    MissingColumnError,
    RasidError,
    ResourceError,
    UnknownFormatError,
    from_os_error,
)
from rasid.events import _acled, _gtd, _jsonl, _ucdp
from rasid.events._checks import (
    cast_checks_sql,
    cast_value,
    estimate_checks_sql,
    number_checks_sql,
    row_checks_sql,
    unparsable,
    valid_date_range,
)
from rasid.events._enrich import enrich, final_select_sql
from rasid.events._sql import ident, int_lit_sql
from rasid.geo.admin import admin_lookup

__all__ = ["Sniff", "Staged", "sniff", "stage", "drop_staging", "final_select_sql", "check_input_file", "FORMATS",
           "MAX_COLUMNS", "MAX_HEADER_BYTES"]

_CSV_READERS = [_ucdp, _acled, _gtd]
FORMATS = {m.NAME: m for m in [*_CSV_READERS, _jsonl]}
_DELIMS = [",", ";", "\t", "|"]
_EXPECTED = ("UCDP GED CSV (id, side_a, side_b, date_start, where_prec, ...), "
             "ACLED export CSV (event_id_cnty, event_date, actor1, fatalities, ...), "
             "GTD CSV/XLSX (eventid, iyear, imonth, iday, gname, ...), "
             "rasid JSONL (one JSON object per line with canonical columns)")
MAX_HEADER_BYTES = 65536  # the longest real header (GTD, 135 columns) is under 2 KB
MAX_COLUMNS = 1000
MAX_LINE_BYTES = 20_000_000
MAX_WARNINGS = 100  # remarks listed with their lines; all are counted
_HXL = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z0-9_]+)*\Z")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# temp objects of one staging, dropped by :func:`drop_staging` once the rows are committed
STAGING = ("_typed", "_raw", "_ctry", "_actors", "_adm", "_xbad", "_rejects", "_rejects_scan")


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
    hxl: bool = False  # HDX extracts: a row of HXL hashtags under the header


@dataclass
class Staged:
    """Result of staging a file into the temp table ``_typed`` of a connection."""

    sniff: Sniff
    rows_in: int
    problems: list[tuple[int, str, str | None]]  # (line, reason, source_id)
    source: str | None = None
    version: str | None = None
    warnings: list[tuple[int, str, str | None]] = field(default_factory=list)  # kept rows with a remark (first ones)
    warnings_total: int = 0


# -- the file itself --------------------------------------------------------------------------
def check_input_file(path: str | Path) -> os.stat_result:
    """The file's status, or a one-line error saying what the path is instead of a readable file."""
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise from_os_error(exc, p) from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, not an event file", path=p)
    if stat.S_ISFIFO(st.st_mode):
        raise InputError("is a FIFO (named pipe), not a regular file; save the data to a file first", path=p)
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        raise InputError("is a device, not a regular file", path=p)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("is not a regular file", path=p)
    if st.st_size == 0:
        raise InputError("file is empty", path=p)
    return st


def _open_bytes(path: Path) -> tuple[bytes, bool]:
    """First 64 KiB of the (possibly gzipped) file, and whether it is gzipped."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(MAX_HEADER_BYTES)
        if head[:2] != b"\x1f\x8b":
            return head, False
        with gzip.open(path, "rb") as fh:
            return fh.read(MAX_HEADER_BYTES), True
    except (EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"corrupt gzip data ({exc})", path=path) from exc
    except OSError as exc:
        raise from_os_error(exc, path) from exc


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
        # UTF-8 text (Arabic, accents) with a few broken bytes stays UTF-8: the bad rows are named
        return "utf-8" if _UTF8_MULTIBYTE.search(head) else "cp1252"


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not a text file."""
    sample = head[:4096]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return ctrl > max(8, len(sample) // 50)


def _header_fields(line: str, delim: str) -> list[str]:
    try:
        return [c.strip().strip('"').lower() for c in next(csv.reader([line], delimiter=delim))]
    except (csv.Error, StopIteration):
        return []


def sniff(path: str | Path) -> Sniff:
    """Identify the file's format from its content (never from its name)."""
    p = Path(path)
    size = check_input_file(p).st_size
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
    if "\n" not in text and (gz or size > len(head)):
        raise InputError(f"first line is longer than {MAX_HEADER_BYTES:,} bytes: not an event file header "
                         f"(at most {MAX_COLUMNS:,} columns are read)", path=p)
    line = text.split("\n", 1)[0].rstrip("\r")
    best: tuple[int, str, list[str]] = (-1, ",", [])
    for d in _DELIMS:
        cols = _header_fields(line, d)
        score = max(len(m.SIGNATURE & set(cols)) for m in _CSV_READERS) * 1000 + min(len(cols), 999)
        if score > best[0]:
            best = (score, d, cols)
    _, delim, cols = best
    if len(cols) > MAX_COLUMNS:
        raise InputError(f"header has {len(cols):,} columns (at most {MAX_COLUMNS:,}): not an event file", path=p)
    for m in _CSV_READERS:
        if m.SIGNATURE <= set(cols):
            return Sniff(str(p), m.NAME, enc, delim, cols, gz, hxl=_is_hxl(text, delim))
    shown = ", ".join(c[:40] for c in cols[:8]) + (" ..." if len(cols) > 8 else "")
    raise UnknownFormatError(f"header ({shown}) matches no known format; expected one of: {_EXPECTED}", path=p)


def _is_hxl(text: str, delim: str) -> bool:
    """The second record is a row of HXL hashtags (#date+start, #geo+lat ...)."""
    try:
        rows = csv.reader(io.StringIO(text), delimiter=delim)
        next(rows)
        second = next(rows)
    except (csv.Error, StopIteration):
        return False
    vals = [v.strip() for v in second if v.strip()]
    return len(vals) >= 2 and all(_HXL.match(v) for v in vals)


def _sniff_xlsx(p: Path) -> Sniff:
    import openpyxl  # heavy: only for spreadsheets

    try:
        wb = openpyxl.load_workbook(p, read_only=True)
        row = next(wb.active.iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), None)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(f"cannot read as XLSX ({type(exc).__name__}: {exc})", path=p) from exc
    cols = [str(c).strip().lower() for c in (row or []) if c is not None]
    for m in _CSV_READERS:
        if m.SIGNATURE <= set(cols):
            return Sniff(str(p), m.NAME, header=cols, xlsx=True)
    raise UnknownFormatError(f"spreadsheet header matches no known format; expected one of: {_EXPECTED}", path=p)


# -- column names: the reader's own, never the file's spelling --------------------------------
def _known(reader) -> set[str]:
    return set(reader.TEXT) | set(reader.NUMBERS)


def _safe_names(header: list[str], reader) -> list[str]:
    """Column names for SQL: the reader's name for a known column (aliases applied), ``_xN`` otherwise."""
    known, aliases = _known(reader), getattr(reader, "ALIASES", {})
    present = set(header)
    names: list[str] = []
    taken: set[str] = set()
    for i, raw in enumerate(header):
        name = aliases.get(raw, raw) if aliases.get(raw) not in present else raw
        if name in known and name not in taken:
            taken.add(name)
            names.append(name)
        else:
            names.append(f"_x{i}")
    return names


def _check_columns(path: Path, fmt: str, reader, cols: set[str]) -> None:
    missing = [c for c in reader.REQUIRED if c not in cols]
    if missing:
        raise MissingColumnError(f"missing required {fmt} column(s): {', '.join(missing)}", path=path)


# -- loading ----------------------------------------------------------------------------------
def _transcode(path: Path, enc: str, compressed: bool) -> str:
    """Write a UTF-8 copy of a file in another encoding (DuckDB reads UTF-8 only)."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="rasid-")
    opener = gzip.open if compressed else open
    dec = codecs.getincrementaldecoder(enc)(errors="strict")
    pos = 0
    try:
        with opener(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            first = True
            while chunk := src.read(1 << 20):
                try:
                    text = dec.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise EncodingError(f"bytes not valid in {enc} near byte offset {pos + exc.start:,} "
                                        f"({exc.reason})", path=path) from exc
                if first:
                    text, first = text.lstrip("\ufeff"), False
                dst.write(text.encode("utf-8"))
                pos += len(chunk)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _csv_source_sql() -> str:
    return ("(SELECT *, NULL AS _p_cast, CAST(NULL AS BIGINT) AS _line FROM read_csv($src, columns=$columns, "
            "header=true, auto_detect=false, delim=$delim, quote='\"', escape='\"', compression=$compression, "
            f"strict_mode=true, max_line_size={int_lit_sql(MAX_LINE_BYTES)}, store_rejects=true, rejects_table='_rejects', "
            "rejects_scan='_rejects_scan', parallel=true))")


def _text_source_sql(reader, cols: set[str]) -> str:
    """Text table ``_raw`` (JSONL, XLSX): number columns cast to DOUBLE, with the first cast failure."""
    nums = [c for c in reader.NUMBERS if c in cols]
    casts_sql = ", ".join(f"TRY_CAST(TRIM({ident(c)}) AS DOUBLE) AS {ident(c)}" for c in nums)
    replace_sql = f" REPLACE ({casts_sql})" if nums else ""
    checks_sql = cast_checks_sql(reader.NUMBERS, cols)
    return f"(SELECT *{replace_sql}, {checks_sql} AS _p_cast FROM _raw)"


def _create_typed(con: duckdb.DuckDBPyConnection, reader, cols: set[str], source_sql: str, params: dict) -> None:
    """The one pass: project, validate and materialise into ``_typed``."""
    select_sql = reader.select_sql(cols)
    nums_sql = number_checks_sql(reader.NUMBERS, cols)
    rows_sql = row_checks_sql()
    est_sql = estimate_checks_sql(set(re.findall(r'\bAS "?(\w+)"?', select_sql)))
    sql = f"""CREATE TEMP TABLE _typed AS
      SELECT * EXCLUDE (_p_num, _warn) REPLACE (coalesce(date_end, date_start) AS date_end), _warn AS _warning,
             coalesce(_p_num, {rows_sql}, CASE WHEN $strict THEN _warn END) AS _problem,
             left(sha1(source || ':' || source_id), 16) AS event_id
      FROM (SELECT {select_sql}, coalesce(_p_cast, {nums_sql}) AS _p_num, {est_sql} AS _warn, _line
            FROM {source_sql} AS _src)"""
    con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})


def _load_csv(con, s: Sniff, reader, params: dict) -> tuple[list[tuple[int, str]], str | None]:
    """Read the CSV into ``_typed``; (DuckDB record line, reason) of the records it refused."""
    names = _safe_names(s.header, reader)
    cols = {n for n in names if not n.startswith("_x")}
    _check_columns(Path(s.path), s.format, reader, cols)
    columns = {n: ("DOUBLE" if n in reader.NUMBERS else "VARCHAR") for n in names}
    src, tmp = s.path, None
    if s.encoding not in ("utf-8", "utf-8-sig"):
        src = tmp = _transcode(Path(s.path), s.encoding, s.compressed)
    try:
        for attempt in range(2):
            p = {**params, "src": src, "columns": columns, "delim": s.delimiter,
                 "compression": "gzip" if s.compressed and tmp is None else "none"}
            try:
                _create_typed(con, reader, cols, _csv_source_sql(), p)
            except duckdb.Error as exc:
                raise _read_failure(exc, s.path) from exc
            rejects = con.execute("SELECT line, line_byte_position, column_name, error_type, error_message "
                                  "FROM _rejects ORDER BY line, column_idx").fetchall()
            bad_utf8 = [r for r in rejects if r[3] == "INVALID ENCODING"]
            if attempt == 0 and bad_utf8 and tmp is None and not _has_utf8_text(s):
                # no UTF-8 text anywhere: a legacy 8-bit file whose first 64 KiB were plain ASCII
                drop_staging(con)
                s.encoding = "cp1252"
                src = tmp = _transcode(Path(s.path), "cp1252", s.compressed)
                continue
            break
        return _reject_reasons(s, reader, rejects), tmp
    except BaseException:
        if tmp:
            os.unlink(tmp)
        raise


def _read_failure(exc: duckdb.Error, path: str) -> RasidError:
    """DuckDB's error while reading: the machine's (memory, disk) or the file's."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = first.lower()
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in low:
        return ResourceError(f"out of memory while reading ({first})", path=path)
    if "no space left" in low:
        return ResourceError(f"no space left on device for the temporary tables ({first})", path=path)
    return InputError(f"cannot parse as CSV ({first})", path=path)


def _reject_reasons(s: Sniff, reader, rejects: list[tuple]) -> list[tuple[int, str]]:
    """One reason per refused record, worded like the validation's."""
    out: dict[int, str] = {}
    for line, line_pos, col, kind, msg in rejects:
        line = int(line)
        if line in out:
            continue
        if kind == "CAST":
            why = unparsable(col, reader.NUMBERS.get(col), cast_value(msg))
        elif kind == "INVALID ENCODING":
            off = _bad_byte_offset(s, int(line_pos))
            why = f"invalid UTF-8 bytes at byte offset {off:,} (the rest of the file is UTF-8)"
        elif kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            why = f"wrong number of fields ({msg})"
        elif kind == "UNQUOTED VALUE":
            why = "malformed record: unterminated or stray quote"
        elif kind == "LINE SIZE OVER MAXIMUM":
            why = f"record longer than {MAX_LINE_BYTES:,} bytes"
        else:
            why = f"malformed record ({kind}: {msg[:120]})"
        out[line] = why
    return sorted(out.items())


def _stream(s: Sniff):
    return gzip.open(s.path, "rb") if s.compressed else open(s.path, "rb")


def _has_utf8_text(s: Sniff) -> bool:
    """Any valid multi-byte UTF-8 sequence in the file (error path only: reads the whole file)."""
    with _stream(s) as fh:
        tail = b""
        while chunk := fh.read(1 << 22):
            if _UTF8_MULTIBYTE.search(tail + chunk):
                return True
            tail = chunk[-3:]
    return False


def _bad_byte_offset(s: Sniff, record_start: int) -> int:
    """Offset of the first byte that is not UTF-8 in the record starting at ``record_start``."""
    with _stream(s) as fh:
        fh.seek(record_start)
        chunk = fh.read(1 << 22)
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        return record_start + exc.start
    return record_start


def _load_text(con, s: Sniff, reader, params: dict) -> list[tuple[int, str]]:
    """JSONL or XLSX: a text table ``_raw`` (reader's column names), then the same typed pass."""
    if s.xlsx:
        df = pd.read_excel(s.path, dtype=str, engine="openpyxl")
        header = [str(c).strip().lower() for c in df.columns]
        df.columns = _safe_names(header, reader)
        df = df.where(df.notna(), None)
        df["_line"] = range(2, len(df) + 2)  # spreadsheet row numbers
        problems: list[tuple[int, str]] = []
    else:
        try:
            with _stream(s) as fh:
                data = fh.read()
        except OSError as exc:
            raise from_os_error(exc, s.path) from exc
        df, problems = _jsonl.load(s.path, data, s.encoding)
    cols = {c for c in df.columns if not c.startswith("_")}
    _check_columns(Path(s.path), s.format, reader, cols)
    con.register("_raw_df", df)
    try:
        con.execute("CREATE TEMP TABLE _raw AS SELECT * FROM _raw_df")
    finally:
        con.unregister("_raw_df")
    _create_typed(con, reader, cols, _text_source_sql(reader, cols), params)
    return problems


def _scan_records(s: Sniff, src: str, refused: set[int], last_record: int, last_row: int
                  ) -> tuple[list[int], list[int]]:
    """One pass over the CSV records (error path only), stopping once the ones asked for are seen.

    Returns the line where each record starts (index = DuckDB's record line - 1, header = 0) and,
    in order, the record index of each row DuckDB kept: not the header, not a blank line, not in
    ``refused``.
    """
    csv.field_size_limit(MAX_LINE_BYTES)
    starts: list[int] = []
    rows: list[int] = []
    opener = gzip.open if s.compressed and src == s.path else open
    enc = "utf-8" if src != s.path else s.encoding
    with opener(src, "rt", encoding=enc, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=s.delimiter)
        prev_end = 0
        try:
            for i, rec in enumerate(reader):
                starts.append(prev_end + 1)
                prev_end = reader.line_num
                if rec and i not in refused:
                    rows.append(i)
                if i >= last_record and len(rows) > last_row:
                    break
        except csv.Error:
            pass
    return starts, rows


# -- staging ----------------------------------------------------------------------------------
def stage(con: duckdb.DuckDBPyConnection, path: str | Path, *, source_version: str | None = None,
          dates: tuple | None = None, strict: bool = False) -> Staged:
    """Read, type, validate and enrich one file into temp table ``_typed`` (plus lookup tables).

    ``strict``: rows whose death estimates are out of order are rejected instead of kept with a warning.
    """
    prefetch = threading.Thread(target=admin_lookup, daemon=True)  # polygons load while DuckDB reads
    prefetch.start()
    s = sniff(path)
    reader = FORMATS[s.format]
    drop_staging(con)  # leftovers of a staging that failed
    d_min, d_max = dates or valid_date_range()
    version = source_version or (_ucdp.version_from_filename(Path(path).name) if s.format == "ucdp_ged" else None)
    params = {"version": version, "date_min": d_min, "date_max": d_max, "strict": strict}
    tmp = None
    if s.format == "jsonl" or s.xlsx:
        structural = _load_text(con, s, reader, params)
    else:
        structural, tmp = _load_csv(con, s, reader, params)
    try:
        skip = {0}  # record 0 is the header
        if s.hxl:  # HDX extracts: the hashtag row is no data, whether DuckDB refused it or not
            if any(ln == 2 for ln, _ in structural):
                skip.add(1)
                structural = [(ln, why) for ln, why in structural if ln != 2]
            else:
                con.execute("DELETE FROM _typed WHERE rowid = 0")
        n = con.execute("SELECT count(*) FROM _typed").fetchall()[0][0]
        rows_in = n + len(structural)
        if rows_in == 0:
            raise InputError("file has a header but no data rows", path=path)
        prefetch.join()
        enrich(con)
        bad = con.execute("""
            SELECT rowid, _line, _problem, source_id, NULL, NULL FROM _typed WHERE _problem IS NOT NULL
            UNION ALL SELECT x._rid, t._line, x.reason, t.source_id, x._first, f._line
            FROM _xbad x JOIN _typed t ON t.rowid = x._rid LEFT JOIN _typed f ON f.rowid = x._first
            ORDER BY 1""").fetchall()
        n_warned = con.execute("SELECT count(*) FROM _typed WHERE _warning IS NOT NULL AND _problem IS NULL"
                               ).fetchall()[0][0]
        warned = con.execute("SELECT rowid, _line, _warning, source_id, NULL, NULL FROM _typed WHERE _warning "
                             f"IS NOT NULL AND _problem IS NULL ORDER BY 1 LIMIT {int_lit_sql(MAX_WARNINGS)}").fetchall()
        if s.format == "jsonl" or s.xlsx:
            problems = [(int(line), _first_on(why, first_line), sid) for _, line, why, sid, _, first_line in bad]
            problems += [(ln, why, None) for ln, why in structural]
            warnings = [(int(line), why, sid) for _, line, why, sid, _, _ in warned]
        else:
            problems = _csv_lines(s, tmp or s.path, bad, structural, skip)
            warnings = _csv_lines(s, tmp or s.path, warned, [], skip, structural) if warned else []
        source, version_out = con.execute(
            "SELECT any_value(source), max(source_version) FROM _typed WHERE _problem IS NULL").fetchall()[0]
    finally:
        if tmp:
            os.unlink(tmp)
    problems.sort(key=lambda x: x[0])
    return Staged(s, rows_in, problems, source, version_out, warnings, n_warned)


def _csv_lines(s: Sniff, src: str, bad: list[tuple], structural: list[tuple[int, str]], skip: set[int],
               refused: list[tuple[int, str]] | None = None) -> list[tuple[int, str, str | None]]:
    """File lines of the problems: rejected records by DuckDB's record line, the rest by row order.

    ``bad``: (rowid, _, reason, source_id, first rowid or None, _) of kept rows; ``refused``: records
    DuckDB refused, when they are not themselves to be listed (``structural``).
    """
    if not bad and not structural:
        return []
    gone = {ln - 1 for ln, _ in [*structural, *(refused or [])]} | skip
    last_row = max([rid for rid, *_ in bad] + [f for *_, f, _ in bad if f is not None], default=-1)
    starts, rows = _scan_records(s, src, gone, max((ln - 1 for ln, _ in structural), default=0), last_row)

    def line_of(record: int) -> int:
        return starts[record] if 0 <= record < len(starts) else record + 1

    def row_line(rid: int) -> int:
        return line_of(rows[rid]) if rid < len(rows) else rid + 2

    out = [(line_of(ln - 1), why, None) for ln, why in structural]
    out += [(row_line(rid), _first_on(why, None if first is None else row_line(first)), sid)
            for rid, _, why, sid, first, _ in bad]
    return out


def _first_on(why: str, first_line: int | None) -> str:
    return why if first_line is None else f"{why} (first on line {first_line})"


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables of a staging."""
    for name in STAGING:
        con.execute(f"DROP TABLE IF EXISTS {ident(name)}")
