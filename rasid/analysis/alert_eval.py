"""How often the alerts cry wolf: alert signals over history, what "nothing changed" means, false-alarm rates.

An alert for unit u in month m is judged by what u did **after** m, against its baseline (the
``baseline_months`` before m, the same window the alerts compare with). With ``b`` the baseline events,
``a`` the events in the ``after_months`` after m and ``x = b * after_months / baseline_months`` the events
the baseline rate predicts for that stretch:

- *nothing changed* (activity): ``a <= 1.25 x + 1`` — no lasting rise; a one-month burst that fades counts
  as nothing changed, because it is what an analyst should not redeploy for;
- *changed*: ``a >= max(2 x, x + 3)`` — at least double the baseline rate and three events more;
- for ``lethality`` the same with deaths per event: nothing changed when fewer than 3 events follow or
  their deaths per event stay under 1.5 times the (shrunk) baseline figure; changed at twice or more.

Unit-months between the two are left out of both. The false-alarm rate of a kind is its alerts on
nothing-changed unit-months per nothing-changed unit-year; the hit rate is the share of changed
unit-months it alerted on. :func:`tune` picks, per kind, the rule with the most hits among those whose
false-alarm rate on the tuning months stays under a target.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pandas as pd

from rasid.analysis.aggregate import aggregate
from rasid.analysis.alerts import KINDS, AlertRules, apply_rules, month_signals
from rasid.analysis.spec import PanelSpec
from rasid.events.window import Window
from rasid.geo.units import DEFAULT_COUNTRIES

__all__ = ["signal_history", "outcome_labels", "false_alarm_table", "tune", "GRID", "STABLE", "CHANGED"]

STABLE = (1.25, 1.0)  # a <= 1.25 x + 1
CHANGED = (2.0, 3.0)  # a >= max(2 x, x + 3)
GRID: dict[str, dict[str, list]] = {
    "new_hotspot": {"hotspot_min_events": [1, 2, 3, 5]},
    "intensifying": {"intensify_rr_low": [1.0, 1.5, 2.0, 3.0], "intensify_min_events": [2, 3, 5, 8]},
    "spread": {"spread_min_events": [1, 2, 3, 4, 6]},
    "forecast_exceedance": {"forecast_min_events": [1, 2, 3, 5, 8]},
    "lethality": {"lethality_factor": [2.0, 3.0, 5.0], "lethality_min_deaths": [5, 10, 20, 50]},
}


def signal_history(events: pd.DataFrame, *, unit: str, countries: list[str] | None, start: object, end: object,
                   rules: AlertRules | None = None, kinds: tuple[str, ...] = KINDS, n_samples: int = 400,
                   seed: int = 0, progress: Callable[[pd.Timestamp], None] | None = None) -> pd.DataFrame:
    """:func:`month_signals` for every month ``start``..``end`` (what the rules need, computed once)."""
    rules = rules or AlertRules.tuned(unit)
    frames = []
    for m in pd.date_range(pd.Timestamp(start).to_period("M").start_time, pd.Timestamp(end), freq="MS"):
        if progress:
            progress(m)
        sig = month_signals(events, m, unit=unit, countries=countries, rules=rules, kinds=kinds,
                            n_samples=n_samples, seed=seed)
        if len(sig):
            frames.append(sig)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def outcome_labels(events: pd.DataFrame, *, unit: str, countries: list[str] | None, start: object, end: object,
                   baseline_months: int = 12, after_months: int = 6, prior_events: float = 5.0) -> pd.DataFrame:
    """Per unit and month in ``start``..``end``: whether activity (and lethality) stayed put or changed after it."""
    s, e = pd.Timestamp(start).to_period("M"), pd.Timestamp(end).to_period("M")
    lo, hi = (s - baseline_months).start_time, (e + after_months).end_time
    spec = PanelSpec(unit=unit, period="month", window=Window(lo.date(), hi.date()),
                     countries=tuple(countries or DEFAULT_COUNTRIES))
    panel = aggregate(events, spec)
    ev = panel.pivot(index="unit_code", columns="period", values="events").sort_index(axis=1)
    de = panel.pivot(index="unit_code", columns="period", values="deaths_best").reindex_like(ev)
    y, d = ev.to_numpy(dtype=float), de.to_numpy(dtype=float)
    months = pd.DatetimeIndex(ev.columns)
    rows = []
    for j in range(baseline_months, len(months) - after_months):
        m = months[j]
        if m < s.start_time or m > e.start_time:
            continue
        b, db = y[:, j - baseline_months:j].sum(1), d[:, j - baseline_months:j].sum(1)
        a, da = y[:, j + 1:j + 1 + after_months].sum(1), d[:, j + 1:j + 1 + after_months].sum(1)
        x = b * after_months / baseline_months
        region = db.sum() / b.sum() if b.sum() > 0 else 1.0
        base_dpe = (db + prior_events * region) / (b + prior_events)
        with np.errstate(divide="ignore", invalid="ignore"):
            after_dpe = np.where(a > 0, da / a, 0.0)
        rows.append(pd.DataFrame({
            "unit_code": ev.index.to_numpy(), "month": m, "baseline_events": b, "after_events": a,
            "stable": a <= STABLE[0] * x + STABLE[1],
            "changed": a >= np.maximum(CHANGED[0] * x, x + CHANGED[1]),
            "lethality_stable": (a < 3) | (after_dpe <= 1.5 * base_dpe),
            "lethality_changed": (a >= 3) & (after_dpe >= 2.0 * base_dpe),
        }))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _score(signals: pd.DataFrame, labels: pd.DataFrame, rules: AlertRules, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Per kind: alerts, alerts on nothing-changed / changed unit-months, rates."""
    fired = pd.concat([apply_rules(g, rules, kinds) for _, g in signals.groupby("month")], ignore_index=True) \
        if len(signals) else pd.DataFrame(columns=["unit_code", "month", "kind"])
    lab = labels.set_index(["unit_code", "month"])
    n_months = labels["month"].nunique()
    out = []
    for kind in kinds:
        stable_col, changed_col = ("lethality_stable", "lethality_changed") if kind == "lethality" \
            else ("stable", "changed")
        f = fired[fired["kind"] == kind]
        keys = pd.MultiIndex.from_frame(f[["unit_code", "month"]].assign(month=pd.to_datetime(f["month"])))
        judged = lab.reindex(keys)
        on_stable = int(judged[stable_col].fillna(False).astype(bool).sum())
        on_changed = int(judged[changed_col].fillna(False).astype(bool).sum())
        n_stable, n_changed = int(labels[stable_col].sum()), int(labels[changed_col].sum())
        out.append({
            "kind": kind, "alerts": int(len(judged)), "judged": int(judged[stable_col].notna().sum()),
            "on_nothing_changed": on_stable, "on_changed": on_changed,
            "nothing_changed_unit_years": n_stable / 12.0,
            "false_alarms_per_unit_year": on_stable / (n_stable / 12.0) if n_stable else float("nan"),
            "false_alarms_per_month": on_stable / n_months if n_months else float("nan"),
            "changed_unit_months": n_changed,
            "hit_rate": on_changed / n_changed if n_changed else float("nan"),
            "share_on_nothing_changed": on_stable / len(judged) if len(judged) else float("nan"),
        })
    return pd.DataFrame(out)


