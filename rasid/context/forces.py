"""Which forces an event involves, and whether it hit oil/energy or prison/camp sites: tags derived from the events.

The forces (Iraqi and Syrian state forces, Peshmerga, PMF, SDF, Turkey and its allies, the US-led
coalition, Russia) are data (``rasid/data/context/forces_iq_sy.csv``): each has the canonical actor ids
and dataset names that stand for it (``rasid/data/actors.csv``) and a text pattern for the forces an
event's own text names (UCDP GED headlines, ACLED notes, news passages). A force is *involved* in an
event when one of its ids is among the event's actors, or its pattern matches the event's actors,
target or source text, and the event lies in the force's country (when the force has one).

The site tags (``event_tags_iq_sy.csv``) mark events whose text names an oil/energy or prison/camp
target, or that are located exactly within a few km of a site of the oil or detention layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from rasid.context._base import points, read_csv, to_km
from rasid.context.detention import detention_sites
from rasid.context.oil import oil_sites
from rasid.errors import GeoError

__all__ = ["Force", "forces", "FORCE_IDS", "SITE_TAGS", "tag_events"]

_FORCES_FILE = ("context", "forces_iq_sy.csv")
_TAGS_FILE = ("context", "event_tags_iq_sy.csv")
_TEXT_COLUMNS = ("actor1", "actor2", "target", "source_text")
_PRECISE = {"exact"}  # only exactly located events count for the proximity tags ...
_SITE_PRECISION_KM = 2.0  # ... and only sites placed to within 2 km


@dataclass(frozen=True)
class Force:
    """One force: id, labels, the country it is counted in ('' = anywhere), actor ids and text pattern."""

    force: str
    label_en: str
    label_ar: str
    country: str
    actor_ids: frozenset[str]
    pattern: str


def _checked(pattern: str, what: str, line: int) -> str:
    """The lower-cased pattern (events' text is lower-cased; matched by Arrow's RE2), checked to compile."""
    pat = pattern.lower()
    try:
        re.compile(pat)
    except re.error as exc:
        raise GeoError(f"bad text_pattern of {what}: {exc}", path="/".join(_FORCES_FILE), line=line) from exc
    return pat


@lru_cache(maxsize=1)
def _forces() -> tuple[Force, ...]:
    df = read_csv(*_FORCES_FILE, dtype=str, keep_default_na=False)
    out = []
    for i, r in enumerate(df.itertuples(index=False), start=2):
        pat = _checked(r.text_pattern, f"force {r.force!r}", i)
        ids = frozenset(a.strip().casefold() for a in r.actor_ids.split("|") if a.strip())
        out.append(Force(r.force, r.label_en, r.label_ar, r.country.strip().upper(), ids, pat))
    return tuple(out)


def forces() -> pd.DataFrame:
    """The force table: ``force, label_en, label_ar, country, actor_ids`` (one row per force)."""
    return pd.DataFrame([{"force": f.force, "label_en": f.label_en, "label_ar": f.label_ar, "country": f.country,
                          "actor_ids": "|".join(sorted(f.actor_ids))} for f in _forces()])


FORCE_IDS: tuple[str, ...] = tuple(f.force for f in _forces())


@lru_cache(maxsize=1)
def _tags() -> pd.DataFrame:
    df = read_csv(*_TAGS_FILE, dtype={"tag": str, "text_pattern": str, "near_layer": str})
    df["regex"] = [_checked(p, f"tag {t!r}", i) for i, (t, p) in enumerate(zip(df.tag, df.text_pattern, strict=True),
                                                                           start=2)]
    return df.set_index("tag")


SITE_TAGS: tuple[str, ...] = tuple(_tags().index)


@lru_cache(maxsize=4)
def _layer_points(name: str):
    """Projected (km) points of the precisely placed sites of a layer named in the tag table (oil: GOGET
    ``exact``; detention: placed to within 2 km); settlement proxies would tag a whole town's events."""
    if name == "oil":
        o = oil_sites()
        return to_km(o[o.location_accuracy == "exact"]).geometry.values
    if name == "detention":
        d = detention_sites()
        return to_km(d[d.precision_km <= _SITE_PRECISION_KM]).geometry.values
    raise GeoError(f"unknown near_layer {name!r}", path="/".join(_TAGS_FILE))


def _column(events: pd.DataFrame, name: str) -> pd.Series:
    if name in events:
        return events[name].astype("string").fillna("")
    return pd.Series("", index=events.index, dtype="string")


def _contains(text: pa.Array, pattern: str) -> np.ndarray:
    """Arrow's RE2 search (linear time, ~20x faster than Python's re here; ``\\b`` is ASCII-only, as wanted)."""
    return pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False).astype(bool)


def _actor_tokens(events: pd.DataFrame) -> list[set[str]]:
    """Per event, the case-folded canonical ids and names of both sides (coalitions split on commas)."""
    out: list[set[str]] = [set() for _ in range(len(events))]
    for c in ("actor1_id", "actor2_id", "actor1", "actor2"):
        if c not in events:
            continue
        col = events[c]
        split = {v: {t.strip().casefold() for t in v.split(",") if t.strip()}
                 for v in col.dropna().unique() if isinstance(v, str)}
        for i, v in enumerate(col.to_numpy(dtype=object)):
            if isinstance(v, str):
                out[i] |= split[v]
    return out


def _near(events: pd.DataFrame, layer: str, km: float) -> np.ndarray:
    """Exactly located events within ``km`` of a site of ``layer``."""
    out = np.zeros(len(events), dtype=bool)
    if not {"lat", "lon"} <= set(events.columns) or not len(events):
        return out
    prec = _column(events, "geo_precision").isin(_PRECISE).to_numpy()
    ok = prec & events["lat"].notna().to_numpy() & events["lon"].notna().to_numpy()
    if not ok.any():
        return out
    sites = _layer_points(layer)
    if not len(sites):
        return out
    pts = to_km(points(events.loc[ok, ["lat", "lon"]].astype(float).reset_index(drop=True))).geometry.values
    src, _ = shapely.STRtree(sites).query(pts, predicate="dwithin", distance=km)
    hit = np.zeros(len(pts), dtype=bool)
    hit[np.unique(src)] = True
    out[np.flatnonzero(ok)] = hit
    return out


def tag_events(events: pd.DataFrame) -> pd.DataFrame:
    """Per event (same index): one boolean column per force of :data:`FORCE_IDS` and per site tag (``oil``, ``prison``).

    Actor ids, actor names, target and source text are read when present; missing columns count as empty.
    """
    text = _column(events, _TEXT_COLUMNS[0])
    for c in _TEXT_COLUMNS[1:]:
        text = text + " | " + _column(events, c)
    text = pa.array(text.str.lower().to_numpy(dtype=object), type=pa.string())
    country = _column(events, "country").str.upper()
    tokens = _actor_tokens(events)
    out = {}
    for f in _forces():
        by_actor = np.fromiter((bool(t & f.actor_ids) for t in tokens), dtype=bool, count=len(tokens))
        by_text = _contains(text, f.pattern)
        hit = by_actor | by_text
        if f.country:
            hit &= (country == f.country).to_numpy(dtype=bool)
        out[f.force] = hit
    tags = _tags()
    for tag, row in tags.iterrows():
        by_text = _contains(text, row.regex)
        out[tag] = by_text | _near(events, row.near_layer, float(row.near_km))
    return pd.DataFrame(out, index=events.index)
