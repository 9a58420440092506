"""UCDP API fetches against a local replay server: paging, retries, resume, atomic ingest, tokens."""

from __future__ import annotations

import datetime as dt

import pytest

from rasid.errors import AuthError, FetchError, QueryError
from rasid.events import EventFilter, Store
from rasid.events.fetch import Http, RetryPolicy, fetch_ucdp
from rasid.events.fetch.ucdp import candidate_series, gw_codes
from tests.events._replay import Replay, ged_rows

ROWS = ged_rows()


@pytest.fixture
def api():
    with Replay() as r:
        r.ucdp_releases["23.1"] = ROWS
        yield r


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "fetch.duckdb")
    yield s
    s.close()


def _http(waits: list[float], tries: int = 4) -> Http:
    return Http(policy=RetryPolicy(tries=tries, backoff=0.001, backoff_cap=0.002), sleep=waits.append, timeout=60)


def _state(store: Store) -> tuple[int, int]:
    """Rows and ingests in the store (what 'unchanged' compares)."""
    return len(store.events(columns=["event_id"])), len(store.ingests())


def _fetch(store, api, tmp_path, waits=None, **kw):
    waits = [] if waits is None else waits
    kw.setdefault("version", "23.1")
    return fetch_ucdp(store, token="good-token", api_url=f"{api.url}/api", cache_dir=tmp_path / "cache",
                      http=_http(waits), page_size=50, **kw)


def test_pages_are_fetched_and_ingested_once_with_the_release(store, api, tmp_path):
    res = _fetch(store, api, tmp_path, countries=["IQ", "SY"])
    assert len(res) == 1 and res[0].status == "ok"
    pages = (len(ROWS) + 49) // 50
    assert res[0].pages == pages and res[0].rows == len(ROWS) and res[0].added == len(ROWS)
    reqs = api.requests("ucdp")
    assert [r["page"] for r in reqs] == list(range(pages))  # zero-based, each page once
    assert all(r["token"] == "good-token" for r in reqs)
    assert reqs[0]["query"]["Country"] == ["645,652"] and reqs[0]["query"]["pagesize"] == ["50"]
    ev = store.events(EventFilter(sources=["ucdp_ged"]))
    assert len(ev) == len(ROWS)
    assert set(ev.source_version) == {"23.1"}
    log = store.ingests()
    assert len(log) == 1 and log.source_version.iloc[0] == "23.1"
    # the API's dates (2005-03-07T00:00:00) read as dates; coordinates placed in admin units
    first = ev[ev.source_id == str(ROWS[0]["id"])].iloc[0]
    assert first.date_start == dt.datetime(2005, 3, 7) and first.admin1_code is not None
    assert not any((tmp_path / "cache").glob("ucdp_ged-*/page-*.json"))  # pages removed after the commit


def test_a_second_identical_fetch_adds_nothing_and_downloads_nothing(store, api, tmp_path):
    _fetch(store, api, tmp_path)
    before, n_req = _state(store), len(api.log)
    again = _fetch(store, api, tmp_path)
    assert again[0].status == "already" and "nothing to do" in again[0].summary()
    assert _state(store) == before and len(api.log) == n_req
    # --refresh downloads again; the identical bytes are recognised and add nothing
    forced = _fetch(store, api, tmp_path, refresh=True)
    assert forced[0].status == "unchanged" and _state(store) == before


def test_500s_429_with_retry_after_and_a_dropped_connection_are_retried(store, api, tmp_path):
    api.fault(("ucdp", "23.1", 1), ("status", 500), ("status", 503))
    api.fault(("ucdp", "23.1", 2), ("status", 429, {"Retry-After": "7"}))
    api.fault(("ucdp", "23.1", 3), ("drop",))
    waits: list[float] = []
    res = _fetch(store, api, tmp_path, waits=waits)
    assert res[0].status == "ok" and _state(store)[0] == len(ROWS)
    assert len(waits) == 4 and 7.0 in waits  # Retry-After honoured; the other pauses are the tiny backoff
    assert sorted(w for w in waits if w != 7.0) == pytest.approx([0.001] * 3, abs=0.002)


def test_a_page_that_stays_malformed_leaves_the_store_unchanged_and_the_next_run_resumes(store, api, tmp_path):
    _fetch(store, api, tmp_path, version="23.1", until=dt.date(2005, 12, 31))  # something already stored
    before = _state(store)
    api.ucdp_releases["25.1"] = ROWS
    api.fault(("ucdp", "25.1", 3), *[("malformed",)] * 4)
    with pytest.raises(FetchError) as err:
        _fetch(store, api, tmp_path, version="25.1")
    msg = str(err.value)
    assert "page 3" in msg and "malformed" in msg and "store is unchanged" in msg and "run the same command" in msg
    assert "\n" not in msg
    assert _state(store) == before
    n = len(api.requests("ucdp"))
    res = _fetch(store, api, tmp_path, version="25.1")
    resumed = [r["page"] for r in api.requests("ucdp")[n:]]
    assert resumed[0] == 3 and 0 not in resumed  # pages 0-2 came from the cache
    assert res[0].pages_reused == 3 and res[0].status == "ok"
    ev = store.events(columns=["event_id", "source_version"])
    assert len(ev) == len(ROWS) and set(ev.source_version) == {"25.1"}  # the newer release replaced 23.1


