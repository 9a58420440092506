"""Early-warning alerts: what changed in an actor's activity in the latest month(s), place by place.

Five kinds, each read off an analysis the library already has (no statistic is recomputed here):

- ``new_hotspot``: the emerging hot spot analysis (:func:`rasid.analysis.emerging.emerging_hotspots`, the
  last ``hotspot_months`` months) calls the unit a *new hot spot*: significantly hot in the month for the
  first time in the window;
- ``intensifying``: the focus table (:func:`rasid.analysis.focus.focus_table`, the month against the
  previous ``baseline_months``) gives a monthly rate ratio whose exact 95% lower bound exceeds a threshold;
- ``spread``: events in a unit with none in the baseline months;
- ``forecast_exceedance``: more events than the 95% quantile of the forecast made at the end of the
  month before (:func:`rasid.analysis.forecast.forecast`, one month ahead, data up to that month only);
- ``lethality``: deaths per event in the month jump to a multiple of the unit's baseline deaths per
  event (shrunk toward the region's, so a unit with few baseline events does not fire on one attack).

Every kind also needs a minimum count; the thresholds shipped in ``rasid/data/alerts/thresholds.json``
were chosen on years before the test years, with the false-alarm rates measured as
:mod:`rasid.analysis.alert_eval` defines them (docs/alerts.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from rasid.analysis.aggregate import _TOO_COARSE  # the precision rule the panels count by
from rasid.analysis.emerging import emerging_hotspots
from rasid.analysis.focus import focus_table
from rasid.analysis.forecast import forecast
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError, RasidError
from rasid.events.actors import actor_label, canonical_actor
from rasid.events.window import Window
from rasid.geo.units import DEFAULT_COUNTRIES

__all__ = ["alerts", "month_signals", "apply_rules", "AlertRules", "KINDS", "ALERT_COLUMNS", "covered_month",
           "describe"]

KINDS = ("new_hotspot", "intensifying", "spread", "forecast_exceedance", "lethality")
ALERT_COLUMNS = ["unit_code", "unit_en", "unit_ar", "country", "month", "kind", "events", "deaths",
                 "baseline_events", "baseline_deaths", "strength", "text_en", "text_ar", "evidence", "n_evidence"]
_KEY = {"admin1": "admin1_code", "admin2": "admin2_code"}
_AR_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


@dataclass(frozen=True)
class AlertRules:
    """Windows and thresholds of the five kinds (defaults: the tuned values for the unit, see :meth:`tuned`)."""

    baseline_months: int = 12
    hotspot_months: int = 24
    hotspot_alpha: float = 0.05
    hotspot_min_events: int = 1
    intensify_rr_low: float = 1.0
    intensify_min_events: int = 3
    spread_min_events: int = 2
    forecast_model: str = "ensemble"
    forecast_min_events: int = 2
    lethality_factor: float = 3.0
    lethality_min_deaths: int = 10
    lethality_min_events: int = 1
    lethality_prior_events: float = 5.0
    max_evidence: int = 5

    @classmethod
    def tuned(cls, unit: str) -> AlertRules:
        """The thresholds chosen for ``unit`` on the tuning years (rasid/data/alerts/thresholds.json)."""
        chosen = _thresholds().get(unit, {})
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in chosen.items() if k in names})

    def with_(self, **changes) -> AlertRules:
        """A copy with some values changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain dict (JSON output)."""
        return asdict(self)


@lru_cache(maxsize=1)
def _thresholds() -> dict:
    path = resources.files("rasid") / "data" / "alerts" / "thresholds.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("units", {})
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=1)
def _sentences() -> dict:
    return json.loads((resources.files("rasid") / "data" / "alerts" / "sentences.json").read_text(encoding="utf-8"))


def covered_month(data_end: object) -> pd.Timestamp:
    """The last month the data covers: the month of ``data_end`` if its last week has data, else the one before."""
    d = pd.Timestamp(data_end).normalize()
    month_end = d + pd.offsets.MonthEnd(0)
    start = d.to_period("M").start_time
    return start if (month_end - d).days < 7 else (d.to_period("M") - 1).start_time


def _month(value: object) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(str(value)) if isinstance(value, str) else pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"cannot read {value!r} as a month (YYYY-MM)") from exc
    if pd.isna(ts):
        raise QueryError(f"cannot read {value!r} as a month (YYYY-MM)")
    return ts.to_period("M").start_time


# -- the library's analyses, called in one place each ----------------------------------------------------------
def _spec(unit: str, countries: list[str] | None, first: pd.Timestamp | None = None,
          last: pd.Timestamp | None = None) -> PanelSpec:
    """Monthly event counts per ``unit`` over ``countries``, from the month ``first`` to the month ``last``."""
    window = None if first is None else Window(first.date(), (last + pd.offsets.MonthEnd(0)).date())
    return PanelSpec(unit=unit, period="month", window=window, countries=tuple(countries or DEFAULT_COUNTRIES))


def _focus(events: pd.DataFrame, month: pd.Timestamp, unit: str, countries: list[str] | None,
           baseline_months: int) -> pd.DataFrame:
    return focus_table(events, _spec(unit, countries, month, month), baseline=f"{baseline_months}m")


def _emerging(events: pd.DataFrame, month: pd.Timestamp, unit: str, countries: list[str] | None,
              rules: AlertRules) -> pd.DataFrame:
    start = month - pd.DateOffset(months=rules.hotspot_months - 1)
    return emerging_hotspots(events, _spec(unit, countries, start, month), alpha=rules.hotspot_alpha)


def _forecast(events: pd.DataFrame, month: pd.Timestamp, unit: str, countries: list[str] | None,
              rules: AlertRules, n_samples: int, seed: int) -> pd.DataFrame:
    origin = month - pd.DateOffset(months=1)
    before = events[pd.to_datetime(events["date_start"]) < month]
    return forecast(before, _spec(unit, countries), as_of=origin, horizon=1, model=rules.forecast_model,
                    n_samples=n_samples, seed=seed, data_end=origin)


def month_signals(events: pd.DataFrame, month: object, *, unit: str = "admin2", countries: list[str] | None = None,
                  rules: AlertRules | None = None, kinds: tuple[str, ...] = KINDS, n_samples: int = 1000,
                  seed: int = 0) -> pd.DataFrame:
    """Per unit, everything the rules look at for ``month``: counts, baseline, rate ratio, pattern, forecast.

    ``attrs['notes']`` lists the analyses that could not run (too little history, no events).
    """
    if unit not in _KEY:
        raise QueryError(f"alerts are per admin1 or admin2 unit, got {unit!r}")
    rules = rules or AlertRules.tuned(unit)
    m = _month(month)
    notes: list[str] = []
    try:
        f = _focus(events, m, unit, countries, rules.baseline_months)
    except QueryError as exc:  # no located events in the month nor in the baseline: nothing can have changed
        out = pd.DataFrame(columns=["unit_code"])
        out.attrs["notes"] = [f"{m:%Y-%m}: {exc}"]
        return out
    sig = f[["unit_code", "unit_en", "unit_ar", "country", "events", "deaths", "baseline_events",
             "baseline_deaths", "rate_ratio", "rr_low", "label"]].copy()
    sig["month"] = m
    sig["pattern"], sig["gi_z"], sig["q95"], sig["expected"] = None, np.nan, np.nan, np.nan
    if "new_hotspot" in kinds:
        try:
            e = _emerging(events, m, unit, countries, rules).set_index("unit_code")
            sig["pattern"] = sig.unit_code.map(e["pattern"])
            sig["gi_z"] = sig.unit_code.map(e["gi_z"])
        except RasidError as exc:
            notes.append(f"{m:%Y-%m} new_hotspot: {exc}")
    if "forecast_exceedance" in kinds:
        try:
            fc = _forecast(events, m, unit, countries, rules, n_samples, seed).set_index("unit_code")
            sig["q95"] = sig.unit_code.map(fc["q95"])
            sig["expected"] = sig.unit_code.map(fc["mean"])
        except RasidError as exc:
            notes.append(f"{m:%Y-%m} forecast_exceedance: {exc}")
    sig.attrs["notes"] = notes
    return sig.reset_index(drop=True)


def apply_rules(sig: pd.DataFrame, rules: AlertRules, kinds: tuple[str, ...] = KINDS) -> pd.DataFrame:
    """Alert rows (unit, month, kind, strength and the numbers behind them) from :func:`month_signals` output."""
    cols = ["unit_code", "unit_en", "unit_ar", "country", "month", "kind", "events", "deaths", "baseline_events",
            "baseline_deaths", "strength", "rate_ratio", "rr_low", "gi_z", "q95", "expected", "dpe", "base_dpe"]
    if not len(sig):
        return pd.DataFrame(columns=cols)
    e = sig["events"].to_numpy(dtype=float)
    d = sig["deaths"].to_numpy(dtype=float)
    eb = sig["baseline_events"].to_numpy(dtype=float)
    db = sig["baseline_deaths"].to_numpy(dtype=float)
    region = (db.sum() / eb.sum()) if eb.sum() > 0 else (d.sum() / max(e.sum(), 1.0))
    prior = rules.lethality_prior_events
    base_dpe = (db + prior * region) / (eb + prior)
    with np.errstate(divide="ignore", invalid="ignore"):
        dpe = np.where(e > 0, d / e, 0.0)
    q95 = pd.to_numeric(sig["q95"], errors="coerce").to_numpy(dtype=float)
    rr_low = pd.to_numeric(sig["rr_low"], errors="coerce").to_numpy(dtype=float)
    masks = {
        "new_hotspot": (sig["pattern"] == "new hot spot").to_numpy() & (e >= rules.hotspot_min_events),
        "intensifying": (eb > 0) & (e >= rules.intensify_min_events) & (np.nan_to_num(rr_low) > rules.intensify_rr_low),
        "spread": (eb == 0) & (e >= rules.spread_min_events),
        "forecast_exceedance": ~np.isnan(q95) & (e > np.nan_to_num(q95)) & (e >= rules.forecast_min_events),
        "lethality": (e >= rules.lethality_min_events) & (d >= rules.lethality_min_deaths)
                     & (dpe >= rules.lethality_factor * base_dpe),
    }
    strength = {
        "new_hotspot": pd.to_numeric(sig["gi_z"], errors="coerce").to_numpy(dtype=float),
        "intensifying": pd.to_numeric(sig["rate_ratio"], errors="coerce").to_numpy(dtype=float),
        "spread": e,
        "forecast_exceedance": e / np.maximum(np.nan_to_num(q95), 1.0),
        "lethality": dpe / np.maximum(base_dpe, 1e-9),
    }
    parts = []
    for kind in kinds:
        sel = masks[kind]
        if not sel.any():
            continue
        part = sig.loc[sel].copy()
        part["kind"], part["strength"] = kind, strength[kind][sel]
        part["dpe"], part["base_dpe"] = dpe[sel], base_dpe[sel]
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True).reindex(columns=cols)


def _located(events: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Events placed at least as precisely as ``unit`` (the rule every panel counts by)."""
    if "geo_precision" not in events:
        return events
    return events[~events["geo_precision"].isin(_TOO_COARSE[unit])]


