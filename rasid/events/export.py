"""Write event tables as CSV, Parquet, GeoJSON or JSONL with the canonical columns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import pandas as pd

from rasid.events.schema import COLUMNS, EXPORT_COLUMNS

__all__ = ["write_events", "write_jsonl", "FORMATS"]

FORMATS = ("csv", "parquet", "geojson", "jsonl")


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in EXPORT_COLUMNS if c in df] + [c for c in COLUMNS if c in df and c not in EXPORT_COLUMNS]
    out = df[cols].copy()
    for c in ("date_start", "date_end"):
        if c in out and pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out


def _records(df: pd.DataFrame) -> list[dict]:
    out = _ordered(df).astype(object)
    out = out.where(out.notna(), None)
    return out.to_dict("records")


def write_jsonl(df: pd.DataFrame, dest: str | Path | IO[str]) -> None:
    """One JSON object per event (nulls kept as null)."""
    lines = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in _records(df))
    if isinstance(dest, (str, Path)):
        Path(dest).write_text(lines, encoding="utf-8")
    else:
        dest.write(lines)


def write_events(df: pd.DataFrame, fmt: str, dest: str | Path | IO[str]) -> None:
    """Write events in one of :data:`FORMATS` to a path or an open text stream (parquet needs a path)."""
    if fmt == "csv":
        _ordered(df).to_csv(dest, index=False)
    elif fmt == "jsonl":
        write_jsonl(df, dest)
    elif fmt == "geojson":
        feats = []
        for r in _records(df):
            geom = None
            if r.get("lat") is not None and r.get("lon") is not None:
                geom = {"type": "Point", "coordinates": [r["lon"], r["lat"]]}
            feats.append({"type": "Feature", "geometry": geom, "properties": r})
        text = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, default=str)
        if isinstance(dest, (str, Path)):
            Path(dest).write_text(text, encoding="utf-8")
        else:
            dest.write(text)
    elif fmt == "parquet":
        if not isinstance(dest, (str, Path)):
            raise ValueError("parquet output needs a file path (--out)")
        _ordered(df).to_parquet(dest, index=False)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
