"""The config file and `update`: what is planned from the store's contents, and resuming after a failure."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from rasid.errors import InputError
from rasid.events import Store
from rasid.events.fetch import Http, RetryPolicy
from rasid.events.fetch.config import load_config, write_template
from rasid.events.fetch.update import plan_update, run_update
from tests.events._replay import Replay, acled_rows, ged_rows

ROWS = ged_rows()
TODAY = dt.date(2019, 3, 20)


def _month_copy(month: int, n: int = 5) -> list[dict]:
    """Candidate rows for a month of 2019: real rows moved in time, new ids (as UCDP gives Candidate events)."""
    out = []
    for i, r in enumerate(ROWS[:n]):
        day = f"2019-{month:02d}-{i + 1:02d}T00:00:00"
        out.append(dict(r, id=90_000_000 + month * 100 + i, date_start=day, date_end=day, year=2019))
    return out


@pytest.fixture
def api():
    with Replay() as r:
        r.ucdp_releases["19.1"] = ROWS
        r.ucdp_releases["19.0.1"] = _month_copy(1)
        r.ucdp_releases["19.0.2"] = _month_copy(2)
        r.acled = acled_rows()
        yield r


def _config(tmp_path, api, text: str = "") -> object:
    p = tmp_path / "config.toml"
    p.write_text(f"""countries = ["IQ", "SY"]
actors = ["IS"]
since = "2010-01-01"
cache_dir = "{tmp_path / 'cache'}"

[ucdp]
version = "19.1"
candidate = true
api_url = "{api.url}/api"
{text}""", encoding="utf-8")
    os.chmod(p, 0o600)
    return load_config(p)


def _http() -> Http:
    return Http(policy=RetryPolicy(tries=3, backoff=0.001, backoff_cap=0.001), sleep=lambda s: None, timeout=60)


def test_update_fetches_the_release_then_candidate_months_then_only_what_is_new(tmp_path, api, monkeypatch):
    monkeypatch.setenv("UCDP_TOKEN", "good-token")
    cfg = _config(tmp_path, api)
    store = Store(tmp_path / "s.duckdb")
    plan = plan_update(store, cfg, today=TODAY)
    assert [(p.source, p.version, p.since) for p in plan] == [
        ("ucdp", "19.1", dt.date(2010, 1, 1)), ("ucdp-candidate", "19", dt.date(2019, 1, 1))]
    res = run_update(store, cfg, http=_http(), today=TODAY)
    assert res.error is None
    assert [r.version for r in res.results] == ["19.1", "19.0.1", "19.0.2"]
    assert any("19.0.3" in n for n in res.notes + [n for r in res.results for n in r.notes])
    versions = store.events(columns=["source_version"]).source_version.value_counts().to_dict()
    assert versions["19.0.1"] == 5 and versions["19.0.2"] == 5
    assert sum(versions.values()) == len([r for r in ROWS if r["date_start"] >= "2010"]) + 10
    # the next update asks only for the month after the last stored one, and adds nothing
    n_rows, n_req = len(store.events(columns=["event_id"])), len(api.log)
    plan2 = plan_update(store, cfg, today=TODAY)
    assert [(p.source, p.since) for p in plan2] == [("ucdp-candidate", dt.date(2019, 3, 1))]
    res2 = run_update(store, cfg, http=_http(), today=TODAY)
    assert res2.error is None and res2.results == [] and "19.0.3" in res2.notes[-1]
    assert [r["version"] for r in api.log[n_req:]] == ["19.0.3"]
    assert len(store.events(columns=["event_id"])) == n_rows
    store.close()


def test_a_failed_update_keeps_finished_fetches_and_resumes(tmp_path, api, monkeypatch):
    monkeypatch.setenv("UCDP_TOKEN", "good-token")
    cfg = _config(tmp_path, api)
    store = Store(tmp_path / "s.duckdb")
    api.fault(("ucdp", "19.0.2", 0), *[("status", 503)] * 3)
    res = run_update(store, cfg, http=_http(), today=TODAY)
    assert "update stopped at ucdp-candidate" in res.error and "run `rasid update` again" in res.error
    assert [r.version for r in res.results] == ["19.1"]
    # the Candidate year is all-or-nothing: 19.0.1 was downloaded but not ingested
    assert set(store.events(columns=["source_version"]).source_version) == {"19.1"}
    n = len(api.requests("ucdp"))
    res = run_update(store, cfg, http=_http(), today=TODAY)
    assert res.error is None and [r.version for r in res.results] == ["19.0.1", "19.0.2"]
    again = [(r["version"], r["page"]) for r in api.requests("ucdp")[n:]]
    assert ("19.0.1", 0) not in again  # came from the cache
    store.close()


def test_acled_update_rereads_the_overlap(tmp_path, api, monkeypatch):
    monkeypatch.setenv("ACLED_EMAIL", api.acled_email)
    monkeypatch.setenv("ACLED_PASSWORD", api.acled_password)
    p = tmp_path / "config.toml"
    p.write_text(f'countries = ["IQ", "SY"]\nsince = "2021-01-01"\ncache_dir = "{tmp_path / "c"}"\n'
                 f'[acled]\napi_url = "{api.url}"\noverlap_days = 10\n', encoding="utf-8")
    cfg = load_config(p)
    store = Store(tmp_path / "s.duckdb")
    today = dt.date(2021, 12, 31)
    res = run_update(store, cfg, http=_http(), today=today)
    assert res.error is None and res.results[0].added == len(api.acled)
    plan = plan_update(store, cfg, today=today)
    last = store.events(columns=["date_start"]).date_start.max().date()
    assert plan[0].since == last - dt.timedelta(days=10)
    res = run_update(store, cfg, http=_http(), today=today)
    assert res.results[0].added == 0
    store.close()


def test_config_checks_name_the_file_and_the_problem(tmp_path, monkeypatch):
    p = tmp_path / "c.toml"
    monkeypatch.setenv("RASID_CONFIG", str(p))
    with pytest.raises(InputError, match="rasid update --init"):
        load_config()
    written = write_template()
    assert written == p and (p.stat().st_mode & 0o777) == 0o600
    cfg = load_config()
    assert cfg.countries == ("IQ", "SY") and cfg.ucdp.version == "25.1" and cfg.ucdp.candidate and cfg.acled is None
    with pytest.raises(InputError, match="already exists"):
        write_template()
    p.write_text('countries = ["IQ"]\nsinse = "2020-01-01"\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'sinse'"):
        load_config()
    p.write_text('countries = ["IQ"]\nunit = admin2\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_config()
    assert str(p) in str(err.value) and "line 2" in str(err.value)
    p.write_text('countries = ["Atlantis"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="Atlantis"):
        load_config()
    p.write_text('[acled]\npassword = "pw"\nemail = "a@b.org"\n', encoding="utf-8")
    os.chmod(p, 0o644)
    assert any("chmod 600" in w for w in load_config().warnings)
    assert "pw" not in repr(load_config())
