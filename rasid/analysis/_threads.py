"""One BLAS/OpenMP thread for small model fits: on this kind of 2-core box extra threads only contend."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from threadpoolctl import threadpool_limits

F = TypeVar("F", bound=Callable)


def single_threaded(fn: F) -> F:
    """Run ``fn`` with native thread pools (BLAS, OpenMP) limited to one thread."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
