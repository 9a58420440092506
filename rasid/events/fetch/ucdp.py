"""UCDP GED and Candidate events from the UCDP API (``GET {api}/gedevents/{version}``).

Documented at https://ucdp.uu.se/apidocs/: pages are zero-based (``page=0,1,...``, ``pagesize`` up to
1000); filters ``Country`` (Gleditsch–Ward codes, comma-separated), ``StartDate`` and ``EndDate``
(``YYYY-MM-DD``); since February 2026 every request carries an access token in the
``x-ucdp-access-token`` header. A reply is JSON ``{TotalCount, TotalPages, PreviousPageUrl,
NextPageUrl, Result}`` whose rows carry the GED columns (dates as ``YYYY-MM-DDTHH:MM:SS``). A release
never changes once published, so a release already fetched into the store is not downloaded again.

Candidate releases are monthly: ``25.0.8`` holds the events of August 2025. ``candidate=True`` with a
year (``--version 25``) fetches that year's monthly releases in turn until UCDP has no more.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import httpx

from rasid.errors import AuthError, FetchError, QueryError
from rasid.events._countries import numeric_codes
from rasid.events.fetch._cache import default_cache_dir
from rasid.events.fetch._http import Http, Malformed, check_url, safe_excerpt
from rasid.events.fetch._run import FetchResult, Page, ProgressFn, run_fetch
from rasid.events.store import Store

__all__ = ["fetch_ucdp", "DEFAULT_API", "TOKEN_ENV", "gw_codes", "candidate_series", "ucdp_token", "NotReleased"]

DEFAULT_API = "https://ucdpapi.pcr.uu.se/api"
TOKEN_ENV = "UCDP_TOKEN"
TOKEN_HEADER = "x-ucdp-access-token"
PAGE_SIZE = 1000
# Gleditsch–Ward codes (UCDP country_id) differ from ISO numbers; the region's countries and neighbours
_GW = {"IQ": 645, "SY": 652, "TR": 640, "IR": 630, "LB": 660, "JO": 663, "IL": 666, "SA": 670, "KW": 690,
       "EG": 651, "YE": 679, "LY": 620, "AF": 700, "PK": 770, "RU": 365, "US": 2, "GB": 200, "FR": 220,
       "PS": 666, "UA": 369, "SD": 625, "SS": 626, "SO": 520, "ET": 530, "ML": 432, "NG": 475, "NE": 436,
       "BF": 439, "CD": 490, "MZ": 541, "MM": 775, "IN": 750, "PH": 840, "CO": 100, "MX": 70}
_RELEASE = re.compile(r"^\d{2}\.\d+(\.\d+)?$")
_CANDIDATE = re.compile(r"^(\d{2})\.0\.(\d{1,2})$")
_CANDIDATE_YEAR = re.compile(r"^(\d{2})(?:\.0)?$")
GED_COLUMNS = ["id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
               "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
               "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
               "source_article", "source_office", "source_date", "source_headline", "source_original",
               "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
               "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
               "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
               "high", "low", "gwnoa", "gwnob"]


class NotReleased(FetchError):
    """UCDP has no such release (HTTP 404): the end of a Candidate series."""


def gw_codes(countries: list[str] | None) -> list[int]:
    """Gleditsch–Ward codes for ISO2 codes, country names or the codes themselves ('645')."""
    return numeric_codes(countries, _GW.get, "no Gleditsch–Ward code known for country {text!r}; give the number "
                         "UCDP uses (Iraq 645, Syria 652)")


def ucdp_token(token: str | None = None) -> str:
    """The access token: ``token`` or ``$UCDP_TOKEN``; AuthError naming the variable when there is none."""
    tok = (token or os.environ.get(TOKEN_ENV) or "").strip()
    if not tok:
        raise AuthError(f"no UCDP access token: set {TOKEN_ENV} (or pass --token); request one at "
                        "https://ucdp.uu.se/apidocs/")
    return tok


def candidate_series(version: str, since: dt.date | None, until: dt.date | None,
                     today: dt.date | None = None) -> list[str]:
    """Candidate releases to fetch: ``25.0.8`` itself, or for ``25`` / ``25.0`` every month of 2025 in range."""
    v = version.strip()
    m = _CANDIDATE.match(v)
    if m:
        return [v]
    m = _CANDIDATE_YEAR.match(v)
    if not m:
        raise QueryError(f"--candidate needs --version YY.0.M (one monthly release, e.g. 25.0.8 = August 2025) "
                         f"or YY (that year's monthly releases), got {version!r}")
    year = 2000 + int(m[1])
    today = today or dt.date.today()
    first = max(dt.date(year, 1, 1), since or dt.date(year, 1, 1))
    last = min(dt.date(year, 12, 31), until or dt.date(year, 12, 31), today)
    months = range(first.month, last.month + 1) if first.year == year and first <= last else range(0)
    return [f"{m[1]}.0.{mo}" for mo in months]


def _parse(body: bytes) -> Page:
    """A UCDP page, or Malformed."""
    try:
        obj = json.loads(body)
    except ValueError as exc:
        raise Malformed(f"not JSON ({safe_excerpt(body[:200].decode('utf-8', 'replace'), 80)})") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("Result"), list):
        raise Malformed("no Result list in the reply")
    total, pages = obj.get("TotalCount"), obj.get("TotalPages")
    if not isinstance(total, int) or not isinstance(pages, int) or total < 0 or pages < 0:
        raise Malformed("TotalCount/TotalPages missing or not integers")
    rows = obj["Result"]
    if any(not isinstance(r, dict) or r.get("id") in (None, "") for r in rows):
        raise Malformed("a Result row without an id")
    return Page(rows=rows, total_pages=pages, total_count=total, info={"next": obj.get("NextPageUrl")})


def _check(pages: list[Page], rows: list[dict]) -> None:
    """The pages add up to what UCDP announced, without repeats."""
    total = pages[0].total_count or 0
    if len(rows) != total:
        raise FetchError(f"UCDP announced {total:,} events but the pages hold {len(rows):,}; the pages may have been "
                         "cut short: run again with --refresh")
    ids = [str(r["id"]) for r in rows]
    if len(set(ids)) != len(ids):
        raise FetchError("UCDP pages repeat event ids; run again with --refresh")


def _one(store: Store, http: Http, *, base: str, version: str, token: str, countries: list[int],
         since: dt.date | None, until: dt.date | None, page_size: int, cache_root: Path, refresh: bool,
         skip_bad_rows: bool, progress: ProgressFn | None, ingest: bool = True) -> FetchResult:
    url = f"{base}/gedevents/{version}"
    params: dict[str, str | int] = {"pagesize": page_size}
    if countries:
        params["Country"] = ",".join(str(c) for c in countries)
    if since:
        params["StartDate"] = since.isoformat()
    if until:
        params["EndDate"] = until.isoformat()
    what = f"UCDP gedevents {version}"

    def fetch(n: int) -> tuple[bytes, Page]:
        try:
            resp, page = http.request("GET", url, what=f"{what} page {n}", params={**params, "page": n},
                                      headers={TOKEN_HEADER: token}, parse=lambda r: _parse(r.content))
        except FetchError as exc:
            if exc.status in (401, 403):
                raise AuthError(f"UCDP rejected the access token (HTTP {exc.status}); set {TOKEN_ENV} to a valid "
                                "token (request one at https://ucdp.uu.se/apidocs/)", status=exc.status) from exc
            if exc.status == 404:
                raise NotReleased(f"UCDP has no gedevents release {version} (HTTP 404)", status=404) from exc
            raise
        return resp.content, page

    def is_last(n: int, page: Page, first: Page) -> bool:
        return n + 1 >= (first.total_pages or 0) or not page.rows

    description = {"api": base, "resource": "gedevents", "version": version, "filters": params}
    return run_fetch(store, source="ucdp_ged", version=version, description=description, cache_root=cache_root,
                     first=0, fetch=fetch, parse=_parse, is_last=is_last, check=_check, id_key="id",
                     leading=GED_COLUMNS, label=what, immutable=True, refresh=refresh,
                     skip_bad_rows=skip_bad_rows, progress=progress, ingest=ingest)


def fetch_ucdp(store: Store, *, version: str, countries: list[str] | None = None, since: dt.date | None = None,
               until: dt.date | None = None, token: str | None = None, api_url: str = DEFAULT_API,
               candidate: bool = False, cache_dir: str | Path | None = None, http: Http | None = None,
               page_size: int = PAGE_SIZE, refresh: bool = False, skip_bad_rows: bool = False,
               progress: ProgressFn | None = None, transport: httpx.BaseTransport | None = None,
               today: dt.date | None = None) -> list[FetchResult]:
    """Fetch one GED release (or a Candidate release or year of releases) and ingest each release atomically.

    Every page of a release is downloaded (and cached) before that release is ingested in one
    transaction, so the store holds each release whole or not at all. In a Candidate year every
    release is downloaded before the first is ingested; the series ends quietly at the first month
    UCDP has not published yet.
    """
    if not str(version or "").strip():
        raise QueryError("give the UCDP release with --version (e.g. 25.1, or 25.0.8 with --candidate)")
    version = str(version).strip()
    if not candidate and not _RELEASE.match(version):
        raise QueryError(f"--version {version!r} is not a UCDP release such as 25.1 or 24.0.9")
    if since and until and until < since:
        raise QueryError(f"--until {until} is before --since {since}")
    if not 1 <= page_size <= 1000:
        raise QueryError(f"page size must be 1..1000, got {page_size}")
    base = str(check_url(api_url, credentials=True, what="--api-url")).rstrip("/")
    tok = ucdp_token(token)
    codes = gw_codes(countries)
    versions = candidate_series(version, since, until, today) if candidate else [version]
    if not versions:
        raise QueryError(f"no Candidate month of 20{version[:2]} lies between --since and --until")
    root = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    own = http is None
    client = http or Http(transport=transport)
    results: list[FetchResult] = []
    try:
        if len(versions) == 1:
            return [_one(store, client, base=base, version=versions[0], token=tok, countries=codes, since=since,
                         until=until, page_size=page_size, cache_root=root, refresh=refresh,
                         skip_bad_rows=skip_bad_rows, progress=progress)]
        # a series: download every release first (pages cached), then ingest them in order
        available = []
        for v in versions:
            try:
                _one(store, client, base=base, version=v, token=tok, countries=codes, since=since, until=until,
                     page_size=page_size, cache_root=root, refresh=refresh, skip_bad_rows=skip_bad_rows,
                     progress=progress, ingest=False)
            except NotReleased:
                if not available:
                    raise
                break
            available.append(v)
        for v in available:
            results.append(_one(store, client, base=base, version=v, token=tok, countries=codes, since=since,
                                until=until, page_size=page_size, cache_root=root, refresh=False,
                                skip_bad_rows=skip_bad_rows, progress=progress))
        if len(available) < len(versions):
            results[-1].notes.append(f"UCDP has not published Candidate release {versions[len(available)]} yet")
        return results
    finally:
        if own:
            client.close()