def test_a_dropped_connection_on_every_try_fails_cleanly(store, api, tmp_path):
    api.fault(("ucdp", "23.1", 0), *[("drop",)] * 4)
    with pytest.raises(FetchError, match="gave up after 4 tries"):
        _fetch(store, api, tmp_path)
    assert _state(store) == (0, 0)


def test_rejected_and_missing_tokens_name_the_variable(store, api, tmp_path, monkeypatch):
    with pytest.raises(AuthError) as err:
        fetch_ucdp(store, version="23.1", token="stale", api_url=f"{api.url}/api", cache_dir=tmp_path,
                   http=_http([]))
    assert "UCDP_TOKEN" in str(err.value) and "401" in str(err.value)
    assert _state(store) == (0, 0)
    monkeypatch.delenv("UCDP_TOKEN", raising=False)
    n = len(api.log)
    with pytest.raises(AuthError, match="set UCDP_TOKEN"):
        fetch_ucdp(store, version="23.1", api_url=f"{api.url}/api", cache_dir=tmp_path, http=_http([]))
    assert len(api.log) == n  # nothing was sent without a token
    monkeypatch.setenv("UCDP_TOKEN", "good-token")
    res = fetch_ucdp(store, version="23.1", api_url=f"{api.url}/api", cache_dir=tmp_path, http=_http([]),
                     page_size=1000)
    assert res[0].added == len(ROWS)


def test_a_retry_after_beyond_the_limit_fails_at_once(store, api, tmp_path):
    api.fault(("ucdp", "23.1", 0), ("status", 429, {"Retry-After": "86400"}))
    waits: list[float] = []
    with pytest.raises(FetchError, match="Retry-After"):
        _fetch(store, api, tmp_path, waits=waits)
    assert waits == [] and _state(store) == (0, 0)


def test_unknown_release_and_bad_arguments(store, api, tmp_path):
    with pytest.raises(FetchError, match="no gedevents release 99.1"):
        _fetch(store, api, tmp_path, version="99.1")
    with pytest.raises(QueryError, match="not a UCDP release"):
        _fetch(store, api, tmp_path, version="latest")
    with pytest.raises(FetchError, match="only http and https"):
        fetch_ucdp(store, version="23.1", token="t", api_url="file:///etc/passwd", cache_dir=tmp_path)
    with pytest.raises(FetchError, match="plain http"):
        fetch_ucdp(store, version="23.1", token="t", api_url="http://ucdp.example.org/api", cache_dir=tmp_path)
    with pytest.raises(QueryError, match="Gleditsch"):
        gw_codes(["Atlantis"])
    assert gw_codes(["Iraq", "SY", "645"]) == [645, 652]


def test_date_filters_are_sent_and_respected(store, api, tmp_path):
    res = _fetch(store, api, tmp_path, since=dt.date(2014, 1, 1), until=dt.date(2016, 12, 31))
    q = api.requests("ucdp")[0]["query"]
    assert q["StartDate"] == ["2014-01-01"] and q["EndDate"] == ["2016-12-31"]
    want = [r for r in ROWS if "2014-01-01" <= r["date_start"][:10] <= "2016-12-31"]
    assert res[0].rows == len(want) == _state(store)[0]
    assert _fetch(store, api, tmp_path, since=dt.date(1950, 1, 1), until=dt.date(1950, 2, 1))[0].status == "empty"


def test_candidate_year_fetches_each_monthly_release_until_one_is_missing(store, api, tmp_path):
    by_month = {m: [r for r in ROWS if int(r["date_start"][5:7]) == m] for m in (1, 2)}
    api.ucdp_releases["24.0.1"] = [dict(r, id=r["id"] + 10_000_000) for r in by_month[1]]
    api.ucdp_releases["24.0.2"] = [dict(r, id=r["id"] + 10_000_000) for r in by_month[2]]
    res = _fetch(store, api, tmp_path, version="24", candidate=True, until=dt.date(2024, 6, 30))
    assert [r.version for r in res] == ["24.0.1", "24.0.2"]
    assert "24.0.3" in res[-1].notes[0]
    got = store.events(columns=["source_version"]).source_version.value_counts().to_dict()
    assert got == {"24.0.1": len(by_month[1]), "24.0.2": len(by_month[2])}


def test_candidate_series_names():
    assert candidate_series("25.0.8", None, None) == ["25.0.8"]
    assert candidate_series("25", dt.date(2025, 3, 1), dt.date(2025, 5, 20)) == ["25.0.3", "25.0.4", "25.0.5"]
    assert candidate_series("25.0", None, None, today=dt.date(2025, 2, 10)) == ["25.0.1", "25.0.2"]
    with pytest.raises(QueryError, match="YY.0.M"):
        candidate_series("25.1", None, None)
