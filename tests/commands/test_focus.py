"""`rasid focus`, `rasid hotspots`, `rasid trends` (and the per-unit output shared with `context` and `forecast`):
thin wrappers that parse, validate before any work, call the library and print."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from rasid.analysis.focus import FOCUS_COLUMNS
from rasid.cli import app
from tests.conftest import BUNDLED_GED


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("focus_cli") / "cli.duckdb"
    res = CliRunner().invoke(app, ["ingest", str(BUNDLED_GED), "--db", str(path)])
    assert res.exit_code == 0, res.output
    return path


def _run(args: list[str]):
    return CliRunner().invoke(app, args)


def test_cli_focus_csv_and_json(cli_db):
    base = ["focus", "--db", str(cli_db), "--actor", "IS", "--country", "IQ,SY", "--window", "2018-01..2018-12",
            "--baseline", "12m", "--unit", "admin1"]
    res = _run([*base, "--format", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert set(FOCUS_COLUMNS) <= set(df.columns) and len(df) == 32 and df.iloc[0].unit_en == "Deir-ez-Zor"
    rows = json.loads(_run([*base, "--format", "json"]).stdout)
    assert rows[0]["label"] == "rising focus" and rows[0]["unit_ar"] == "دير الزور"
    geo = json.loads(_run([*base, "--format", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 32
    assert _run([*base, "--format", "table"]).exit_code == 0
    bad = _run(["focus", "--db", str(cli_db), "--window", "2018-13..2018-14"])
    assert bad.exit_code == 2 and "error" in bad.output


def test_cli_hotspots_and_trends(cli_db):
    common = ["--db", str(cli_db), "--actor", "IS", "--country", "IQ,SY", "--window", "2018-01..2018-12"]
    res = _run(["hotspots", *common, "--unit", "admin2", "--period", "month", "--format", "csv",
                "--permutations", "999"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert {"unit_code", "period", "gi_z", "p_value", "q_value", "hotspot_class"} <= set(df.columns)
    assert len(df) == 162 * 12
    em = pd.read_csv(io.StringIO(_run(["hotspots", *common, "--emerging", "--method", "analytic",
                                       "--format", "csv"]).stdout))
    assert em.unit_code.is_unique and "pattern" in em
    tr = _run(["trends", *common, "--unit", "admin1", "--format", "csv"])
    assert tr.exit_code == 0 and "change_flag" in tr.stdout


def test_one_default_unit_and_window(cli_db):
    """Without --unit every per-unit command uses districts; without --window the last 60 months of data."""
    res = _run(["trends", "--db", str(cli_db), "--actor", "IS", "--country", "IQ,SY", "--format", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert len(df) == 162  # districts of Iraq and Syria
    focus = _run(["focus", "--db", str(cli_db), "--actor", "IS", "--window", "2018-01..2018-12", "--format", "json"])
    assert len(json.loads(focus.stdout)) == 162
    ctx = _run(["context", "--country", "IQ", "--format", "json"])
    assert ctx.exit_code == 0 and len(json.loads(ctx.stdout)) == 101  # Iraqi districts


@pytest.mark.parametrize("cmd", [
    ["focus", "--window", "2018-01..2018-12"], ["hotspots"], ["trends"], ["context"], ["forecast"],
])
def test_unknown_format_is_refused_before_any_work(cli_db, cmd):
    res = _run([*cmd, "--db", str(cli_db), "--format", "docx"] if cmd[0] != "context" else [*cmd, "--format", "docx"])
    assert res.exit_code == 2
    assert "unknown --format 'docx'; expected one of table, csv, json, geojson" in res.output


@pytest.mark.parametrize(("args", "words"), [
    (["focus", "--window", "2018-12..2018-01"], "ends before it starts"),
    (["focus", "--window", "2018-01..2018-12", "--unit", "province"], "unknown unit 'province'"),
    (["hotspots", "--period", "fortnight"], "unknown period 'fortnight'"),
    (["trends", "--country", "Iraq"], "ISO2 code"),
])
def test_bad_options_are_one_line_errors(cli_db, args, words):
    res = _run([*args, "--db", str(cli_db)])
    assert res.exit_code == 2 and words in res.output
    assert "Traceback" not in res.output
