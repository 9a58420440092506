"""Readers: each format sniffed from its header and mapped to canonical columns."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from rasid.errors import UnknownFormatError
from rasid.events import Store
from rasid.events.readers import sniff
from tests.conftest import BUNDLED_GED, DATA

ACLED = DATA / "acled" / "acled_iq_sy_fixture.csv"
GTD = DATA / "gtd" / "gtd_iq_fixture.csv"
GED231 = DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz"
HDX = DATA / "ucdp" / "hdx_ucdp_conflict_data_irq.csv.gz"


@pytest.mark.parametrize(
    ("path", "fmt"),
    [(BUNDLED_GED, "ucdp_ged"), (GED231, "ucdp_ged"), (HDX, "ucdp_ged"), (ACLED, "acled"), (GTD, "gtd")],
)
def test_sniff_by_header(path: Path, fmt: str, tmp_path: Path) -> None:
    # the name says nothing: copy to a neutral name first
    neutral = tmp_path / ("data.bin.gz" if path.suffix == ".gz" else "data.bin")
    shutil.copy(path, neutral)
    assert sniff(neutral).format == fmt


def test_unknown_header_lists_expected_formats(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(UnknownFormatError) as exc:
        sniff(f)
    msg = str(exc.value)
    assert str(f) in msg and "UCDP GED" in msg and "ACLED" in msg and "GTD" in msg and "JSONL" in msg
    assert "\n" not in msg


def _one(store: Store, path: Path, **kw) -> pd.DataFrame:
    store.ingest_file(path, **kw)
    return store.events()


def test_ucdp_bundled_maps_columns(bundled_events: pd.DataFrame) -> None:
    ev = bundled_events.set_index("source_id")
    row = ev.loc["258852"]  # Government of Iraq - IS, 2018-01-01, Ninawa
    assert row.source == "ucdp_ged" and row.source_version == "19.1"
    assert row.date_start == pd.Timestamp("2018-01-01") and row.date_precision == "day"
    assert row.country == "IQ" and row.admin1_code == "IQG15" and row.admin1_ar == "نينوى"
    assert row.actor1_id == "ISF" and row.actor2_id == "IS" and row.event_type == "state-based"
    assert (row.deaths_best, row.deaths_side_b) == (1, 1)
    assert pd.isna(row.wounded)  # UCDP has no wounded: NULL, never 0
    assert row.priogrid_gid == 181886
    assert set(bundled_events.country.unique()) == {"IQ", "SY"}
    assert len(bundled_events) == 22202


def test_ucdp_admin_codes_cover_located_events(bundled_events: pd.DataFrame) -> None:
    located = bundled_events.dropna(subset=["lat", "lon"])
    assert located.admin1_code.notna().mean() > 0.999
    kirkuk = located[located.source_admin1.fillna("").str.contains("Kirk|Ta'mim", regex=True)]
    assert (kirkuk.admin1_code == "IQG13").mean() > 0.97


def test_ucdp_hdx_extract_skips_hxl_row(tmp_path: Path) -> None:
    df = _one(Store(tmp_path / "s.duckdb"), HDX, source_version="19.1")
    assert len(df) == 7473 and not df.source_id.str.startswith("#").any()
    assert df.country.eq("IQ").all()


def test_ucdp_candidate_style_timestamps_and_version_from_name(tmp_path: Path) -> None:
    raw = pd.read_csv(GED231, dtype=str, keep_default_na=False)
    raw["date_start"] = raw["date_start"] + " 00:00:00.000"
    raw["date_end"] = raw["date_end"] + " 00:00:00.000"
    f = tmp_path / "GEDEvent_v25_0_3.csv"
    raw.to_csv(f, index=False)
    df = _one(Store(tmp_path / "s.duckdb"), f)
    assert len(df) == len(raw)
    assert df.date_start.notna().all() and (df.source_version == "25.0.3").all()


def test_acled_fixture(tmp_path: Path) -> None:
    df = _one(Store(tmp_path / "s.duckdb"), ACLED).set_index("source_id")
    r = df.loc["IRQ40001"]
    assert r.source == "acled" and r.actor1_id == "IS" and r.actor2_id == "IQ_POLICE"
    assert r.date_start == pd.Timestamp("2021-09-05") and r.deaths_best == 13 and r.country == "IQ"
    assert r.admin1_code == "IQG13" and r.source_admin2 == "Daquq" and r.geo_precision == "near"
    assert df.loc["SYR90001"].date_start == pd.Timestamp("2021-10-05")  # "05 October 2021"
    assert df.loc["SYR90001"].country == "SY" and df.loc["SYR90001"].admin1_code == "SY09"
    assert df.loc["IRQ40003"].date_precision == "week"
    assert df.loc["SYR90004"].date_precision == "month"
    assert df.loc["SYR90004"].deaths_best == 0  # a recorded zero stays zero


def test_gtd_csv_and_xlsx_agree(tmp_path: Path) -> None:
    df = _one(Store(tmp_path / "a.duckdb"), GTD).set_index("source_id")
    r = df.loc["201703140001"]
    assert r.source == "gtd" and r.actor1_id == "IS" and r.claimed is True or bool(r.claimed)
    assert (r.deaths_best, r.wounded, r.attackers_killed) == (4, 6, 2)
    month_only = df.loc["201705000002"]
    assert month_only.date_precision == "month"
    assert month_only.date_start == pd.Timestamp("2017-05-01") and month_only.date_end == pd.Timestamp("2017-05-31")
    year_only = df.loc["201800000004"]
    assert year_only.date_precision == "year" and pd.isna(year_only.deaths_best) and pd.isna(year_only.wounded)
    xlsx = tmp_path / "gtd.xlsx"
    pd.read_csv(GTD, dtype=str).to_excel(xlsx, index=False)
    dx = _one(Store(tmp_path / "b.duckdb"), xlsx).set_index("source_id")
    cols = ["date_start", "date_end", "deaths_best", "wounded", "actor1_id", "admin1_code", "country"]
    pd.testing.assert_frame_equal(df[cols].sort_index(), dx[cols].sort_index())


def test_jsonl_roundtrip(tmp_path: Path, bundled_events: pd.DataFrame) -> None:
    from rasid.events import write_events

    sample = bundled_events.head(50).copy()
    f = tmp_path / "events.jsonl"
    write_events(sample, "jsonl", f)
    df = _one(Store(tmp_path / "s.duckdb"), f)
    assert len(df) == 50
    assert set(df.event_id) == set(sample.event_id)  # same source + source_id -> same id
    merged = sample.merge(df, on="event_id", suffixes=("", "_j"))
    for c in ("date_start", "deaths_best", "admin2_code", "actor1_id", "lat"):
        assert (merged[c].fillna("").astype(str) == merged[f"{c}_j"].fillna("").astype(str)).all(), c


def test_gzip_and_plain_give_same_rows(tmp_path: Path) -> None:
    plain = tmp_path / "acled.csv"
    shutil.copy(ACLED, plain)
    gz = tmp_path / "acled.csv.gz"
    with open(ACLED, "rb") as src, gzip.open(gz, "wb") as dst:
        dst.write(src.read())
    a = _one(Store(tmp_path / "a.duckdb"), plain)
    b = _one(Store(tmp_path / "b.duckdb"), gz)
    assert a.drop(columns="batch_id").equals(b.drop(columns="batch_id"))


def test_add_events_without_version_and_info(tmp_path: Path) -> None:
    s = Store(tmp_path / "n.duckdb")
    news = pd.DataFrame([{
        "source": "news", "source_id": "doc1#1", "date_start": "2021-09-05", "country": "IQ", "lat": 35.0159,
        "lon": 43.9958, "geo_precision": "admin3", "actor1": "داعش", "event_type": "armed attack", "target": "police",
        "deaths_best": 13, "wounded": 5, "source_url": "https://example.org/a", "claimed": False,
    }])
    rep = s.add_events(news)
    assert rep.rows_out == 1
    ev = s.events().iloc[0]
    assert (ev.source, ev.actor1_id, ev.admin1_code, ev.wounded) == ("news", "IS", "IQG13", 5)
    assert pd.isna(ev.deaths_low) and ev.date_end == pd.Timestamp("2021-09-05")
    info = s.info()
    assert info.loc[0, "versions"] == [] and info.loc[0, "countries"] == ["IQ"]
    assert s.add_events(news).status == "skipped"  # the same rows again add nothing
