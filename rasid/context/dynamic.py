"""Time-varying context per unit and month, derived from the store's own events and the dated calendar.

Like ACLED's control and contestation maps, which are computed from ACLED's own events rather than
drawn by hand (https://acleddata.com/knowledge-base/mapping-territorial-control-contestation-and-activity-in-syria),
these layers read *who fights where* from the events of every actor in the store:

* per force (:data:`rasid.context.forces.FORCE_IDS`), the events it took part in, per unit and month;
* events at oil/energy sites and at prisons/camps (:func:`rasid.context.forces.tag_events`);
* the dated control changes of the political calendar (:func:`rasid.context.calendar.control_changes`):
  ``liberation`` (IS lost the ground) and ``handover`` (control passed between forces fighting IS).

:meth:`DynamicLayers.features` turns them into model features **without look-ahead**: the value at
month ``T`` uses months up to ``T`` only, and the feature table reads it at the origin ``t - h`` for a
target month ``t``, so month ``t`` is explained by events up to ``t - 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from rasid.context.calendar import control_changes
from rasid.context.forces import FORCE_IDS, SITE_TAGS, tag_events
from rasid.geo.admin import admin_units

__all__ = ["DynamicLayers", "dynamic_layers", "DYNAMIC_COLUMNS", "STATE_FORCES", "FOREIGN_FORCES",
           "VACUUM_BEFORE", "VACUUM_GAP"]

STATE_FORCES = ("IQ_STATE", "SY_STATE")
FOREIGN_FORCES = ("COALITION", "RUSSIA", "TURKEY")
VACUUM_GAP = 3  # a force is "gone" when absent in the last 3 months ...
VACUUM_BEFORE = 9  # ... after being active in at least 2 of the 9 months before them
_VACUUM_MIN_MONTHS = 2
#: model-ready columns of :meth:`DynamicLayers.features`, in this order
DYNAMIC_COLUMNS = ("contest_m3", "vacuum", "handover_12m", "liberated_12m", "state_m3", "foreign_m3",
                   "oil_attacks_m12", "prison_attacks_m12")


def _trailing_sum(x: np.ndarray, k: int) -> np.ndarray:
    """Sum over months T-k+1..T along axis 1 (months before the start count as zero)."""
    cs = np.concatenate([np.zeros_like(x[:, :1]), np.cumsum(x, axis=1)], axis=1)
    hi = np.arange(1, x.shape[1] + 1)
    lo = np.maximum(hi - k, 0)
    return cs[:, hi] - cs[:, lo]


@dataclass(frozen=True)
class DynamicLayers:
    """Monthly counts per unit: events per force, at oil and prison sites, and dated control changes."""

    units: tuple[str, ...]
    months: pd.DatetimeIndex
    force_events: np.ndarray  # (units, months, forces)
    site_events: np.ndarray  # (units, months, tags)
    liberation: np.ndarray  # (units, months) dated liberations from IS in that month
    handover: np.ndarray  # (units, months) dated handovers between forces fighting IS
    changes: pd.DataFrame  # the control-change rows that touch the units: date, event, kind, units, source_url

    @property
    def active(self) -> np.ndarray:
        """(units, months, forces) booleans: the force took part in at least one event."""
        return self.force_events > 0

    def features(self) -> np.ndarray:
        """(units, months, len(DYNAMIC_COLUMNS)) model features; slice [:, T] uses months <= T only."""
        act = self.active.astype(np.float64)
        n_u, n_m, n_f = act.shape
        flat = act.transpose(0, 2, 1).reshape(n_u * n_f, n_m)
        recent = (_trailing_sum(flat, VACUUM_GAP) > 0).reshape(n_u, n_f, n_m)
        before = _trailing_sum(flat, VACUUM_GAP + VACUUM_BEFORE) - _trailing_sum(flat, VACUUM_GAP)
        before = (before >= _VACUUM_MIN_MONTHS).reshape(n_u, n_f, n_m)
        fidx = {f: i for i, f in enumerate(FORCE_IDS)}
        ev = self.force_events
        state = ev[:, :, [fidx[f] for f in STATE_FORCES if f in fidx]].sum(axis=2)
        foreign = ev[:, :, [fidx[f] for f in FOREIGN_FORCES if f in fidx]].sum(axis=2)
        tidx = {t: i for i, t in enumerate(SITE_TAGS)}
        cols = {
            "contest_m3": recent.sum(axis=1).astype(np.float64),
            "vacuum": (before & ~recent).sum(axis=1).astype(np.float64),
            "handover_12m": (_trailing_sum(self.handover, 12) > 0).astype(np.float64),
            "liberated_12m": (_trailing_sum(self.liberation, 12) > 0).astype(np.float64),
            "state_m3": np.log1p(_trailing_sum(state, 3)),
            "foreign_m3": np.log1p(_trailing_sum(foreign, 3)),
            "oil_attacks_m12": np.log1p(_trailing_sum(self.site_events[:, :, tidx["oil"]], 12)),
            "prison_attacks_m12": np.log1p(_trailing_sum(self.site_events[:, :, tidx["prison"]], 12)),
        }
        return np.stack([cols[c] for c in DYNAMIC_COLUMNS], axis=2)

    def summary(self, unit: str, first: int, last: int) -> dict:
        """For one unit and months ``first..last`` (indices): months active and events per force, site events,
        and the dated control changes in (or in the 12 months before) the range."""
        i = self.units.index(unit)
        ev = self.force_events[i, first:last + 1]
        forces = {f: {"months_active": int((ev[:, k] > 0).sum()), "events": int(ev[:, k].sum())}
                  for k, f in enumerate(FORCE_IDS) if ev[:, k].sum() > 0}
        sites = {t: int(self.site_events[i, first:last + 1, k].sum()) for k, t in enumerate(SITE_TAGS)}
        lo = self.months[max(first - 11, 0)]
        hi = self.months[last] + pd.offsets.MonthEnd(0)
        ch = self.changes[(self.changes.date >= lo) & (self.changes.date <= hi)]
        changes = [{"date": r.date.strftime("%Y-%m-%d"), "kind": r.kind, "event": r.event, "source_url": r.source_url}
                   for r in ch.itertuples() if unit in r.units]
        return {"forces": forces, "site_events": sites, "control_changes": changes}

    def table(self) -> pd.DataFrame:
        """Long table, one row per unit and month: events per force, active forces, site events, changes."""
        n_u, n_m, _ = self.force_events.shape
        df = pd.DataFrame({"unit_code": np.repeat(self.units, n_m), "month": np.tile(self.months, n_u)})
        for k, f in enumerate(FORCE_IDS):
            df[f"events_{f.lower()}"] = self.force_events[:, :, k].reshape(-1).astype(int)
        df["forces_active"] = self.active.sum(axis=2).reshape(-1)
        for k, t in enumerate(SITE_TAGS):
            df[f"{t}_events"] = self.site_events[:, :, k].reshape(-1).astype(int)
        df["liberation"] = self.liberation.reshape(-1).astype(int)
        df["handover"] = self.handover.reshape(-1).astype(int)
        feats = self.features()
        for k, c in enumerate(DYNAMIC_COLUMNS):
            df[c] = feats[:, :, k].reshape(-1)
        return df


def _change_units(codes: list[str], unit_level: str, units: pd.DataFrame) -> list[str]:
    """The region's units touched by admin2 codes of a control change (admin1: their governorates; grid: cells
    whose centre lies in one of the districts)."""
    if unit_level == "admin2":
        return [c for c in codes if c in set(units.unit_code)]
    a2 = admin_units("admin2")
    a2 = a2[a2.unit_code.isin(codes)]
    if unit_level == "admin1":
        return sorted(set(a2.admin1_code) & set(units.unit_code))
    if "geometry" not in units or a2.empty:
        return []
    centres = shapely.centroid(units.geometry.values)
    inside = shapely.intersects(shapely.union_all(a2.geometry.values), centres)
    return list(units.unit_code.to_numpy()[inside])


def dynamic_layers(events: pd.DataFrame, event_units: pd.Series, units: pd.DataFrame, months: pd.DatetimeIndex,
                   *, unit_level: str, countries: tuple[str, ...] | list[str] | None = None) -> DynamicLayers:
    """Count events per force and site tag per unit and month, and place the dated control changes.

    ``events`` are the store's events of *every* actor; ``event_units`` gives each event's unit code (NaN
    when the event is located too coarsely for the unit level); ``units`` is the region's unit frame
    (``unit_code``, with ``geometry`` for grid cells); ``months`` are month starts.
    """
    codes = tuple(units.unit_code.astype(str))
    months = pd.DatetimeIndex(months)
    n_u, n_m = len(codes), len(months)
    fe = np.zeros((n_u, n_m, len(FORCE_IDS)))
    se = np.zeros((n_u, n_m, len(SITE_TAGS)))
    if len(events):
        uidx = pd.Index(codes).get_indexer(event_units.astype("string").fillna(""))
        month = pd.to_datetime(events["date_start"]).dt.to_period("M").dt.start_time
        midx = months.get_indexer(month)
        ok = (uidx >= 0) & (midx >= 0)
        if ok.any():
            tags = tag_events(events.loc[ok])
            for k, f in enumerate(FORCE_IDS):
                np.add.at(fe[:, :, k], (uidx[ok], midx[ok]), tags[f].to_numpy(np.float64))
            for k, t in enumerate(SITE_TAGS):
                np.add.at(se[:, :, k], (uidx[ok], midx[ok]), tags[t].to_numpy(np.float64))
    lib = np.zeros((n_u, n_m))
    hand = np.zeros((n_u, n_m))
    ch = control_changes()
    if countries:
        ch = ch[ch.country.isin([c.upper() for c in countries])]
    rows = []
    pos = {c: i for i, c in enumerate(codes)}
    for r in ch.itertuples():
        touched = _change_units(r.admin_codes, unit_level, units)
        if not touched:
            continue
        rows.append({"date": r.date, "kind": r.kind, "event": r.event, "source_url": r.source_url, "units": touched})
        m = months.get_indexer([r.date.to_period("M").start_time])[0]
        if m < 0 or r.kind == "is_takeover":
            continue
        target = lib if r.kind == "liberation" else hand
        for c in touched:
            target[pos[c], m] += 1
    changes = pd.DataFrame(rows, columns=["date", "kind", "event", "source_url", "units"])
    return DynamicLayers(codes, months, fe, se, lib, hand, changes)
