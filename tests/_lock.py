"""A second process holding a store's DuckDB lock, for the tests of the "store is locked" error path."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def lock_held(db: Path, tmp: Path, *, wait: float = 120.0) -> Iterator[None]:
    """Open ``db`` read-write in another process and keep it open while the block runs.

    The helper waits (at most ``wait`` seconds: a loaded machine starts Python slowly) until the other
    process has the lock, so the block always meets a held lock.
    """
    mark = tmp / "holding"
    code = (f"import duckdb,time,pathlib; c=duckdb.connect({str(db)!r}); pathlib.Path({str(mark)!r}).touch(); "
            f"time.sleep({wait + 60})")
    holder = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + wait
        while not mark.exists() and time.monotonic() < deadline and holder.poll() is None:
            time.sleep(0.05)
        assert mark.exists(), f"the lock holder did not start (exit code {holder.poll()})"
        yield
    finally:
        holder.kill()
        holder.wait()
