"""Bad input: one clear error naming the file and the problem; the store is never half-written."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from rasid.errors import BadRowsError, InputError, MissingColumnError, UnknownFormatError
from rasid.events import Store
from tests.conftest import DATA

ACLED = DATA / "acled" / "acled_iq_sy_fixture.csv"
GED231 = DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz"


@pytest.fixture
def ged_df() -> pd.DataFrame:
    return pd.read_csv(GED231, dtype=str, keep_default_na=False).head(40)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    s.ingest_file(ACLED)  # something already stored, which must survive every failure
    return s


def _count(store: Store) -> int:
    return store.con.execute("SELECT count(*) FROM events").fetchall()[0][0]


def _fails(store: Store, path: Path, exc: type[Exception], *words: str) -> str:
    before = _count(store)
    with pytest.raises(exc) as info:
        store.ingest_file(path)
    msg = str(info.value)
    assert str(path) in msg and "\n" not in msg
    for w in words:
        assert w in msg
    assert _count(store) == before
    return msg


def test_empty_file(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "empty.csv"
    f.write_bytes(b"")
    _fails(store, f, InputError, "empty")


def test_header_only(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    f = tmp_path / "header.csv"
    ged_df.head(0).to_csv(f, index=False)
    _fails(store, f, InputError, "no data rows")


def test_semicolon_delimiter_is_detected(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    f = tmp_path / "semi.csv"
    ged_df.to_csv(f, index=False, sep=";")
    rep = store.ingest_file(f)
    assert rep.rows_out == len(ged_df)


def test_unknown_columns_are_ignored(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    f = tmp_path / "extra.csv"
    ged_df.assign(my_notes="x", another_col="1").to_csv(f, index=False)
    assert store.ingest_file(f).rows_out == len(ged_df)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8-sig", "utf-16"])
def test_encodings(store: Store, tmp_path: Path, ged_df: pd.DataFrame, encoding: str) -> None:
    df = ged_df.copy()
    df.loc[df.index[0], "source_article"] = "Agence, café à l'est de Dayr az Zawr"  # non-ASCII Latin-1 text
    f = tmp_path / f"enc-{encoding}.csv"
    df.to_csv(f, index=False, encoding=encoding, errors="replace")
    rep = store.ingest_file(f)
    assert rep.rows_out == len(df)
    texts = store.events().source_text.dropna()
    assert texts.str.contains("café à l'est", regex=False).any()


def test_truncated_last_line(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    f = tmp_path / "trunc.csv"
    ged_df.to_csv(f, index=False)
    data = f.read_bytes()
    f.write_bytes(data[: len(data) - 200])  # cut inside the last record
    msg = _fails(store, f, BadRowsError, "line")
    assert "--skip-bad-rows" in msg


def test_missing_required_column(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    f = tmp_path / "nobest.csv"
    ged_df.drop(columns=["best"]).to_csv(f, index=False)
    _fails(store, f, MissingColumnError, "best")


def test_unknown_format(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "other.csv"
    f.write_text("name,value\nx,1\n")
    _fails(store, f, UnknownFormatError, "expected one of")


def test_binary_garbage(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "garbage.csv"
    f.write_bytes(os.urandom(4096))
    with pytest.raises(InputError):
        store.ingest_file(f)


@pytest.mark.parametrize(
    ("col", "value", "reason"),
    [
        ("date_start", "2018-13-45", "unparsable or missing date"),
        ("latitude", "north", "unparsable latitude"),
        ("latitude", "123.4", "latitude out of range"),
        ("latitude", "200", "latitude out of range"),
        ("best", "many", "unparsable deaths"),
    ],
)
def test_bad_values_reject_file_with_line_numbers(store: Store, tmp_path: Path, ged_df: pd.DataFrame,
                                                  col: str, value: str, reason: str) -> None:
    df = ged_df.copy()
    df.loc[df.index[5], col] = value
    f = tmp_path / "bad.csv"
    df.to_csv(f, index=False)
    before = _count(store)
    with pytest.raises(BadRowsError) as info:
        store.ingest_file(f)
    assert reason in str(info.value)
    # row 5 of the data is file line 7 unless earlier records span several lines
    line = info.value.problems[0][0]
    raw_lines = f.read_text(encoding="utf-8").splitlines()
    assert value in raw_lines[line - 1]
    assert _count(store) == before


def test_swapped_coordinates_detected(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    df = ged_df.copy()
    i = df.index[3]
    df.loc[i, ["latitude", "longitude"]] = df.loc[i, ["longitude", "latitude"]].to_numpy()
    f = tmp_path / "swap.csv"
    df.to_csv(f, index=False)
    _fails(store, f, BadRowsError, "swapped")


def test_skip_bad_rows_writes_rejects(store: Store, tmp_path: Path, ged_df: pd.DataFrame) -> None:
    df = ged_df.copy()
    df.loc[df.index[2], "date_start"] = "not a date"
    df.loc[df.index[7], "longitude"] = "999"
    f = tmp_path / "some-bad.csv"
    df.to_csv(f, index=False)
    rep = store.ingest_file(f, skip_bad_rows=True)
    assert (rep.rows_out, rep.rows_rejected) == (len(df) - 2, 2)
    rejects = pd.read_csv(rep.rejects_file)
    assert list(rejects.columns) == ["line", "reason", "source_id"]
    assert rejects.reason.str.contains("date").any() and rejects.reason.str.contains("longitude").any()


def test_duplicate_file_adds_nothing(store: Store, tmp_path: Path) -> None:
    copy = tmp_path / "again.csv"
    shutil.copy(ACLED, copy)
    before = _count(store)
    rep = store.ingest_file(copy)  # same bytes, other name
    assert rep.status == "skipped" and _count(store) == before


def test_newer_release_replaces_revised_events_and_keeps_rest(tmp_path: Path, ged_df: pd.DataFrame) -> None:
    s = Store(tmp_path / "v.duckdb")
    old = tmp_path / "ged231.csv"
    ged_df.to_csv(old, index=False)
    s.ingest_file(old)
    new = ged_df.head(10).copy()
    new["best"] = "999"
    f = tmp_path / "GEDEvent_v24_1.csv"
    new.to_csv(f, index=False)
    rep = s.ingest_file(f)
    assert rep.rows_replaced == 10
    ev = s.events()
    assert len(ev) == len(ged_df)
    assert (ev.deaths_best == 999).sum() == 10
    # an older release ingested later does not overwrite the newer rows
    older = ged_df.head(10).copy()
    older["best"] = "1"
    g = tmp_path / "ged191.csv"
    older.to_csv(g, index=False)
    s.ingest_file(g)
    assert (s.events().deaths_best == 999).sum() == 10


def _ingest_cmd(db: Path, f: Path) -> list[str]:
    return [sys.executable, "-m", "rasid.cli", "ingest", str(f), "--db", str(db)]


def test_concurrent_ingest_of_same_file(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    procs = [subprocess.Popen(_ingest_cmd(db, ACLED), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    s = Store(db)
    assert s.con.execute("SELECT count(*) FROM events").fetchall()[0][0] == 7
    assert s.con.execute("SELECT count(*) FROM ingests").fetchall()[0][0] == 1


def test_killed_ingest_leaves_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    s = Store(db)
    s.ingest_file(ACLED)
    before = s.events()
    s.close()
    mark = tmp_path / "paused"
    env = {**os.environ, "RASID_INGEST_PAUSE": "60", "RASID_INGEST_PAUSE_MARK": str(mark)}
    p = subprocess.Popen(_ingest_cmd(db, GED231), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 90
    while not mark.exists() and time.time() < deadline:  # rows inserted, transaction still open
        time.sleep(0.1)
    assert mark.exists() and p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    s2 = Store(db)
    after = s2.events()
    pd.testing.assert_frame_equal(before, after)
    assert s2.con.execute("SELECT count(*) FROM ingests").fetchall()[0][0] == 1