def _evidence(events: pd.DataFrame, unit: str, code: str, month: pd.Timestamp, limit: int) -> tuple[list[dict], int]:
    """The unit-month's events, deadliest first: date, place, actors, deaths and the source behind each."""
    dates = pd.to_datetime(events["date_start"])
    sel = events[(events[_KEY[unit]] == code) & (dates.dt.to_period("M").dt.start_time == month)]
    sel = _located(sel, unit)
    if not len(sel):
        return [], 0
    order = sel.assign(_d=pd.to_numeric(sel.get("deaths_best"), errors="coerce").fillna(-1))
    order = order.sort_values(["_d", "date_start", "event_id"], ascending=[False, True, True]).head(limit)
    out = []
    for r in order.itertuples(index=False):
        text = getattr(r, "source_text", None)
        url = getattr(r, "source_url", None)
        out.append({
            "event_id": r.event_id, "date": pd.Timestamp(r.date_start).date().isoformat(),
            "location": _clean(getattr(r, "location", None)), "actor1": _clean(r.actor1), "actor2": _clean(r.actor2),
            "deaths_best": None if pd.isna(r.deaths_best) else int(r.deaths_best),
            "source": r.source, "source_version": _clean(r.source_version),
            "source_text": _clean(text)[:400] if _clean(text) else None,
            "source_url": url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None,
        })
    return out, int(len(sel))


