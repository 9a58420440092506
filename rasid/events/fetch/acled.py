"""ACLED events from ACLED's API (``{api}/api/acled/read``) with its OAuth token flow.

Documented at https://acleddata.com/api-documentation/: a bearer token comes from ``POST {api}/oauth/token``
(form fields ``username``, ``password``, ``grant_type=password``, ``client_id=acled``; the reply has
``access_token``, ``refresh_token``, ``expires_in``); data from ``GET {api}/api/acled/read?_format=json``
with filters (``iso`` numeric codes joined by ``|``, ``event_date=FROM|TO`` with
``event_date_where=BETWEEN``), ``limit`` rows per page and ``page`` from 1. A reply is JSON
``{status, success, count, data: [...]}`` whose rows carry the export columns; the last page is the
first with fewer than ``limit`` rows.

Credentials come from ``ACLED_EMAIL`` / ``ACLED_PASSWORD`` or the ``[acled]`` table of the config
file, never from the command line. ACLED revises its data continuously, so cached pages expire
after a few hours and every fetch asks the server again (an unchanged answer adds nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import httpx
import pycountry

from rasid.errors import AuthError, FetchError, QueryError
from rasid.events._countries import numeric_codes
from rasid.events.fetch._cache import default_cache_dir
from rasid.events.fetch._http import Http, Malformed, check_url, safe_excerpt
from rasid.events.fetch._run import FetchResult, Page, ProgressFn, run_fetch
from rasid.events.store import Store

__all__ = ["fetch_acled", "acled_credentials", "Credentials", "DEFAULT_API", "EMAIL_ENV", "PASSWORD_ENV",
           "iso_numbers"]

DEFAULT_API = "https://acleddata.com"
EMAIL_ENV, PASSWORD_ENV = "ACLED_EMAIL", "ACLED_PASSWORD"
PAGE_SIZE = 5000
CACHE_MAX_AGE = 6 * 3600.0  # seconds a half-finished ACLED download stays resumable
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
_HINT = f"check {EMAIL_ENV} and {PASSWORD_ENV}"


@dataclass(frozen=True)
class Credentials:
    """A myACLED login and where it came from (for messages; the password is never shown)."""

    email: str
    password: str
    origin: str

    def __repr__(self) -> str:
        return f"Credentials(email={self.email!r}, origin={self.origin!r})"


def acled_credentials(section: dict | None = None, config_path: str | Path | None = None) -> Credentials:
    """``$ACLED_EMAIL``/``$ACLED_PASSWORD``, else ``email``/``password`` of the config's ``[acled]`` table."""
    email, password = os.environ.get(EMAIL_ENV, "").strip(), os.environ.get(PASSWORD_ENV, "")
    if email and password:
        return Credentials(email, password, "environment")
    section = section or {}
    email = email or str(section.get("email") or "").strip()
    password = password or str(section.get("password") or "")
    if email and password:
        return Credentials(email, password, str(config_path or "config"))
    where = f" (or email and password under [acled] in {config_path})" if config_path else ""
    raise AuthError(f"no ACLED credentials: set {EMAIL_ENV} and {PASSWORD_ENV}{where}")


def iso_numbers(countries: list[str] | None) -> list[int]:
    """ISO 3166 numeric codes (ACLED's ``iso`` filter) for ISO2 codes or names."""
    def numeric(iso2: str) -> int | None:
        rec = pycountry.countries.get(alpha_2=iso2)
        return int(rec.numeric) if rec else None
    return numeric_codes(countries, numeric, "unknown country {text!r}; give an ISO2 code (IQ) or a name (Iraq)")


class _OAuth:
    """Bearer tokens for one fetch: password grant first, refresh grant when a token expires mid-fetch."""

    def __init__(self, http: Http, base: str, creds: Credentials) -> None:
        self.http, self.url, self.creds = http, f"{base}/oauth/token", creds
        self.access: str | None = None
        self.refresh_token: str | None = None

    @staticmethod
    def _parse(resp: httpx.Response) -> dict:
        try:
            obj = resp.json()
        except ValueError as exc:
            raise Malformed("token reply is not JSON") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("access_token"), str) or not obj["access_token"]:
            raise Malformed("token reply has no access_token")
        return obj

    def _grant(self, form: dict) -> None:
        try:
            _, obj = self.http.request("POST", self.url, what="ACLED token", data={**form, "client_id": "acled"},
                                       parse=self._parse)
        except FetchError as exc:
            if exc.status in (400, 401, 403):
                raise AuthError(f"ACLED rejected the credentials from {self.creds.origin} (HTTP {exc.status}); "
                                f"{_HINT}", status=exc.status) from exc
            raise
        self.access, self.refresh_token = obj["access_token"], obj.get("refresh_token") or self.refresh_token

    def token(self) -> str:
        """A bearer token (logging in on first use)."""
        if self.access is None:
            self._grant({"username": self.creds.email, "password": self.creds.password, "grant_type": "password"})
        return str(self.access)

    def renew(self) -> None:
        """After a 401: the refresh grant, or a fresh login when that fails."""
        if self.refresh_token:
            try:
                self._grant({"grant_type": "refresh_token", "refresh_token": self.refresh_token})
                return
            except AuthError:
                self.refresh_token = None
        self.access = None
        self.token()


