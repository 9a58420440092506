"""Validation at ingest: impossible values are refused per row, with the line and the reason; options never become SQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from rasid.errors import BadRowsError, InputError
from rasid.events import Store
from rasid.events._checks import parse_date_range, valid_date_range
from tests.conftest import DATA

ACLED = DATA / "acled" / "acled_iq_sy_fixture.csv"
GTD = DATA / "gtd" / "gtd_iq_fixture.csv"
GED231 = DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz"


@pytest.fixture(scope="module")
def ged() -> pd.DataFrame:
    # the first 30 rows of the GED 23.1 sample have their estimates in order
    return pd.read_csv(GED231, dtype=str, keep_default_na=False).head(30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.ingest_file(ACLED)  # already stored: must survive every refusal
    return s


def _stored(store: Store) -> pd.DataFrame:
    return store.events().sort_values("event_id").reset_index(drop=True)


def _write(tmp_path: Path, df: pd.DataFrame, name: str = "bad.csv") -> Path:
    f = tmp_path / name
    df.to_csv(f, index=False)
    return f


def _line_of(f: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


HOSTILE = [
    ("date_start", "0000-01-01", "outside the accepted range"),
    ("date_start", "0001-01-01", "outside the accepted range"),
    ("date_start", "2099-01-01", "outside the accepted range"),
    ("date_start", "9999-12-31", "outside the accepted range"),
    ("date_end", "2001-01-01", "before start date"),
    ("deaths_a", "-3", "negative deaths_a: -3"),
    ("low", "-1", "negative low: -1"),
    ("high", "-2", "negative high: -2"),
    ("deaths_a", "inf", "deaths_a is not a finite number: inf"),
    ("where_prec", "NaN", "where_prec is not a finite number: nan"),
    ("best", "nan", "best is not a finite number: nan"),
    ("best", "1e30", "best is too large: 1e+30"),
    ("best", "2.5", "best is not a whole number: 2.5"),
    ("where_prec", "1e300", "where_prec is too large"),
    ("latitude", "-inf", "latitude is not a finite number: -inf"),
    ("best", "many", "unparsable deaths (best): many"),
    ("deaths_b", "12abc", "unparsable deaths (deaths_b): 12abc"),
]


@pytest.mark.parametrize(("col", "value", "reason"), HOSTILE)
def test_impossible_value_refuses_the_file_naming_the_line(store: Store, tmp_path: Path, ged: pd.DataFrame,
                                                           col: str, value: str, reason: str) -> None:
    df = ged.copy()
    df.loc[df.index[6], col] = value
    df.loc[df.index[6], "id"] = "999001"
    f = _write(tmp_path, df)
    before = _stored(store)
    with pytest.raises(BadRowsError) as info:
        store.ingest_file(f)
    msg = str(info.value)
    assert reason in msg and "\n" not in msg and str(f) in msg
    assert info.value.problems == [(_line_of(f, "999001"), info.value.problems[0][1])]
    pd.testing.assert_frame_equal(_stored(store), before)


@pytest.mark.parametrize(("col", "value", "reason"), HOSTILE)
def test_skip_bad_rows_loads_the_rest_and_every_row_is_readable(store: Store, tmp_path: Path, ged: pd.DataFrame,
                                                                col: str, value: str, reason: str) -> None:
    df = ged.copy()
    df.loc[df.index[6], col] = value
    df.loc[df.index[6], "id"] = "999001"
    f = _write(tmp_path, df)
    rep = store.ingest_file(f, skip_bad_rows=True)
    assert (rep.rows_out, rep.rows_rejected) == (len(df) - 1, 1)
    rejects = pd.read_csv(rep.rejects_file, dtype=str)
    assert rejects.line.tolist() == [str(_line_of(f, "999001"))] and reason in rejects.reason.iloc[0]
    ev = store.events()  # the analyses' reader: dates and integers convert without error
    assert len(ev) == 7 + len(df) - 1 and "999001" not in set(ev.source_id)
    assert ev.date_start.between("1946-01-01", "2030-01-01").all()
    for c in ("deaths_best", "deaths_low", "deaths_high", "deaths_side_a"):
        assert (ev[c].dropna() >= 0).all()


def test_estimates_out_of_order_warn_or_are_refused_with_strict(tmp_path: Path, ged: pd.DataFrame) -> None:
    df = ged.copy()
    df.loc[df.index[4], ["low", "best", "high"]] = ["5", "3", "2"]
    f = _write(tmp_path, df)
    rep = Store(tmp_path / "a.duckdb").ingest_file(f)
    assert rep.rows_out == len(df) and rep.warnings == [(6, "low estimate 5 above the best estimate 3")]
    assert rep.warnings_total == 1
    with pytest.raises(BadRowsError, match="line 6: low estimate 5 above the best estimate 3"):
        Store(tmp_path / "b.duckdb").ingest_file(f, strict=True)


def test_the_bundled_ucdp_release_loads_whole(bundled_store: Store) -> None:
    """UCDP's own estimates are sometimes out of order: by default those rows load (with a remark)."""
    rep = bundled_store.ingests().iloc[0]
    assert (rep.rows_in, rep.rows_out, rep.rows_rejected) == (22202, 22202, 0)


