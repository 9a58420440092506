"""ACLED API fetches against a local replay server: OAuth, paging, token expiry, faults, atomic ingest."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rasid.errors import AuthError, FetchError
from rasid.events import EventFilter, Store
from rasid.events.fetch import Http, RetryPolicy, acled_credentials, fetch_acled
from rasid.events.fetch.acled import Credentials, iso_numbers
from tests.events._replay import Replay, acled_rows

ROWS = acled_rows()
SINCE, UNTIL = dt.date(2021, 1, 1), dt.date(2021, 12, 31)


@pytest.fixture
def api():
    with Replay() as r:
        r.acled = ROWS
        yield r


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "acled.duckdb")
    yield s
    s.close()


def _creds(api, password=None) -> Credentials:
    return Credentials(api.acled_email, password or api.acled_password, "test")


def _fetch(store, api, tmp_path, waits=None, **kw):
    waits = [] if waits is None else waits
    kw.setdefault("credentials", _creds(api))
    http = Http(policy=RetryPolicy(tries=4, backoff=0.001, backoff_cap=0.002), sleep=waits.append, timeout=60)
    return fetch_acled(store, since=SINCE, until=UNTIL, api_url=api.url, cache_dir=tmp_path / "cache", http=http,
                       page_size=3, **kw)


def _state(store: Store) -> tuple[int, int]:
    return len(store.events(columns=["event_id"])), len(store.ingests())


def test_oauth_then_every_page_then_one_ingest(store, api, tmp_path):
    res = _fetch(store, api, tmp_path, countries=["Iraq", "Syria"])
    assert res.status == "ok" and res.rows == len(ROWS) and res.added == len(ROWS)
    assert [r["page"] for r in api.requests("acled")] == [1, 2, 3]  # 3 + 3 + 1 rows: the short page is the last
    assert [t["grant"] for t in api.requests("token")] == ["password"]
    q = api.requests("acled")[0]["query"]
    assert q["iso"] == ["368|760"] and q["event_date"] == ["2021-01-01|2021-12-31"]
    assert q["event_date_where"] == ["BETWEEN"] and q["_format"] == ["json"]
    assert all(r["auth"].startswith("Bearer tok") for r in api.requests("acled"))
    ev = store.events(EventFilter(sources=["acled"]))
    assert sorted(ev.source_id) == sorted(r["event_id_cnty"] for r in ROWS)
    assert set(ev.country) == {"IQ", "SY"}
    # the release recorded is ACLED's per-row timestamp
    assert set(ev.source_version) == {r["timestamp"] for r in ROWS}


def test_identical_fetch_adds_nothing(store, api, tmp_path):
    _fetch(store, api, tmp_path)
    before = _state(store)
    again = _fetch(store, api, tmp_path)
    assert again.status == "unchanged" and _state(store) == before


def test_an_expired_token_is_renewed_mid_fetch(store, api, tmp_path):
    api.acled_token_reads = 1  # each token serves one page
    res = _fetch(store, api, tmp_path)
    assert res.status == "ok" and _state(store)[0] == len(ROWS)
    grants = [t["grant"] for t in api.requests("token")]
    assert grants[0] == "password" and grants.count("refresh_token") == 2


def test_rejected_credentials_name_the_variables_and_change_nothing(store, api, tmp_path):
    with pytest.raises(AuthError) as err:
        _fetch(store, api, tmp_path, credentials=_creds(api, password="wrong"))
    msg = str(err.value)
    assert "ACLED_EMAIL" in msg and "ACLED_PASSWORD" in msg and "wrong" not in msg
    assert api.requests("acled") == [] and _state(store) == (0, 0)


def test_read_401_after_login_is_an_auth_error(store, api, tmp_path):
    api.fault(("acled", 1), ("status", 401), ("status", 401))
    with pytest.raises(AuthError, match="ACLED_PASSWORD"):
        _fetch(store, api, tmp_path)
    assert _state(store) == (0, 0)


def test_faults_are_retried_and_an_unfinished_fetch_resumes(store, api, tmp_path):
    api.fault(("acled", 2), ("status", 502), ("drop",), ("status", 429, {"Retry-After": "3"}))
    waits: list[float] = []
    res = _fetch(store, api, tmp_path, waits=waits)
    assert res.status == "ok" and 3.0 in waits and len(waits) == 3
    # a page that stays broken: nothing stored, and the rerun reuses page 1
    other = Store(tmp_path / "other.duckdb")
    api.fault(("acled", 2), *[("malformed",)] * 4)
    with pytest.raises(FetchError, match="store is unchanged"):
        _fetch(other, api, tmp_path)
    assert _state(other) == (0, 0)
    n = len(api.requests("acled"))
    res = _fetch(other, api, tmp_path)
    assert [r["page"] for r in api.requests("acled")[n:]] == [2, 3] and res.pages_reused == 1
    assert _state(other)[0] == len(ROWS)
    other.close()


def test_an_error_inside_a_200_reply_is_not_retried(store, api, tmp_path):
    def refuse(h, q):
        api.log.append({"kind": "acled", "page": q.get("page")})
        h.reply(200, json.dumps({"status": 403, "success": False, "error": "Access denied"}).encode())

    api._acled = refuse
    with pytest.raises(AuthError, match="403"):
        _fetch(store, api, tmp_path)
    assert len(api.requests("acled")) == 1 and _state(store) == (0, 0)


def test_credentials_from_env_or_config(monkeypatch, tmp_path):
    monkeypatch.delenv("ACLED_EMAIL", raising=False)
    monkeypatch.delenv("ACLED_PASSWORD", raising=False)
    with pytest.raises(AuthError, match="set ACLED_EMAIL and ACLED_PASSWORD"):
        acled_credentials()
    c = acled_credentials({"email": "a@b.org", "password": "pw"}, tmp_path / "config.toml")
    assert c.email == "a@b.org" and c.origin.endswith("config.toml") and "pw" not in repr(c)
    monkeypatch.setenv("ACLED_EMAIL", "env@b.org")
    monkeypatch.setenv("ACLED_PASSWORD", "envpw")
    assert acled_credentials({"email": "a@b.org", "password": "pw"}).email == "env@b.org"
    assert iso_numbers(["IQ", "Syria", "368"]) == [368, 760]
