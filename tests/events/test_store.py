"""The store module: where the store is, opening it, the ingest log, replacing releases and undoing a batch."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from rasid.errors import InputError, StoreError
from rasid.events import Store
from rasid.events.store import CONFIG_NAME, default_db_path, find_config, write_config
from tests._lock import lock_held
from tests.conftest import DATA

ACLED = DATA / "acled" / "acled_iq_sy_fixture.csv"
GED231 = DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz"


@pytest.fixture(scope="module")
def ged() -> pd.DataFrame:
    return pd.read_csv(GED231, dtype=str, keep_default_na=False).head(30)


def _release(tmp_path: Path, ged: pd.DataFrame, name: str, best: str | None = None, rows: int = 30) -> Path:
    df = ged.head(rows).copy()
    if best is not None:
        df["best"] = best
        df["high"] = best
        df["low"] = best
    f = tmp_path / name
    df.to_csv(f, index=False)
    return f


def _state(store: Store) -> pd.DataFrame:
    return store.events().drop(columns="batch_id").sort_values("event_id").reset_index(drop=True)


# -- where the store is ---------------------------------------------------------------------------
def test_default_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "briefs" / "2018").mkdir(parents=True)
    monkeypatch.setenv("RASID_DB", str(tmp_path / "env.duckdb"))
    assert default_db_path(project) == tmp_path / "env.duckdb"  # 1. the environment
    monkeypatch.delenv("RASID_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert find_config(project / "briefs") is None
    user = default_db_path(project / "briefs")
    assert user.name == "rasid.duckdb" and str(tmp_path / "xdg") in str(user)  # 3. user data dir
    cfg = write_config(project, project / "out" / "rasid.duckdb")
    assert cfg == project / CONFIG_NAME and 'db = "out/rasid.duckdb"' in cfg.read_text()
    # 2. the nearest rasid.toml, from a sub-folder too; its relative path is relative to the file
    assert default_db_path(project / "briefs" / "2018") == project / "out" / "rasid.duckdb"


def test_config_with_absolute_path_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASID_DB")
    elsewhere = tmp_path / "data" / "store.duckdb"
    write_config(tmp_path / "p" if (tmp_path / "p").mkdir() is None else tmp_path, elsewhere)
    assert default_db_path(tmp_path / "p") == elsewhere
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / CONFIG_NAME).write_text("[store\ndb = 1\n")
    with pytest.raises(InputError, match="cannot read the rasid settings"):
        default_db_path(tmp_path / "q")


# -- opening ----------------------------------------------------------------------------------------
def test_read_only_store_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no event store here yet") as info:
        _ = Store(tmp_path / "none.duckdb", read_only=True).con
    assert info.value.exit_code == 2


def test_store_path_that_is_a_folder_or_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory") as info:
        _ = Store(tmp_path).con
    assert info.value.exit_code == 2
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a rasid store"):
        _ = Store(junk).con
    as_folder = tmp_path / "file"
    as_folder.write_text("x")
    with pytest.raises(Exception, match="not a folder|is a file") as info:
        _ = Store(as_folder / "s.duckdb").con
    assert "\n" not in str(info.value)


def test_lock_held_by_another_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "locked.duckdb"
    Store(db).close()
    with lock_held(db, tmp_path):
        monkeypatch.setenv("RASID_LOCK_WAIT", "0.3")
        with pytest.raises(StoreError, match="locked by another process") as info:
            _ = Store(db, read_only=True).con
        assert info.value.exit_code == 1 and str(db) in str(info.value)


# -- ingest log, releases, undo -------------------------------------------------------------------
def test_ingest_log_and_data_versions(tmp_path: Path, ged: pd.DataFrame) -> None:
    s = Store(tmp_path / "s.duckdb")
    rep = s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    s.ingest_file(ACLED)
    log = s.ingests()
    assert list(log.status) == ["ok", "ok"] and set(log.batch_id) == {rep.batch_id, log.batch_id.iloc[0]}
    row = log.set_index("batch_id").loc[rep.batch_id]
    assert (row.format, row.source, row.source_version, row.rows_in, row.rows_out) == ("ucdp_ged", "ucdp_ged", "23.1", 30, 30)
    versions = {(v["source"], v["source_version"]): v for v in s.data_versions()}
    assert versions[("ucdp_ged", "23.1")]["rows"] == 30
    assert versions[("ucdp_ged", "23.1")]["files"][0]["file"] == "ged231.csv"
    info = s.info().set_index("source")
    assert info.loc["acled", "rows"] == 7 and info.loc["ucdp_ged", "versions"] == ["23.1"]


def test_undo_a_release_restores_what_it_replaced(tmp_path: Path, ged: pd.DataFrame) -> None:
    s = Store(tmp_path / "s.duckdb")
    s.ingest_file(ACLED)
    s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    before = _state(s)
    newer = s.ingest_file(_release(tmp_path, ged, "GEDEvent_v24_1.csv", best="999", rows=10))
    assert newer.rows_replaced == 10 and (s.events().deaths_best == 999).sum() == 10
    undo = s.undo(newer.batch_id)
    assert (undo.rows_removed, undo.rows_restored) == (10, 10)
    pd.testing.assert_frame_equal(_state(s), before)
    log = s.ingests().set_index("batch_id")
    assert log.loc[newer.batch_id, "status"] == "undone" and pd.notna(log.loc[newer.batch_id, "undone_at"])
    assert s.con.execute("SELECT count(*) FROM replaced_events").fetchall()[0][0] == 0
    # the undone file can be ingested again, and undone twice is refused
    again = s.ingest_file(tmp_path / "GEDEvent_v24_1.csv")
    assert again.status == "ok" and again.rows_replaced == 10
    with pytest.raises(InputError, match="already undone"):
        s.undo(newer.batch_id)
    with pytest.raises(InputError, match="no ingest with batch id"):
        s.undo("nosuchbatch")


def test_undo_in_any_order_over_a_chain_of_releases(tmp_path: Path, ged: pd.DataFrame) -> None:
    s = Store(tmp_path / "s.duckdb")
    a = s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    after_a = _state(s)
    b = s.ingest_file(_release(tmp_path, ged, "GEDEvent_v24_1.csv", best="24"))
    s.ingest_file(_release(tmp_path, ged, "GEDEvent_v25_1.csv", best="25", rows=20))
    assert set(s.events().deaths_best) == {24, 25}
    s.undo(b.batch_id)  # the middle release: its rows that the newest did not replace go back to 23.1
    ev = s.events()
    assert (ev.deaths_best == 25).sum() == 20 and (ev.source_version == "23.1").sum() == 10
    newest = s.ingests().query("source_version == '25.1'").batch_id.iloc[0]
    s.undo(newest)
    pd.testing.assert_frame_equal(_state(s), after_a)
    s.undo(a.batch_id)
    assert len(s.events()) == 0


def test_an_older_release_keeps_newer_rows(tmp_path: Path, ged: pd.DataFrame) -> None:
    s = Store(tmp_path / "s.duckdb")
    s.ingest_file(_release(tmp_path, ged, "GEDEvent_v25_1.csv", best="25", rows=10))
    rep = s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    assert (rep.rows_out, rep.rows_unchanged, rep.rows_replaced) == (20, 10, 0)
    assert (s.events().deaths_best == 25).sum() == 10


def test_undo_is_atomic(tmp_path: Path, ged: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store(tmp_path / "s.duckdb")
    s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    newer = s.ingest_file(_release(tmp_path, ged, "GEDEvent_v24_1.csv", best="24", rows=10))
    before = _state(s)
    s.con.execute("DROP TABLE replaced_events")  # the restore step will fail half way
    with pytest.raises(StoreError, match="nothing was changed"):
        s.undo(newer.batch_id)
    pd.testing.assert_frame_equal(_state(s), before)
    assert s.ingests().set_index("batch_id").loc[newer.batch_id, "status"] == "ok"


def test_failed_commit_keeps_the_cause_and_the_store(tmp_path: Path, ged: pd.DataFrame,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store(tmp_path / "s.duckdb")
    monkeypatch.setattr("rasid.events.store.uuid.uuid4", lambda: uuid.UUID(int=7))  # every batch the same id
    s.ingest_file(ACLED)
    before = _state(s)
    # the last statement of the transaction (the log entry) violates the key: all of it is rolled back
    with pytest.raises(StoreError, match="nothing was added") as info:
        s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    assert "constraint" in str(info.value).lower() and "\n" not in str(info.value)
    pd.testing.assert_frame_equal(_state(s), before)
    assert s.con.execute("SELECT count(*) FROM replaced_events").fetchall()[0][0] == 0


def test_store_is_sorted_by_date_within_a_batch(tmp_path: Path, ged: pd.DataFrame) -> None:
    s = Store(tmp_path / "s.duckdb")
    s.ingest_file(_release(tmp_path, ged, "ged231.csv"))
    dates = [r[0] for r in s.con.execute("SELECT date_start FROM events ORDER BY rowid").fetchall()]
    assert dates == sorted(dates)


def test_reopening_an_older_store_adds_the_new_tables(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE ingests (batch_id VARCHAR PRIMARY KEY, file VARCHAR, sha256 VARCHAR, format VARCHAR, "
                "source VARCHAR, source_version VARCHAR, rows_in BIGINT, rows_out BIGINT, rows_rejected BIGINT, "
                "rows_replaced BIGINT, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR)")
    con.close()
    s = Store(db)
    s.ingest_file(ACLED)
    cols = {r[0] for r in s.con.execute("DESCRIBE ingests").fetchall()}
    assert "undone_at" in cols
    assert s.con.execute("SELECT count(*) FROM replaced_events").fetchall()[0][0] == 0


def test_rejects_file_is_not_a_spreadsheet_formula(tmp_path: Path, ged: pd.DataFrame) -> None:
    df = ged.copy()
    df.loc[df.index[3], "id"] = "=HYPERLINK(\"http://x\")"
    df.loc[df.index[3], "best"] = "-4"
    f = tmp_path / "formula.csv"
    df.to_csv(f, index=False)
    rep = Store(tmp_path / "s.duckdb").ingest_file(f, skip_bad_rows=True)
    rejects = pd.read_csv(rep.rejects_file, dtype=str)
    assert rejects.source_id.iloc[0].startswith("'=")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part") or p.startswith(".formula")]


def test_ingest_memory_limit_is_set_and_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store(tmp_path / "s.duckdb")
    before = s.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    monkeypatch.setenv("RASID_INGEST_MEMORY", "300MB")
    s.ingest_file(ACLED)
    assert s.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == before
    monkeypatch.setenv("RASID_INGEST_MEMORY", "lots")
    with pytest.raises(InputError, match="RASID_INGEST_MEMORY"):
        s.ingest_file(GED231)
    assert s.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == before


def test_add_events_names_the_refused_rows(tmp_path: Path) -> None:
    s = Store(tmp_path / "s.duckdb")
    rows = pd.DataFrame([{"source_id": "a", "date_start": "2018-03-01", "deaths_best": 2},
                         {"source_id": "b", "date_start": "1900-01-01", "deaths_best": 1},
                         {"source_id": "c", "date_start": "2018-03-02", "deaths_best": -4}])
    with pytest.raises(InputError) as info:
        s.add_events(rows, source="news")
    msg = str(info.value)
    assert msg.startswith("news-events.jsonl:2: 2 of 3 news event(s) refused, none written: event 2: date 1900-01-01")
    assert "event 3: negative deaths_best: -4" in msg and tempfile.gettempdir() not in msg
    assert s.events().empty
