"""Exports: every format writes the canonical columns, keeps NULL as null and Arabic as written, and reads back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from rasid.events import EXPORT_COLUMNS, EventFilter, Store, write_events
from rasid.events.export import FORMATS, write_jsonl


@pytest.fixture(scope="module")
def sample(bundled_store: Store) -> pd.DataFrame:
    df = bundled_store.events(EventFilter(admin1=["Kirkuk"], since=pd.Timestamp("2018-01-01").date()))
    return df.head(25).reset_index(drop=True)


def test_csv_columns_order_and_values(sample: pd.DataFrame, tmp_path: Path) -> None:
    f = tmp_path / "e.csv"
    write_events(sample, "csv", f)
    back = pd.read_csv(f, dtype=str, keep_default_na=False)
    assert list(back.columns[: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    assert back.date_start.tolist() == sample.date_start.dt.strftime("%Y-%m-%d").tolist()
    assert back.admin1_ar.tolist() == sample.admin1_ar.tolist()  # Arabic as written
    assert (back.wounded == "").all()  # NULL stays empty, never 0
    assert back.deaths_best.astype(int).tolist() == sample.deaths_best.astype(int).tolist()


def test_jsonl_keeps_nulls_and_round_trips(sample: pd.DataFrame, tmp_path: Path) -> None:
    f = tmp_path / "e.jsonl"
    write_events(sample, "jsonl", f)
    recs = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len(sample) and recs[0]["wounded"] is None and recs[0]["country"] == "IQ"
    assert "كركوك" in {r["admin1_ar"] for r in recs}
    again = Store(tmp_path / "s.duckdb")
    assert again.ingest_file(f).rows_out == len(sample)
    got = again.events().set_index("event_id").loc[sample.event_id]
    assert got.deaths_best.tolist() == sample.deaths_best.tolist()
    assert got.date_start.tolist() == sample.date_start.tolist()


def test_geojson_points_and_missing_coordinates(sample: pd.DataFrame) -> None:
    df = sample.copy()
    df.loc[0, ["lat", "lon"]] = None
    buf = io.StringIO()
    write_events(df, "geojson", buf)
    fc = json.loads(buf.getvalue())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(df)
    assert fc["features"][0]["geometry"] is None
    f1 = fc["features"][1]
    assert f1["geometry"]["coordinates"] == [df.lon[1], df.lat[1]]
    assert f1["properties"]["event_id"] == df.event_id[1]


def test_parquet_types(sample: pd.DataFrame, tmp_path: Path) -> None:
    f = tmp_path / "e.parquet"
    write_events(sample, "parquet", f)
    back = pd.read_parquet(f)
    assert list(back.columns[: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS and len(back) == len(sample)
    assert back.deaths_best.tolist() == sample.deaths_best.tolist()


def test_stream_and_format_errors(sample: pd.DataFrame) -> None:
    assert set(FORMATS) == {"csv", "parquet", "geojson", "jsonl"}
    with pytest.raises(ValueError, match="needs a file path"):
        write_events(sample, "parquet", io.StringIO())
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        write_events(sample, "xml", io.StringIO())
    buf = io.StringIO()
    write_jsonl(sample.head(2), buf)
    assert len(buf.getvalue().splitlines()) == 2


def test_hostile_text_is_data(tmp_path: Path, sample: pd.DataFrame) -> None:
    """Quotes, delimiters, newlines and markup in text columns survive CSV and JSONL unchanged."""
    df = sample.head(3).copy()
    nasty = 'a "quoted", ;|\ttab\nnew line <script>alert(1)</script> \u200f رصد'
    df["source_text"] = nasty
    for fmt in ("csv", "jsonl"):
        f = tmp_path / f"n.{fmt}"
        write_events(df, fmt, f)
        back = (pd.read_csv(f, dtype=str) if fmt == "csv" else pd.read_json(f, lines=True, dtype=False))
        assert back.source_text.tolist() == [nasty] * 3
