"""What every fetcher shares: page loop over the on-disk cache, the staging file, and the one atomic ingest.

A fetch downloads every page first (each page validated, retried and cached), checks the whole
(counts, unique ids), writes the rows in the source's documented CSV layout and ingests that one file
through :meth:`Store.ingest_file` — one transaction. Until that commit the store is untouched; when a
page cannot be had, the error says how many pages are saved and that running the same command again
resumes. After the commit the cached pages are removed.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rasid.errors import AuthError, FetchError, InputError
from rasid.events.fetch._cache import PageCache, atomic_write, request_key
from rasid.events.fetch._http import Malformed
from rasid.events.store import IngestReport, Store

__all__ = ["Page", "FetchResult", "ProgressFn", "run_fetch", "write_csv", "MAX_PAGES"]

ProgressFn = Callable[[str, int, "int | None", int], None]  # (label, pages done, pages in all or None, rows)
MAX_PAGES = 100_000  # a server that never says "last page" stops here


@dataclass
class Page:
    """One parsed page: its rows and what the server said about the whole."""

    rows: list[dict]
    total_pages: int | None = None
    total_count: int | None = None
    info: dict = field(default_factory=dict)


@dataclass
class FetchResult:
    """What one fetch did (counts are rows of the fetched data)."""

    source: str
    version: str | None
    request: dict
    # ok | empty | already (fetched into this store before) | unchanged (same bytes) | downloaded (not ingested)
    status: str = "ok"
    pages: int = 0
    pages_reused: int = 0
    rows: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    rejected: int = 0
    batch_id: str | None = None
    file: str | None = None
    rejects_file: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain dict (JSON digests)."""
        return asdict(self)

    def summary(self) -> str:
        """One line for the terminal and the digest."""
        what = f"{self.source} {self.version or ''}".strip()
        if self.status == "already":
            return f"{what}: already fetched into this store (batch {self.batch_id}); nothing to do"
        if self.status == "empty":
            return f"{what}: no events match the request ({self.pages} page(s))"
        if self.status == "unchanged":
            return f"{what}: {self.rows:,} rows, identical to an earlier fetch; nothing added"
        reused = f", {self.pages_reused} from the cache" if self.pages_reused else ""
        rej = f", {self.rejected:,} rejected" if self.rejected else ""
        return (f"{what}: {self.pages} page(s){reused}, {self.rows:,} rows: {self.added:,} added, "
                f"{self.replaced:,} replaced (same or newer release), {self.unchanged:,} kept (older){rej}")


def _ordered_columns(rows: list[dict], leading: list[str]) -> list[str]:
    cols: dict[str, None] = dict.fromkeys(leading)
    for r in rows:
        for k in r:
            cols.setdefault(str(k), None)
    present = {str(k) for r in rows for k in r}
    return [c for c in cols if c in present]


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _sort_key(v: object) -> tuple[int, float, str]:
    s = str(v)
    try:
        return (0, float(s), s)
    except ValueError:
        return (1, 0.0, s)


def write_csv(rows: list[dict], path: Path, *, id_key: str, leading: list[str]) -> None:
    """Rows as a UTF-8 CSV (columns in ``leading`` order first), sorted by id so equal data gives equal bytes."""
    cols = _ordered_columns(rows, leading)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in sorted(rows, key=lambda r: _sort_key(r.get(id_key))):
        w.writerow([_cell(r.get(c)) for c in cols])
    atomic_write(path, buf.getvalue().encode("utf-8"))


def _collect(cache: PageCache, *, first: int, fetch: Callable[[int], tuple[bytes, Page]],
             parse: Callable[[bytes], Page], is_last: Callable[[int, Page, Page], bool],
             progress: ProgressFn | None, label: str) -> list[Page]:
    """Pages ``first``, ``first+1``, ... from the cache or the server until ``is_last``."""
    pages: list[Page] = []
    rows = 0
    n = first
    while True:
        page = None
        body = cache.get(n)
        if body is not None:
            try:
                page = parse(body)
            except Malformed:  # unreadable on disk: download it again
                cache.drop(n)
                cache.reused -= 1
        if page is None:
            body, page = fetch(n)
            cache.put(n, body)
        pages.append(page)
        rows += len(page.rows)
        if progress:
            progress(label, len(pages), pages[0].total_pages, rows)
        if is_last(n, page, pages[0]):
            return pages
        n += 1
        if len(pages) >= MAX_PAGES:
            raise FetchError(f"{label}: more than {MAX_PAGES} pages; narrow the request (--since/--until)")