def false_alarm_table(signals: pd.DataFrame, labels: pd.DataFrame, rules: AlertRules,
                      kinds: tuple[str, ...] = KINDS) -> pd.DataFrame:
    """False-alarm and hit rates of each kind under ``rules`` on the labelled unit-months of ``signals``."""
    months = set(pd.to_datetime(labels["month"]).unique())
    sig = signals[pd.to_datetime(signals["month"]).isin(months)]
    return _score(sig, labels, rules, kinds)


def tune(signals: pd.DataFrame, labels: pd.DataFrame, base: AlertRules, *, target: float,
         grid: dict[str, dict[str, list]] | None = None) -> tuple[AlertRules, pd.DataFrame]:
    """Per kind, the grid rule with the most hits whose false alarms per unit-year stay <= ``target``.

    Returns the chosen rules and every grid point's scores (for the record). When no grid point meets
    the target the strictest one is kept and flagged.
    """
    grid = grid or GRID
    chosen: dict = {}
    table = []
    for kind, params in grid.items():
        names = list(params)
        best = None
        for values in itertools.product(*(params[n] for n in names)):
            rules = base.with_(**dict(zip(names, values, strict=True)))
            row = false_alarm_table(signals, labels, rules, (kind,)).iloc[0].to_dict()
            row.update({n: v for n, v in zip(names, values, strict=True)})
            ok = row["false_alarms_per_unit_year"] <= target
            row["meets_target"] = bool(ok)
            table.append(row)
            key = (ok, row["on_changed"] if ok else -row["false_alarms_per_unit_year"], -row["alerts"])
            if best is None or key > best[0]:
                best = (key, dict(zip(names, values, strict=True)))
        chosen.update(best[1])
    return base.with_(**chosen), pd.DataFrame(table)
