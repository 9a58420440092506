"""HTTP for the API fetchers: one httpx client with timeouts and bounded retries.

Retried, with exponential backoff and jitter: connection errors, timeouts, a connection dropped
mid-reply, HTTP 408/425/429/5xx, and replies the caller's ``parse`` rejects as malformed (a
truncated page, an HTML error page from a proxy). ``Retry-After`` (seconds or an HTTP date) is
honoured up to ``RetryPolicy.max_wait``; a longer ask, any other 4xx and exhausted tries raise
:class:`~rasid.errors.FetchError`. The sleep function is injectable so tests run without real waits.
Redirects are followed only within the same host (credentials never leave the configured API).
"""

from __future__ import annotations

import email.utils
import ipaddress
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from rasid import __version__
from rasid.errors import FetchError

__all__ = ["Http", "RetryPolicy", "Malformed", "RETRY_STATUS", "check_url", "parse_retry_after", "safe_excerpt"]

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5


class Malformed(Exception):
    """Raised by a ``parse`` callback: the reply is not what the API documents (retried like a 5xx)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one request."""

    tries: int = 6  # attempts per request, the first included
    backoff: float = 1.0  # first pause (seconds); doubles each retry
    backoff_cap: float = 60.0  # longest pause between tries
    max_wait: float = 600.0  # longest Retry-After honoured; a longer ask fails at once

    def pause(self, attempt: int, rng: random.Random) -> float:
        """Pause before retry ``attempt`` (0-based): half the capped exponential step plus jitter."""
        step = min(self.backoff_cap, self.backoff * 2 ** attempt)
        return step / 2 + rng.uniform(0, step / 2)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, credentials: bool, what: str) -> httpx.URL:
    """The URL if it is http(s); credentials go over plain http only to this machine (loopback)."""
    try:
        u = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"{what}: not a valid URL: {url!r}") from exc
    if u.scheme not in ("http", "https") or not u.host:
        raise FetchError(f"{what}: only http and https URLs are allowed, got {url!r}")
    if credentials and u.scheme == "http" and not _is_loopback(u.host):
        raise FetchError(f"{what}: refusing to send credentials over plain http to {u.host}; use https")
    return u


def safe_excerpt(text: str, limit: int = 160) -> str:
    """One printable line of a server reply for an error message (control characters removed)."""
    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    flat = " ".join(flat.split())
    return flat[:limit] + ("…" if len(flat) > limit else "")


def _origin(u: httpx.URL) -> tuple[str, int | None]:
    return (u.host, u.port)


class Http:
    """An httpx client with the retry policy; ``request`` returns the response and the parsed body."""

    def __init__(self, *, timeout: float = 60.0, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None,
                 seed: int | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self._rng = random.Random(seed)
        self.client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
                                   transport=transport, follow_redirects=False,
                                   headers={"User-Agent": f"rasid/{__version__}",
                                            "Accept": "application/json"})
        self.requests = 0  # requests sent (tests and progress)

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, *, params: Any = None, headers: dict | None = None,
              data: dict | None = None) -> httpx.Response:
        """One request, following same-host redirects only."""
        start = httpx.URL(url)
        resp = self.client.request(method, url, params=params, headers=headers, data=data)
        self.requests += 1
        for _ in range(_MAX_REDIRECTS):
            if resp.status_code not in _REDIRECTS or "location" not in resp.headers:
                return resp
            nxt = resp.url.join(resp.headers["location"])
            if _origin(nxt) != _origin(start) and not (nxt.host == start.host and nxt.scheme == "https"):
                raise FetchError(f"{start.host} redirected to {nxt.host}; refusing to forward credentials "
                                 f"(give the API's own address with --api-url)", status=resp.status_code)
            resp.read()
            if resp.status_code in (301, 302, 303) and method == "POST":
                method, data = "GET", None
            resp = self.client.request(method, nxt, headers=headers, data=data)
            self.requests += 1
        raise FetchError(f"{start.host}: more than {_MAX_REDIRECTS} redirects", status=resp.status_code)

    def request(self, method: str, url: str, *, what: str, params: Any = None, headers: dict | None = None,
                data: dict | None = None, parse: Callable[[httpx.Response], Any] | None = None,
                retry_statuses: frozenset[int] = RETRY_STATUS) -> tuple[httpx.Response, Any]:
        """Send with retries; returns (response, parse(response)). Non-retryable 4xx raise FetchError(status=...)."""
        pol = self.policy
        reason = ""
        for attempt in range(pol.tries):
            wait: float | None = None
            try:
                resp = self._send(method, url, params=params, headers=headers, data=data)
            except httpx.TransportError as exc:  # connect/read errors, timeouts, a reply cut short
                reason = f"{type(exc).__name__}: {safe_excerpt(str(exc)) or 'connection failed'}"
            else:
                status = resp.status_code
                if status in retry_statuses:
                    reason = f"HTTP {status}"
                    wait = parse_retry_after(resp.headers.get("retry-after"))
                    if wait is not None and wait > pol.max_wait:
                        raise FetchError(f"{what}: the server asks to wait {wait:.0f}s before retrying "
                                         f"(HTTP {status}, Retry-After), longer than the {pol.max_wait:.0f}s "
                                         "limit; run again later", status=status)
                elif status >= 400:
                    raise FetchError(f"{what}: HTTP {status} {safe_excerpt(resp.text)}".rstrip(), status=status)
                elif status >= 300:
                    raise FetchError(f"{what}: unexpected HTTP {status}", status=status)
                else:
                    try:
                        return resp, (parse(resp) if parse else None)
                    except Malformed as exc:
                        reason = f"malformed reply: {exc}"
            if attempt == pol.tries - 1:
                break
            self.sleep(wait if wait is not None else pol.pause(attempt, self._rng))
        raise FetchError(f"{what}: gave up after {pol.tries} tries ({reason})")
