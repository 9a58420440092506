"""rasid's own JSONL format: one JSON object per line with canonical column names."""

from __future__ import annotations

import json

import pandas as pd

from rasid.errors import InputError
from rasid.events._checks import CODE, COUNT, REAL, Number
from rasid.events._sql import date_sql, ident, int_sql, num_sql, text_sql
from rasid.events.schema import COLUMNS

NAME = "jsonl"
REQUIRED = ["source_id", "date_start"]
_TEXT_COLS = [c for c in COLUMNS if c not in ("event_id", "batch_id")]
_COUNTS = ["deaths_best", "deaths_low", "deaths_high", "deaths_side_a", "deaths_side_b", "deaths_civilians",
           "deaths_unknown", "wounded", "attackers_killed"]
NUMBERS = {**{c: Number(COUNT) for c in _COUNTS}, "priogrid_gid": Number(CODE), "lat": Number(REAL),
           "lon": Number(REAL)}


def load(path: str, data: bytes, encoding: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Parse the lines into a string table (``_line`` = line number); (line, reason) for bad lines.

    UTF-8 is decoded line by line, so a line with broken bytes is named (with its byte offset)
    instead of failing the whole file.
    """
    rows: list[dict[str, str | int | None]] = []
    problems: list[tuple[int, str]] = []
    if encoding.startswith("utf-16"):
        try:
            lines = [ln.encode("utf-8") for ln in data.decode(encoding).split("\n")]
        except UnicodeDecodeError as exc:
            raise InputError(f"bytes not valid in {encoding} at byte offset {exc.start} ({exc.reason})",
                             path=path) from exc
    else:
        lines = data.split(b"\n")
    offset = 0
    for lineno, raw in enumerate(lines, start=1):
        start, offset = offset, offset + len(raw) + 1
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append((lineno, f"invalid UTF-8 bytes at byte offset {start + exc.start}"))
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            problems.append((lineno, f"not valid JSON ({getattr(exc, 'msg', exc)})"))
            continue
        if not isinstance(obj, dict):
            problems.append((lineno, "not a JSON object"))
            continue
        row: dict[str, str | int | None] = {c: (None if obj.get(c) is None else str(obj.get(c))) for c in _TEXT_COLS}
        row["_line"] = lineno
        rows.append(row)
    if not rows and not problems:
        raise InputError("file has no events (no JSON lines)", path=path)
    return pd.DataFrame(rows, columns=[*_TEXT_COLS, "_line"]), problems


def select_sql(cols: set[str]) -> str:
    """Select list of the canonical columns (number columns arrive typed as DOUBLE)."""
    parts = []
    for c in _TEXT_COLS:
        c_sql = ident(c)
        if c in ("date_start", "date_end"):
            parts.append(f"{date_sql(text_sql(c))} AS {c_sql}")
        elif c in ("lat", "lon"):
            parts.append(f"{num_sql(c)} AS {c_sql}")
        elif c in NUMBERS:
            parts.append(f"{int_sql(c)} AS {c_sql}")
        elif c == "claimed":
            parts.append(f"TRY_CAST({text_sql(c)} AS BOOLEAN) AS {c_sql}")
        elif c == "source":
            parts.append(f"COALESCE({text_sql(c)}, 'rasid') AS source")
        elif c == "source_version":
            parts.append(f"COALESCE({text_sql(c)}, CAST($version AS VARCHAR)) AS source_version")
        elif c == "country":
            parts.append(f"{text_sql(c)} AS _country_name")
        else:
            parts.append(f"{text_sql(c)} AS {c_sql}")
    parts.append(f"{text_sql('date_start')} AS _raw_date")
    return ",\n".join(parts)