def _already(store: Store, name: str) -> str | None:
    """Batch id of an earlier successful ingest of a staging file with this name, if any."""
    log = store.ingests()
    if not len(log):
        return None
    hit = log[(log["status"] == "ok") & log["file"].map(lambda f: Path(str(f)).name == name)]
    return str(hit["batch_id"].iloc[0]) if len(hit) else None


def run_fetch(store: Store, *, source: str, version: str | None, description: dict, cache_root: Path,
              first: int, fetch: Callable[[int], tuple[bytes, Page]], parse: Callable[[bytes], Page],
              is_last: Callable[[int, Page, Page], bool], check: Callable[[list[Page], list[dict]], None],
              id_key: str, leading: list[str], label: str, max_age: float | None = None,
              immutable: bool = False, refresh: bool = False, skip_bad_rows: bool = False,
              progress: ProgressFn | None = None, ingest: bool = True) -> FetchResult:
    """Download (or resume) every page, check the whole, write the staging CSV and ingest it in one transaction.

    ``immutable``: the request always returns the same data (a UCDP release), so a request already
    ingested into this store is not downloaded again unless ``refresh``. ``ingest=False`` stops once
    every page is on disk (status ``downloaded``; the next call with ``ingest=True`` reads the cache).
    """
    key = request_key(description)
    staging = f"{source}-{(version or 'latest').replace('/', '_')}-{key}.csv"
    result = FetchResult(source=source, version=version, request=description)
    if immutable and not refresh:
        batch = _already(store, staging)
        if batch:
            result.status, result.batch_id = "already", batch
            return result
    cache = PageCache(cache_root, f"{source}-{key}", description, max_age=max_age)
    if refresh:
        cache.clear()
        cache = PageCache(cache_root, f"{source}-{key}", description, max_age=max_age)
    try:
        pages = _collect(cache, first=first, fetch=fetch, parse=parse, is_last=is_last, progress=progress,
                         label=label)
        rows = [r for p in pages for r in p.rows]
        check(pages, rows)
    except AuthError:
        raise
    except FetchError as exc:
        if exc.status is not None and 400 <= exc.status < 500 and exc.status not in (408, 425, 429):
            raise  # the request itself is wrong: running it again will not help
        saved = cache.count()
        raise type(exc)(f"{exc}. The store is unchanged; {saved} page(s) are saved in {cache.dir}: run the same "
                        "command again to resume", status=exc.status) from exc
    result.pages, result.pages_reused, result.rows = len(pages), cache.reused, len(rows)
    if not ingest:
        result.status = "downloaded"
        return result
    if not rows:
        cache.clear()
        result.status = "empty"
        return result
    path = cache.path(staging)
    write_csv(rows, path, id_key=id_key, leading=leading)
    try:
        rep: IngestReport = store.ingest_file(path, source_version=version, skip_bad_rows=skip_bad_rows)
    except InputError as exc:
        raise InputError(f"{exc}. The store is unchanged; the pages stay in {cache.dir} (nothing is downloaded "
                         "again); --skip-bad-rows loads the good rows") from exc
    if rep.rejects_file:
        keep = cache_root / "rejects" / Path(rep.rejects_file).name
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(rep.rejects_file, keep)
        result.rejects_file = str(keep)
    result.batch_id, result.file = rep.batch_id, str(path)
    if rep.status == "skipped":
        result.status = "unchanged"
    else:
        # rows_out counts every row the batch wrote, the replacements of stored rows included
        result.added = rep.rows_out - rep.rows_replaced
        result.replaced, result.unchanged = rep.rows_replaced, rep.rows_unchanged
        result.rejected = rep.rows_rejected
    cache.clear()
    return result
