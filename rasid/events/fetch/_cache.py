"""Raw API pages on disk, one folder per request, so an interrupted fetch resumes without downloading again.

A request's folder is named by a hash of what was asked (source, URL, filters; never a token), and
holds ``request.json`` (that description and when it started) and ``page-00001.json`` ... as the
server sent them. Every file is written to a temporary name and renamed, so a killed process leaves
whole pages or none. Pages of data that changes (ACLED) expire after ``max_age`` seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import platformdirs

__all__ = ["PageCache", "request_key", "default_cache_dir", "atomic_write"]


def default_cache_dir() -> Path:
    """``$RASID_CACHE/fetch`` or ``<user cache dir>/rasid/fetch``."""
    env = os.environ.get("RASID_CACHE")
    root = Path(env).expanduser() if env else Path(platformdirs.user_cache_dir("rasid"))
    return root / "fetch"


def request_key(description: dict) -> str:
    """Stable 20-hex-digit hash of a request description (sorted JSON)."""
    blob = json.dumps(description, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename (all or nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class PageCache:
    """The pages of one request under ``root/<name>``; ``max_age`` (seconds) discards stale pages on open."""

    def __init__(self, root: str | Path, name: str, description: dict, *, max_age: float | None = None,
                 now: Callable[[], float] = time.time) -> None:
        self.dir = Path(root).expanduser() / name
        self.description = description
        self._now = now
        self.reused = 0
        meta = self.dir / "request.json"
        if self.dir.exists():
            started = None
            try:
                started = float(json.loads(meta.read_text(encoding="utf-8"))["started"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
            if started is None or (max_age is not None and now() - started > max_age):
                self.clear()
        if not meta.exists():
            atomic_write(meta, json.dumps({"request": description, "started": now()}, indent=1,
                                          ensure_ascii=False, default=str).encode("utf-8"))

    def _page(self, n: int) -> Path:
        return self.dir / f"page-{n:05d}.json"

    def get(self, n: int) -> bytes | None:
        """Cached bytes of page ``n`` or None."""
        try:
            data = self._page(n).read_bytes()
        except FileNotFoundError:
            return None
        self.reused += 1
        return data

    def drop(self, n: int) -> None:
        """Forget page ``n`` (it turned out unreadable)."""
        self._page(n).unlink(missing_ok=True)

    def put(self, n: int, body: bytes) -> None:
        """Store page ``n`` atomically."""
        atomic_write(self._page(n), body)

    def count(self) -> int:
        """Pages on disk."""
        return len(list(self.dir.glob("page-*.json"))) if self.dir.exists() else 0

    def path(self, name: str) -> Path:
        """A file inside the request folder (the staging file)."""
        return self.dir / name

    def clear(self) -> None:
        """Remove the folder and everything in it."""
        shutil.rmtree(self.dir, ignore_errors=True)
