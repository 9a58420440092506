"""A bounded, thread-safe LRU cache whose misses are computed once ("single flight").

The web layer keys it on normalised specs, so a view that 32 browsers open at once runs its
analysis once and every later request is a dictionary lookup. Errors are not cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

__all__ = ["ResultCache"]


class ResultCache:
    """LRU of at most ``max_items`` values and ``max_bytes`` (values' ``sizeof``), with per-key single flight."""

    def __init__(self, max_items: int = 256, max_bytes: int = 512 * 2**20,
                 sizeof: Callable[[Any], int] | None = None) -> None:
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._sizeof = sizeof or (lambda v: len(v) if isinstance(v, (bytes, str)) else 0)
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._pending: dict[Hashable, Future] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def peek(self, key: Hashable) -> tuple[bool, Any]:
        """(True, value) when cached (and marks it recently used), else (False, None); never computes."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return True, self._data[key][0]
        return False, None

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of ``key``, or ``compute()``'s (run once even when many threads ask at once)."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key][0]
            fut = self._pending.get(key)
            owner = fut is None
            if owner:
                fut = Future()
                self._pending[key] = fut
                self.misses += 1
        if not owner:
            return fut.result()
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                self._pending.pop(key, None)
            fut.set_exception(exc)
            raise
        self._put(key, value)
        with self._lock:
            self._pending.pop(key, None)
        fut.set_result(value)
        return value

    def _put(self, key: Hashable, value: Any) -> None:
        size = self._sizeof(value)
        with self._lock:
            if key in self._data:
                self._bytes -= self._data.pop(key)[1]
            if size > self.max_bytes:
                return
            self._data[key] = (value, size)
            self._bytes += size
            while len(self._data) > self.max_items or self._bytes > self.max_bytes:
                _, (_, s) = self._data.popitem(last=False)
                self._bytes -= s

    def clear(self) -> None:
        """Drop every cached value."""
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses (for /api/info)."""
        with self._lock:
            return {"items": len(self._data), "bytes": self._bytes, "hits": self.hits, "misses": self.misses,
                    "max_items": self.max_items}