def _parse(body: bytes) -> Page:
    """An ACLED page, Malformed, or FetchError when ACLED answers with an error inside a 200 reply."""
    try:
        obj = json.loads(body)
    except ValueError as exc:
        raise Malformed(f"not JSON ({safe_excerpt(body[:200].decode('utf-8', 'replace'), 80)})") from exc
    if not isinstance(obj, dict):
        raise Malformed("the reply is not a JSON object")
    status = obj.get("status")
    if obj.get("success") is False or (isinstance(status, int) and status >= 400):
        msg = obj.get("error") or obj.get("message") or obj.get("messages") or ""
        code = status if isinstance(status, int) and status >= 400 else 400
        raise FetchError(f"ACLED refused the request ({safe_excerpt(json.dumps(msg, ensure_ascii=False))})",
                         status=code)
    data = obj.get("data")
    if not isinstance(data, list):
        raise Malformed("no data list in the reply")
    if any(not isinstance(r, dict) or not r.get("event_id_cnty") for r in data):
        raise Malformed("a data row without event_id_cnty")
    count = obj.get("count")
    if isinstance(count, int) and count != len(data):
        raise Malformed(f"count says {count} rows but data holds {len(data)}")
    return Page(rows=data, info={"last_update": obj.get("last_update")})


def _dedupe(pages: list[Page], rows: list[dict]) -> None:
    """Rows moved between pages while ACLED's data changed: keep each event once (its newest timestamp)."""
    best: dict[str, dict] = {}
    for r in rows:
        k = str(r["event_id_cnty"])
        if k not in best or str(r.get("timestamp") or "") > str(best[k].get("timestamp") or ""):
            best[k] = r
    rows[:] = list(best.values())


def fetch_acled(store: Store, *, since: dt.date, until: dt.date | None = None, countries: list[str] | None = None,
                api_url: str = DEFAULT_API, credentials: Credentials | None = None,
                cache_dir: str | Path | None = None, http: Http | None = None, page_size: int = PAGE_SIZE,
                refresh: bool = False, skip_bad_rows: bool = False, progress: ProgressFn | None = None,
                transport: httpx.BaseTransport | None = None, today: dt.date | None = None) -> FetchResult:
    """Fetch ACLED events dated ``since``..``until`` (default today) in ``countries`` and ingest them atomically."""
    if since is None:
        raise QueryError("give --since YYYY-MM-DD (the first event date to fetch)")
    until = until or today or dt.date.today()
    if until < since:
        raise QueryError(f"--until {until} is before --since {since}")
    if not 1 <= page_size <= 5000:
        raise QueryError(f"page size must be 1..5000, got {page_size}")
    base = str(check_url(api_url, credentials=True, what="--api-url")).rstrip("/")
    creds = credentials or acled_credentials()
    iso = iso_numbers(countries)
    params: dict[str, str | int] = {"_format": "json", "event_date": f"{since.isoformat()}|{until.isoformat()}",
                                    "event_date_where": "BETWEEN", "limit": page_size}
    if iso:
        params["iso"] = "|".join(str(i) for i in iso)
    url = f"{base}/api/acled/read"
    own = http is None
    client = http or Http(transport=transport)
    oauth = _OAuth(client, base, creds)

    def fetch(n: int) -> tuple[bytes, Page]:
        for attempt in range(2):
            try:
                resp, page = client.request("GET", url, what=f"ACLED read page {n}", params={**params, "page": n},
                                            headers={"Authorization": f"Bearer {oauth.token()}"},
                                            parse=lambda r: _parse(r.content))
                return resp.content, page
            except AuthError:
                raise
            except FetchError as exc:
                if exc.status == 401 and attempt == 0:
                    oauth.renew()  # the token expired during a long fetch
                    continue
                if exc.status in (401, 403):
                    raise AuthError(f"ACLED refused access (HTTP {exc.status}); {_HINT}, and that the account has "
                                    "API access and has accepted ACLED's terms of use", status=exc.status) from exc
                raise
        raise AuthError(f"ACLED keeps rejecting fresh tokens; {_HINT}")

    def is_last(n: int, page: Page, first: Page) -> bool:
        return len(page.rows) < page_size

    # the account matters (access levels differ) but its address is not written to the cache
    account = hashlib.sha256(creds.email.lower().encode("utf-8")).hexdigest()[:12]
    description = {"api": base, "resource": "acled/read", "filters": params, "account": account}
    root = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    try:
        result = run_fetch(store, source="acled", version=None, description=description, cache_root=root, first=1,
                           fetch=fetch, parse=_parse, is_last=is_last, check=_dedupe, id_key="event_id_cnty",
                           leading=ACLED_COLUMNS, label="ACLED", max_age=CACHE_MAX_AGE, refresh=refresh,
                           skip_bad_rows=skip_bad_rows, progress=progress)
    finally:
        if own:
            client.close()
    result.request = {k: v for k, v in description.items() if k != "account"}
    return result