def _clean(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return " ".join(str(v).split())


def _num(x: float, decimals: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if math.isinf(x):
        return "∞"
    return f"{x:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{x:,.0f}"


def describe(row: dict, actor: str | None, rules: AlertRules) -> tuple[str, str]:
    """The English and Arabic sentence of one alert row."""
    s = _sentences()
    k = s["kinds"][row["kind"]]
    m = pd.Timestamp(row["month"])
    aid = canonical_actor(actor) if actor else None
    base_rate = float(row["baseline_events"]) / rules.baseline_months
    events, deaths = int(row["events"]), int(row["deaths"])
    vals = {
        "events": f"{events:,}", "deaths": f"{deaths:,}", "baseline": str(rules.baseline_months),
        "window": str(rules.hotspot_months), "baseline_rate": _num(base_rate), "ratio": _num(row.get("rate_ratio"), 2),
        "rr_low": _num(row.get("rr_low"), 2), "q95": _num(row.get("q95"), 0), "expected": _num(row.get("expected")),
        "dpe": _num(row.get("dpe")), "base_dpe": _num(row.get("base_dpe")), "z": _num(row.get("gi_z"), 2),
    }
    en = k["en"].format(unit_en=row["unit_en"] or row["unit_code"], month_en=f"{s['months_en'][m.month - 1]} {m.year}",
                        actor_en=actor_label(aid, "en") if aid else s["all_actors"]["en"],
                        events_word="event" if events == 1 else "events",
                        deaths_word="death" if deaths == 1 else "deaths", **vals)
    ar_vals = {k2: v.replace(",", "٬").translate(_AR_DIGITS) for k2, v in vals.items()}
    ar = k["ar"].format(unit_ar=row["unit_ar"] or row["unit_en"] or row["unit_code"],
                        month_ar=f"{s['months_ar'][m.month - 1]} {str(m.year).translate(_AR_DIGITS)}",
                        actor_ar=actor_label(aid, "ar") if aid else s["all_actors"]["ar"], **ar_vals)
    return en, ar


def alerts(events: pd.DataFrame, *, unit: str = "admin2", countries: list[str] | None = None,
           as_of: object = None, months: int = 1, data_end: object = None, actor: str | None = None,
           rules: AlertRules | None = None, kinds: tuple[str, ...] | list[str] = KINDS, n_samples: int = 1000,
           seed: int = 0) -> pd.DataFrame:
    """Alerts (columns :data:`ALERT_COLUMNS`) for the ``months`` months ending ``as_of`` from one actor's events.

    ``as_of`` defaults to the last month the data covers (:func:`covered_month` of ``data_end``, itself
    defaulting to the last event's date). ``attrs`` carry ``as_of``, ``unit``, ``rules`` and ``notes``.
    """
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise QueryError(f"unknown alert kind {bad[0]!r}; expected one of {', '.join(KINDS)}")
    if months < 1:
        raise QueryError(f"months must be at least 1, got {months}")
    kinds = tuple(kinds)
    rules = rules or AlertRules.tuned(unit)
    if not len(events):
        raise QueryError("no events to look at (check the actor and country filters)")
    dates = pd.to_datetime(events["date_start"])
    end = pd.Timestamp(data_end) if data_end is not None else dates.max()
    last = covered_month(end) if as_of is None else _month(as_of)
    if last > end.to_period("M").start_time:
        raise QueryError(f"--as-of {last:%Y-%m} is after the last month of data ({end:%Y-%m})")
    frames, notes = [], []
    for i in range(months - 1, -1, -1):
        m = last - pd.DateOffset(months=i)
        sig = month_signals(events, m, unit=unit, countries=countries, rules=rules, kinds=kinds,
                            n_samples=n_samples, seed=seed)
        notes += sig.attrs.get("notes", [])
        frames.append(apply_rules(sig, rules, kinds))
    rows = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    out = pd.DataFrame(columns=ALERT_COLUMNS) if rows is None else _finish(rows, events, unit, actor, rules, kinds)
    out.attrs.update(as_of=f"{last:%Y-%m}", months=months, unit=unit, countries=list(countries or []),
                     actor=actor, rules=rules.to_dict(), notes=notes, kinds=list(kinds))
    return out


def _finish(rows: pd.DataFrame, events: pd.DataFrame, unit: str, actor: str | None, rules: AlertRules,
            kinds: tuple[str, ...]) -> pd.DataFrame:
    """Sentences and evidence for each alert row, ordered by month (newest first), kind and strength."""
    texts = [describe(r, actor, rules) for r in rows.to_dict("records")]
    rows["text_en"] = [t[0] for t in texts]
    rows["text_ar"] = [t[1] for t in texts]
    ev = [_evidence(events, unit, r.unit_code, pd.Timestamp(r.month), rules.max_evidence)
          for r in rows.itertuples(index=False)]
    rows["evidence"] = [e[0] for e in ev]
    rows["n_evidence"] = [e[1] for e in ev]
    rows["_k"] = rows["kind"].map({k: i for i, k in enumerate(kinds)})
    rows = rows.sort_values(["month", "_k", "strength", "unit_code"], ascending=[False, True, False, True])
    rows["month"] = pd.to_datetime(rows["month"]).dt.strftime("%Y-%m")
    extra = [c for c in rows.columns if c not in ALERT_COLUMNS and c != "_k"]
    return rows[ALERT_COLUMNS + extra].reset_index(drop=True)
