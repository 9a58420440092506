"""The `rasid` event commands end to end (Typer runner, real files)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rasid.cli import app
from rasid.events.schema import EXPORT_COLUMNS
from tests.conftest import BUNDLED_GED, DATA

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    res = runner.invoke(app, ["ingest", str(BUNDLED_GED), str(DATA / "acled" / "acled_iq_sy_fixture.csv"),
                              "--db", str(path)])
    assert res.exit_code == 0, res.output
    return path


def test_ingest_reports_counts(db: Path) -> None:
    res = runner.invoke(app, ["ingest", str(BUNDLED_GED), "--db", str(db)])
    assert res.exit_code == 0 and "already ingested" in res.output


def test_info_json(db: Path) -> None:
    res = runner.invoke(app, ["info", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0
    info = {r["source"]: r for r in json.loads(res.stdout)}
    assert info["ucdp_ged"]["rows"] == 22202
    assert info["ucdp_ged"]["min_date"] == "1989-01-01" and info["ucdp_ged"]["max_date"] == "2018-12-31"
    assert info["ucdp_ged"]["countries"] == ["IQ", "SY"]
    assert info["acled"]["rows"] == 7


def test_events_csv_filter(db: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--actor", "IS", "--country", "IQ,SY", "--admin1", "Kirkuk",
                              "--since", "2018-01", "--until", "2018-12", "--format", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert list(df.columns[: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    assert len(df) == 43
    assert (df.admin1_code == "IQG13").all()
    assert df.date_start.between("2018-01-01", "2018-12-31").all()
    assert ((df.actor1_id == "IS") | (df.actor2_id == "IS")).all()


@pytest.mark.parametrize("name", ["داعش", "ISIS", "Daesh", "IS"])
def test_actor_spellings_select_the_same_events(db: Path, name: str) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--actor", name, "--admin1", "كركوك", "--since", "2018-01",
                              "--format", "jsonl"])
    assert res.exit_code == 0
    assert len(res.stdout.strip().splitlines()) == 44  # 43 UCDP (2018) + 1 ACLED fixture row (2021)


def test_events_geojson_and_parquet(db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--source", "acled", "--format", "geojson"])
    fc = json.loads(res.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    out = tmp_path / "e.parquet"
    res = runner.invoke(app, ["events", "--db", str(db), "--source", "acled", "--format", "parquet", "--out", str(out)])
    assert res.exit_code == 0 and len(pd.read_parquet(out)) == 7


def test_unknown_admin_is_a_clear_error(db: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--admin1", "Atlantis"])
    assert res.exit_code == 2 and "unknown admin1 'Atlantis'" in res.output


def test_actors_unmapped_lists_unknown_names(db: Path) -> None:
    res = runner.invoke(app, ["actors", "--db", str(db), "--unmapped", "--format", "json"])
    names = {r["name"] for r in json.loads(res.stdout)}
    assert "Hawar Kilis Operations Room" in names  # not in the actor table yet
    assert "IS" not in names and "Government of Iraq" not in names


def test_bad_file_exit_code_and_message(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("a,b\n1,2\n")
    res = runner.invoke(app, ["ingest", str(f), "--db", str(db)])
    assert res.exit_code == 2 and "matches no known format" in res.output
