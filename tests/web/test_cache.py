"""The response/result cache: bounded LRU, computed once under concurrency, errors never cached."""

from __future__ import annotations

import threading
import time

import pytest

from rasid.errors import QueryError
from rasid.web.cache import ResultCache


def test_lru_evicts_the_least_recently_used_by_count_and_by_bytes():
    c = ResultCache(max_items=2, max_bytes=10)
    c.get("a", lambda: b"1234")
    c.get("b", lambda: b"5678")
    assert c.peek("a") == (True, b"1234")  # a is now the most recent
    c.get("c", lambda: b"9")
    assert c.peek("b") == (False, None) and c.peek("a")[0] and c.peek("c")[0]
    c.get("d", lambda: b"0123456789")  # 10 bytes: everything else must go
    assert len(c) == 1 and c.peek("d")[0]
    c.get("e", lambda: b"x" * 11)  # larger than the cache: returned, not kept
    assert not c.peek("e")[0] and c.stats()["bytes"] == 10


def test_concurrent_misses_compute_once():
    c = ResultCache()
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return b"done"

    out = []
    threads = [threading.Thread(target=lambda: out.append(c.get("k", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [b"done"] * 8 and len(calls) == 1
    assert c.stats()["misses"] == 1


def test_errors_reach_every_waiter_and_are_not_cached():
    c = ResultCache()

    def bad():
        time.sleep(0.1)
        raise QueryError("no such place")

    errors = []

    def ask():
        try:
            c.get("k", bad)
        except QueryError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == ["no such place"] * 4
    assert c.get("k", lambda: b"ok") == b"ok"
    with pytest.raises(ZeroDivisionError):
        c.get("z", lambda: 1 / 0)
    assert not c.peek("z")[0]
