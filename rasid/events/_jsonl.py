"""rasid's own JSONL format: one JSON object per line with canonical column names."""

from __future__ import annotations

import json

import pandas as pd

from rasid.errors import InputError
from rasid.events._sql import date_, int_, num, txt
from rasid.events.schema import COLUMNS

NAME = "jsonl"
REQUIRED = ["source_id", "date_start"]
_TEXT_COLS = [c for c in COLUMNS if c not in ("event_id", "batch_id")]


def load(path: str, text: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Parse the lines into a string table ``_raw``; (line, reason) for lines that are not objects."""
    rows: list[dict[str, str | None]] = []
    problems: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            problems.append((lineno, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(obj, dict):
            problems.append((lineno, "not a JSON object"))
            continue
        row = {c: (None if obj.get(c) is None else str(obj.get(c))) for c in _TEXT_COLS}
        row["_row"] = lineno
        rows.append(row)
    if not rows and not problems:
        raise InputError("file has no events (no JSON lines)", path=path)
    df = pd.DataFrame(rows, columns=[*_TEXT_COLS, "_row"])
    return df, problems


def select_sql(cols: set[str], version: str | None) -> str:
    """SELECT canonical columns from the string table ``_raw``."""
    ints = {"deaths_best", "deaths_low", "deaths_high", "deaths_side_a", "deaths_side_b", "deaths_civilians",
            "deaths_unknown", "wounded", "priogrid_gid", "attackers_killed"}
    parts = []
    for c in _TEXT_COLS:
        if c in ("date_start", "date_end"):
            parts.append(f"{date_(txt(c))} AS {c}")
        elif c in ("lat", "lon"):
            parts.append(f"{num(c)} AS {c}")
        elif c in ints:
            parts.append(f"{int_(c)} AS {c}")
        elif c == "claimed":
            parts.append(f"TRY_CAST({txt(c)} AS BOOLEAN) AS {c}")
        elif c == "source":
            parts.append(f"COALESCE({txt(c)}, 'rasid') AS source")
        elif c == "country":
            parts.append(f"{txt(c)} AS _country_name")
        else:
            parts.append(f"{txt(c)} AS {c}")
    return (f"SELECT {', '.join(parts)}, _row, {txt('date_start')} AS _raw_date, {txt('lat')} AS _raw_lat, "
            f"{txt('lon')} AS _raw_lon, {txt('deaths_best')} AS _raw_deaths FROM _raw")
