"""Actor names as data: dataset and media spellings mapped to canonical actor ids.

The table lives in ``rasid/data/actors.csv`` (names) and ``actor_labels.csv`` (display labels
in English and Arabic). Unknown names pass through unchanged; coalitions written as
"A, B, IS" map member by member ("A, B, IS" -> "A, B, IS" with known members canonicalised).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from rasid.lang.normalize import normalize_name

__all__ = ["canonical_actor", "canonical_actors", "actor_label", "actor_table", "actor_labels", "is_known"]

_SPACE = re.compile(r"\s+")
_PERIOD = re.compile(r"\s*\(\d{4}-(\d{4})?\)\s*$")  # ACLED's "(2014-)" / "(2003-2011)" period suffixes


def _key(name: str) -> str:
    """Matching key of an actor name (script-aware normalisation, case and spacing folded)."""
    return _SPACE.sub(" ", normalize_name(name)).strip()


def _read(name: str) -> list[dict[str, str]]:
    with (resources.files("rasid") / "data" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    return {_key(r["name"]): r["actor_id"] for r in _read("actors.csv")}


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return {r["actor_id"]: r for r in _read("actor_labels.csv")}


def is_known(name: str | None) -> bool:
    """True when the whole name (not a coalition) is in the table."""
    return bool(name) and _key(name) in _index()


@lru_cache(maxsize=65536)
def canonical_actor(name: str | None) -> str | None:
    """Canonical id for a name as written; unknown names come back unchanged."""
    if name is None:
        return None
    name = name.strip()
    if not name:
        return None
    idx = _index()
    hit = idx.get(_key(name)) or idx.get(_key(_PERIOD.sub("", name)))
    if hit:
        return hit
    if "," in name:
        parts = [p.strip() for p in name.split(",") if p.strip()]
        return ", ".join(idx.get(_key(p), p) for p in parts)
    return name


def canonical_actors(names: pd.Series) -> pd.Series:
    """Vectorised :func:`canonical_actor` over a column (unique values are mapped once)."""
    uniq = pd.Series(names.dropna().unique())
    mapping = {u: canonical_actor(u) for u in uniq}
    return names.map(mapping)


def actor_label(actor_id: str | None, lang: str = "en") -> str:
    """Display name of a canonical actor in ``en`` or ``ar`` (the id itself if unlabelled)."""
    if not actor_id:
        return ""
    row = _labels().get(actor_id)
    if row is None:
        return actor_id
    return row["label_ar"] if lang == "ar" else row["label_en"]


def actor_table() -> pd.DataFrame:
    """All known names: ``actor_id, name, lang, used_by``."""
    return pd.DataFrame(_read("actors.csv"))


def actor_labels() -> pd.DataFrame:
    """Canonical actors with labels: ``actor_id, label_en, label_ar, kind, note``."""
    return pd.DataFrame(_read("actor_labels.csv"))
