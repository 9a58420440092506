"""The retrying HTTP client: which failures are retried, how long it waits, where it refuses to go."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from rasid.errors import FetchError
from rasid.events.fetch._http import Http, Malformed, RetryPolicy, check_url, parse_retry_after, safe_excerpt


def _client(handler, waits, tries=4) -> Http:
    return Http(transport=httpx.MockTransport(handler), sleep=waits.append,
                policy=RetryPolicy(tries=tries, backoff=1.0, backoff_cap=4.0, max_wait=100), seed=1)


def test_retry_after_as_seconds_or_http_date():
    assert parse_retry_after("120") == 120.0
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(when, now=1_000_000) == pytest.approx(30.0)
    assert parse_retry_after(email.utils.formatdate(999_000, usegmt=True), now=1_000_000) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_backoff_grows_is_capped_and_uses_retry_after():
    calls = []

    def handler(req):
        calls.append(req)
        if len(calls) == 3:
            return httpx.Response(503, headers={"Retry-After": "9"})
        if len(calls) < 5:
            return httpx.Response(500)
        return httpx.Response(200, json={"ok": True})

    waits: list[float] = []
    resp, parsed = _client(handler, waits, tries=5).request("GET", "https://api.example/x", what="x",
                                                           parse=lambda r: r.json())
    assert parsed == {"ok": True} and len(calls) == 5
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0 and waits[2] == 9.0 and 2.0 <= waits[3] <= 4.0


def test_client_errors_are_not_retried_and_name_the_status():
    waits: list[float] = []
    http = _client(lambda req: httpx.Response(400, text="bad\x00 filter\nvalue"), waits)
    with pytest.raises(FetchError) as err:
        http.request("GET", "https://api.example/x", what="thing")
    assert err.value.status == 400 and waits == [] and "\n" not in str(err.value) and "\x00" not in str(err.value)


def test_malformed_replies_are_retried_then_given_up():
    waits: list[float] = []

    def parse(resp):
        raise Malformed("no Result list")

    http = _client(lambda req: httpx.Response(200, text="<html>"), waits, tries=3)
    with pytest.raises(FetchError, match=r"gave up after 3 tries \(malformed reply: no Result list\)"):
        http.request("GET", "https://api.example/x", what="page", parse=parse)
    assert len(waits) == 2


def test_redirects_stay_on_the_host():
    def handler(req):
        if req.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        if req.url.path == "/away":
            return httpx.Response(302, headers={"Location": "https://evil.example/steal"})
        return httpx.Response(200, json={"at": req.url.path, "token": req.headers.get("x-token")})

    http = _client(handler, [])
    _, got = http.request("GET", "https://api.example/old", what="x", headers={"x-token": "t"},
                          parse=lambda r: r.json())
    assert got == {"at": "/new", "token": "t"}
    with pytest.raises(FetchError, match="refusing to forward credentials"):
        http.request("GET", "https://api.example/away", what="x", headers={"x-token": "t"})


def test_urls_are_checked():
    assert check_url("https://ucdpapi.pcr.uu.se/api", credentials=True, what="u").host == "ucdpapi.pcr.uu.se"
    assert check_url("http://127.0.0.1:8080/api", credentials=True, what="u").port == 8080
    assert check_url("http://[::1]:8080/api", credentials=True, what="u").port == 8080
    for bad in ("ftp://x.org", "javascript:alert(1)", "no-scheme"):
        with pytest.raises(FetchError, match="only http and https"):
            check_url(bad, credentials=False, what="u")
    with pytest.raises(FetchError, match="plain http"):
        check_url("http://10.0.0.5/api", credentials=True, what="u")
    assert safe_excerpt("a\n\tb" + "x" * 300, 10) == "a bxxxxxxx…"