def test_accepted_dates_are_configurable(store: Store, tmp_path: Path, ged: pd.DataFrame,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    f = _write(tmp_path, ged)
    monkeypatch.setenv("RASID_DATE_MAX", "2010-12-31")
    assert valid_date_range() == (dt.date(1946, 1, 1), dt.date(2010, 12, 31))
    with pytest.raises(BadRowsError, match="outside the accepted range 1946-01-01..2010-12-31"):
        store.ingest_file(f)
    monkeypatch.delenv("RASID_DATE_MAX")
    lo, hi = valid_date_range(dt.date(2024, 2, 29))
    assert (lo, hi) == (dt.date(1946, 1, 1), dt.date(2025, 2, 28))
    assert parse_date_range("2000-01-01..") == (dt.date(2000, 1, 1), valid_date_range()[1])
    with pytest.raises(BadRowsError, match="30 bad row.*outside the accepted range 2018-01-01..2030-12-31"):
        store.ingest_file(f, dates=parse_date_range("2018-01-01..2030-12-31"))
    for bad in ("2018", "2018-02-30..2019-01-01", "2019-01-01..2018-01-01"):
        with pytest.raises(InputError):
            parse_date_range(bad)
    monkeypatch.setenv("RASID_DATE_MIN", "yesterday")
    with pytest.raises(InputError, match="RASID_DATE_MIN"):
        valid_date_range()


def test_gtd_unknown_codes_and_impossible_dates(tmp_path: Path) -> None:
    gtd = pd.read_csv(GTD, dtype=str, keep_default_na=False)
    gtd.loc[0, "nkill"] = "-99"  # GTD's "unknown": stored as NULL
    gtd.loc[1, ["imonth", "iday"]] = ["4", "31"]  # 31 April
    gtd.loc[2, "nwound"] = "-5"
    f = _write(tmp_path, gtd, "gtd.csv")
    with pytest.raises(BadRowsError) as info:
        Store(tmp_path / "g.duckdb").ingest_file(f)
    assert info.value.problems == [(3, "unparsable or missing date: 2017-4-31"), (4, "negative nwound: -5")]
    rep = Store(tmp_path / "h.duckdb").ingest_file(f, skip_bad_rows=True)
    assert rep.rows_out == len(gtd) - 2
    ev = Store(tmp_path / "h.duckdb", read_only=True).events().set_index("source_id")
    assert pd.isna(ev.loc[gtd.loc[0, "eventid"], "deaths_best"])


def test_acled_negative_fatalities_and_year_zero(tmp_path: Path) -> None:
    acled = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    acled.loc[1, "fatalities"] = "-1"
    acled.loc[3, "event_date"] = "0000-01-01"
    f = _write(tmp_path, acled, "acled.csv")
    with pytest.raises(BadRowsError) as info:
        Store(tmp_path / "a.duckdb").ingest_file(f)
    reasons = [why for _, why in info.value.problems]
    assert reasons[0] == "negative fatalities: -1" and "0000-01-01 outside the accepted range" in reasons[1]


def test_jsonl_nan_text_numbers_and_broken_utf8_are_named(tmp_path: Path) -> None:
    good = {"source": "news", "source_id": "a", "date_start": "2018-03-01", "country": "IQ", "deaths_best": 2}
    lines = [json.dumps(good), json.dumps({**good, "source_id": "b", "deaths_best": float("nan")}),
             json.dumps({**good, "source_id": "c", "deaths_best": "three"}),
             json.dumps({**good, "source_id": "d", "lat": 1e400})]
    data = ("\n".join(lines) + "\n").encode() + b'{"source_id": "e", "date_start": "2018-03-02", "location": "' \
        + b"\xd9\x83\xff\xfe" + b'"}\n'
    f = tmp_path / "news.jsonl"
    f.write_bytes(data)
    with pytest.raises(BadRowsError) as info:
        Store(tmp_path / "j.duckdb").ingest_file(f)
    got = dict(info.value.problems)
    assert got[2] == "deaths_best is not a finite number: nan"
    assert got[3] == "unparsable deaths_best: three"
    assert got[4] == "lat is not a finite number: inf"
    assert got[5].startswith("invalid UTF-8 bytes at byte offset ")
    assert Store(tmp_path / "k.duckdb").ingest_file(f, skip_bad_rows=True).rows_out == 1


# -- option values never become SQL (issue #12's two injections) -----------------------------------
DROP = ("1') AS source_version, NULL AS date_start, NULL AS date_end FROM _raw); DROP TABLE events; "
        "SELECT * FROM (SELECT ('")
DROP_3B1CBBD = ("1' AS source_version, NULL AS date_start, NULL AS date_end FROM _raw); DROP TABLE events; "
                "SELECT * FROM (SELECT '")
COUNT = "x' || (SELECT count(*) FROM events)::VARCHAR || '"


@pytest.mark.parametrize("payload", [DROP, DROP_3B1CBBD, COUNT, "'; --", 'a"b', "\u202eevil", "</script>"])
def test_source_version_is_stored_literally(store: Store, tmp_path: Path, ged: pd.DataFrame, payload: str) -> None:
    rep = store.ingest_file(_write(tmp_path, ged), source_version=payload)
    assert rep.rows_out == len(ged)
    versions = store.con.execute("SELECT DISTINCT source_version FROM events WHERE source = 'ucdp_ged'").fetchall()
    assert versions == [(payload,)]
    assert store.con.execute("SELECT count(*) FROM events").fetchall()[0][0] == 7 + len(ged)
    assert store.ingests().source_version.iloc[0] == payload
    assert len(store.info()) == 2
