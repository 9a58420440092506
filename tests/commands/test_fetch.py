"""`rasid fetch`, `update`, `alerts` and `watch` end to end against the local replay server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.cli import app
from rasid.commands.fetch import parse_every
from rasid.errors import QueryError
from rasid.events import Store
from tests.conftest import BUNDLED_GED
from tests.events._replay import Replay, acled_rows, ged_rows

runner = CliRunner()
ROWS = ged_rows()


@pytest.fixture
def api():
    with Replay() as r:
        r.ucdp_releases["23.1"] = ROWS
        r.acled = acled_rows()
        yield r


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("alerts") / "b.duckdb"
    with Store(path) as s:
        s.ingest_file(BUNDLED_GED)
    return path


def _rows(db: Path) -> int:
    with Store(db, read_only=True) as s:
        return len(s.events(columns=["event_id"]))


def test_fetch_ucdp_then_again(tmp_path, api, monkeypatch):
    monkeypatch.setenv("UCDP_TOKEN", "good-token")
    db, cache = tmp_path / "s.duckdb", tmp_path / "cache"
    args = ["fetch", "ucdp", "--version", "23.1", "--country", "IQ,SY", "--api-url", f"{api.url}/api",
            "--db", str(db), "--cache-dir", str(cache)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert f"{len(ROWS):,} added" in res.output and _rows(db) == len(ROWS)
    res = runner.invoke(app, args)
    assert res.exit_code == 0 and "already fetched" in res.output and _rows(db) == len(ROWS)


def test_fetch_errors_are_one_line_and_leave_the_store_alone(tmp_path, api, monkeypatch):
    db = tmp_path / "s.duckdb"
    monkeypatch.delenv("UCDP_TOKEN", raising=False)
    res = runner.invoke(app, ["fetch", "ucdp", "--version", "23.1", "--api-url", f"{api.url}/api", "--db", str(db),
                              "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 2 and "UCDP_TOKEN" in res.output and len(res.output.strip().splitlines()) == 1
    res = runner.invoke(app, ["fetch", "ucdp", "--version", "23.1", "--token", "wrong", "--api-url",
                              f"{api.url}/api", "--db", str(db), "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 2 and "rejected" in res.output and "UCDP_TOKEN" in res.output
    api.fault(("ucdp", "23.1", 0), *[("status", 500)] * 2)
    res = runner.invoke(app, ["fetch", "ucdp", "--version", "23.1", "--token", "good-token", "--retries", "2",
                              "--api-url", f"{api.url}/api", "--db", str(db), "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 2 and "gave up after 2 tries (HTTP 500)" in res.output and "resume" in res.output
    assert _rows(db) == 0


def test_fetch_acled_with_env_credentials(tmp_path, api, monkeypatch):
    monkeypatch.setenv("ACLED_EMAIL", api.acled_email)
    monkeypatch.setenv("ACLED_PASSWORD", api.acled_password)
    monkeypatch.setenv("RASID_CONFIG", str(tmp_path / "none.toml"))
    db = tmp_path / "s.duckdb"
    base = ["fetch", "acled", "--country", "Iraq,Syria", "--api-url", api.url, "--db", str(db),
            "--cache-dir", str(tmp_path / "c"), "--until", "2021-12-31"]
    res = runner.invoke(app, base)
    assert res.exit_code == 2 and "--since" in res.output  # nothing stored yet: where to start?
    res = runner.invoke(app, [*base, "--since", "2021-01-01"])
    assert res.exit_code == 0, res.output
    assert _rows(db) == len(api.acled)
    res = runner.invoke(app, base)  # continues 30 days before the last stored event: nothing new
    assert res.exit_code == 0 and _rows(db) == len(api.acled)
    assert "2021-" in api.requests("acled")[-1]["query"]["event_date"][0]


def test_fetch_acled_errors_are_one_line_and_leave_the_store_alone(tmp_path, api, monkeypatch):
    monkeypatch.delenv("ACLED_EMAIL", raising=False)
    monkeypatch.delenv("ACLED_PASSWORD", raising=False)
    monkeypatch.setenv("RASID_CONFIG", str(tmp_path / "none.toml"))
    db = tmp_path / "s.duckdb"
    base = ["fetch", "acled", "--country", "IQ", "--since", "2021-01-01", "--until", "2021-12-31",
            "--api-url", api.url, "--db", str(db), "--cache-dir", str(tmp_path / "c"), "--retries", "2"]
    res = runner.invoke(app, base)  # no credentials: refused before anything is asked or stored
    assert res.exit_code == 2 and "no ACLED credentials" in res.output and "ACLED_EMAIL" in res.output
    assert len(res.output.strip().splitlines()) == 1 and not db.exists() and not api.log
    monkeypatch.setenv("ACLED_EMAIL", api.acled_email)
    monkeypatch.setenv("ACLED_PASSWORD", api.acled_password)
    api.fault(("acled", 1), *[("status", 503)] * 2)
    res = runner.invoke(app, base)
    assert res.exit_code == 2 and "gave up after 2 tries (HTTP 503)" in res.output and "resume" in res.output
    assert (not db.exists() or _rows(db) == 0) and len(api.requests("acled")) == 2


def test_fetch_interrupted_exits_130_and_the_next_run_resumes(tmp_path, api, monkeypatch):
    api.fault(("ucdp", "23.1", 0), ("sleep", 60))  # the first page hangs: Ctrl-C arrives inside the fetch
    db, cache = tmp_path / "s.duckdb", tmp_path / "cache"
    args = ["fetch", "ucdp", "--version", "23.1", "--country", "IQ,SY", "--api-url", f"{api.url}/api",
            "--db", str(db), "--cache-dir", str(cache)]
    env = {**os.environ, "UCDP_TOKEN": "good-token", "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "rasid.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240  # a busy machine imports slowly
        while not api.requests("ucdp") and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert api.requests("ucdp"), proc.stderr.read().decode() if proc.poll() is not None else "no request"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == 130, err.decode()
    assert err.decode().strip() == ("interrupted: the store is unchanged by the unfinished fetch; run the same "
                                    "command again to resume (downloaded pages are kept)")
    assert not out.strip() and (not db.exists() or _rows(db) == 0)
    monkeypatch.setenv("UCDP_TOKEN", "good-token")
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert f"{len(ROWS):,} added" in res.output and _rows(db) == len(ROWS)


def test_update_init_dry_run_and_run(tmp_path, api, monkeypatch):
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("RASID_CONFIG", str(cfg))
    monkeypatch.setenv("UCDP_TOKEN", "good-token")
    res = runner.invoke(app, ["update"])
    assert res.exit_code == 2 and "rasid update --init" in res.output
    assert runner.invoke(app, ["update", "--init"]).exit_code == 0 and cfg.exists()
    cfg.write_text(f'countries = ["IQ", "SY"]\nsince = "2014-01-01"\ncache_dir = "{tmp_path / "c"}"\n'
                   f'[ucdp]\nversion = "23.1"\napi_url = "{api.url}/api"\n', encoding="utf-8")
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["update", "--dry-run", "--db", str(db)])
    assert res.exit_code == 0 and "would fetch ucdp 23.1 2014-01-01" in res.output and len(api.log) == 0
    res = runner.invoke(app, ["update", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert _rows(db) == len([r for r in ROWS if r["date_start"] >= "2014"])
    res = runner.invoke(app, ["update", "--db", str(db)])
    assert res.exit_code == 0 and "nothing to fetch" in res.output


def test_alerts_formats(bundled_db):
    args = ["alerts", "--actor", "IS", "--country", "IQ,SY", "--unit", "admin1", "--as-of", "2018-06",
            "--samples", "200", "--db", str(bundled_db)]
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["as_of"] == "2018-06" and doc["unit"] == "admin1" and doc["alerts"]
    first = doc["alerts"][0]
    assert {"unit_code", "unit_en", "unit_ar", "month", "kind", "text_en", "text_ar", "evidence"} <= set(first)
    assert first["evidence"][0]["source"] == "ucdp_ged"
    args += ["--kinds", "intensifying,spread,lethality"]  # the quick kinds for the other formats
    md = runner.invoke(app, [*args, "--format", "md"])
    assert md.exit_code == 0 and '<div dir="rtl" lang="ar">' in md.stdout and "حزيران" in md.stdout
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "alerts for IS per admin1, 2018-06" in table.output
    assert first["text_en"] in table.output.replace("\n", " ") or first["unit_en"] in table.output
    bad = runner.invoke(app, [*args, "--format", "pdf"])
    assert bad.exit_code == 2 and "expected one of table, json, md" in bad.output


def test_every_parses():
    assert parse_every("1d") == 86400 and parse_every("6h") == 21600 and parse_every("30m") == 1800
    with pytest.raises(QueryError):
        parse_every("daily")


def _watch_env(tmp_path: Path, api: Replay) -> dict:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'countries = ["IQ", "SY"]\nactors = ["IS"]\nunit = "admin1"\nsince = "2005-01-01"\n'
                   f'cache_dir = "{tmp_path / "c"}"\n[ucdp]\nversion = "23.1"\napi_url = "{api.url}/api"\n',
                   encoding="utf-8")
    return {**os.environ, "RASID_CONFIG": str(cfg), "RASID_DB": str(tmp_path / "w.duckdb"), "UCDP_TOKEN": "good-token"}


def test_watch_once_writes_a_digest(tmp_path, api, monkeypatch):
    env = _watch_env(tmp_path, api)
    for k in ("RASID_CONFIG", "RASID_DB", "UCDP_TOKEN"):
        monkeypatch.setenv(k, env[k])
    out = tmp_path / "digests"
    res = runner.invoke(app, ["watch", "--once", "--out", str(out), "--samples", "100"])
    assert res.exit_code == 0, res.output
    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert latest["update"]["error"] is None and "23.1" in latest["update"]["summaries"][0]
    # the sample's last event is 2018-12-14: December is not covered to its last week, November is the last month
    assert latest["alerts"][0]["actor"] == "IS" and latest["alerts"][0]["as_of"] == "2018-11"
    md = (out / "latest.md").read_text(encoding="utf-8")
    assert "# rasid digest" in md and "# موجز راصد" in md


def test_watch_killed_mid_fetch_leaves_nothing_half_done(tmp_path, api, monkeypatch):
    env = _watch_env(tmp_path, api)
    api.fault(("ucdp", "23.1", 0), ("sleep", 60))  # the first page hangs: the process is inside the fetch
    out = tmp_path / "digests"
    cmd = [sys.executable, "-m", "rasid.cli", "watch", "--every", "1h", "--out", str(out), "--samples", "100"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240  # a busy machine imports slowly
        while not api.requests("ucdp") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert api.requests("ucdp"), proc.stderr.read().decode() if proc.poll() is not None else "no request"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
    db = Path(env["RASID_DB"])
    if db.exists():
        assert _rows(db) == 0
    for k in ("RASID_CONFIG", "RASID_DB", "UCDP_TOKEN"):  # the next run (in this process) resumes
        monkeypatch.setenv(k, env[k])
    n = len(api.requests("ucdp"))
    done = runner.invoke(app, ["watch", "--once", "--out", str(out), "--samples", "100"])
    assert done.exit_code == 0, done.output
    assert _rows(db) == len(ROWS) and (out / "latest.json").exists()
    assert len(api.requests("ucdp")) - n == 1  # the one page (262 rows) never arrived before the kill: asked again
