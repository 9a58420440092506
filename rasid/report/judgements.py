"""Key judgements: the brief's bottom line up front, derived from the analyses by explicit rules.

Each judgement is a record (kind, numbers, a probability and its ICD 203 likelihood band); the
templates word it in Arabic or English. Nothing here is fixed text: change the data and the judgements
change. The rules (docs/brief.md, "Key judgements"):

- ``focus``: the main place, its share of located events and the top places' combined share; the
  probability is the forecast chance of at least one event there next month (``p_any``).
- ``shift``: the place whose share changed most significantly against the previous period; the
  probability that the change is real is ``1 - q`` (Benjamini–Hochberg q-value of the focus test).
- ``why``: persistence (the group's own past activity) against the context layers, from the explanation's
  out-of-sample comparison (:func:`compare`) and the bootstrap intervals of the shares beyond persistence.
- ``next``: the forecast's most likely exceedance (10+ or 5+ events in a place and month).
- ``watch``: the next scheduled vote and what the data say about votes (the calendar effect's rate-ratio
  interval); without a vote ahead, the place whose forecast 90% interval reaches highest above its recent rate.
"""

from __future__ import annotations

import math

import pandas as pd

from rasid.report.likelihood import likelihood

__all__ = ["compare", "why_summary", "key_judgements", "TOLERANCE"]

#: relative deviance change below which two models are "no different" out of sample
TOLERANCE = 0.02
_CAP = 0.99  # the scale's top: no judgement is certain


def compare(context: float | None, history: float | None, *, tolerance: float = TOLERANCE) -> dict | None:
    """Out-of-sample deviance of the context model against the history-only model, as an outcome.

    ``gain`` is the relative deviance reduction (history − context) / history: positive = context predicts
    better. ``outcome`` is ``better``, ``worse`` or ``same`` (|gain| < ``tolerance``).
    """
    if context is None or history is None or not (history > 0) or context != context:
        return None
    gain = (history - context) / history
    outcome = "same" if abs(gain) < tolerance else ("better" if gain > 0 else "worse")
    return {"context": float(context), "history": float(history), "gain": float(gain), "outcome": outcome}


def _band(p: float) -> dict:
    """Probability and its likelihood band, capped at the scale's ends."""
    p = min(max(float(p), 0.01), _CAP)
    return {"p": p, "likelihood": likelihood(p).to_dict()}


def why_summary(explanation: dict | None) -> dict | None:
    """What the explanation supports: persistence per place, objectives beyond it, the out-of-sample outcomes.

    Returns ``{"oos": {"lgbm": compare(...), "glm": compare(...)}, "test_year", "places": [{unit_code,
    persistence, persistence_ci, supported: [...], unclear: [...]}], "supported_any", "context_better"}``.
    ``supported`` objectives have a bootstrap interval of their share beyond persistence above zero.
    """
    if not explanation:
        return None
    oos = explanation.get("out_of_sample") or {}
    models = oos.get("models") or {}
    comp = {}
    for m in ("lgbm", "glm"):
        c, h = models.get(f"context_{m}", {}), models.get(f"history_{m}", {})
        r = compare(c.get("poisson_deviance"), h.get("poisson_deviance"))
        if r:
            comp[m] = r
    places = []
    for p in explanation.get("places", []) or []:
        objs = p.get("objectives", []) or []
        hist = next((o for o in objs if o.get("objective") == "history"), None)
        supported, unclear = [], []
        for o in objs:
            if o.get("objective") == "history" or o.get("kind") == "control":
                continue
            share = o.get("share_excl_history")
            lo, hi = o.get("ci_low_excl_history"), o.get("ci_high_excl_history")
            if share is None or share <= 0:
                continue
            rec = {"objective": o["objective"], "share": share, "ci_low": lo, "ci_high": hi}
            (supported if lo is not None and lo > 0 else unclear).append(rec)
        places.append({"unit_code": p.get("unit_code"), "persistence": hist.get("share") if hist else None,
                       "persistence_ci": (hist.get("ci_low"), hist.get("ci_high")) if hist else (None, None),
                       "supported": sorted(supported, key=lambda r: -r["share"]),
                       "unclear": sorted(unclear, key=lambda r: -r["share"])})
    outcomes = [c["outcome"] for c in comp.values()]
    return {"oos": comp, "test_year": oos.get("test_year"), "train_years": oos.get("train_years"),
            "places": places, "supported_any": any(p["supported"] for p in places),
            "context_better": bool(outcomes) and all(o == "better" for o in outcomes),
            "context_mixed": "better" in outcomes and any(o != "better" for o in outcomes)}


def _focus(top: pd.DataFrame, fc: pd.DataFrame | None, located: int) -> dict | None:
    if top.empty:
        return None
    r = top.iloc[0]
    out = {"kind": "focus", "unit_code": r["unit_code"], "share": float(r["share"]), "events": int(r["events"]),
           "located": int(located), "top_n": int(len(top)), "top_share": float(top["share"].sum())}
    if fc is not None and len(fc):
        f = fc[(fc["unit_code"] == r["unit_code"]) & (fc["horizon"] == 1)]
        if len(f):
            out.update(_band(float(f["p_any"].iloc[0])), month=f["month"].iloc[0], basis="forecast")
            return out
    out.update(_band(1 - float(r["q_value"])), basis="test")
    return out


def _shift(focus: pd.DataFrame) -> dict | None:
    if focus is None or focus.empty:
        return None
    alpha = float(focus.attrs.get("alpha", 0.05))
    f = focus[(focus["events"] + focus["baseline_events"]) > 0].copy()
    if f.empty:
        return None
    f["delta"] = f["share"] - f["baseline_share"]
    sig = f[f["q_value"] < alpha]
    up = sig[sig["delta"] > 0].sort_values("delta", ascending=False)
    down = sig[sig["delta"] < 0].sort_values("delta")
    if up.empty and down.empty:
        best = f.sort_values("q_value").iloc[0]
        return {"kind": "shift", "direction": "none", "unit_code": best["unit_code"],
                "share": float(best["share"]), "baseline_share": float(best["baseline_share"]),
                "q_value": float(best["q_value"]), **_band(1 - float(best["q_value"]))}
    r = up.iloc[0] if len(up) else down.iloc[0]
    out = {"kind": "shift", "direction": "up" if len(up) else "down", "unit_code": r["unit_code"],
           "share": float(r["share"]), "baseline_share": float(r["baseline_share"]), "q_value": float(r["q_value"]),
           "rate_ratio": float(r["rate_ratio"]) if math.isfinite(float(r["rate_ratio"])) else None,
           "n_up": int(len(up)), "n_down": int(len(down)), **_band(1 - float(r["q_value"]))}
    if len(up) and len(down):
        d = down.iloc[0]
        out["away"] = {"unit_code": d["unit_code"], "share": float(d["share"]),
                       "baseline_share": float(d["baseline_share"])}
    return out


def _why(summary: dict | None, top_codes: list[str]) -> dict | None:
    if not summary or not summary["places"]:
        return None
    places = [p for p in summary["places"] if p["unit_code"] in top_codes] or summary["places"]
    pers = [p["persistence"] for p in places if p["persistence"] is not None]
    supported = [(p["unit_code"], s) for p in places for s in p["supported"]]
    best = max(supported, key=lambda x: x[1]["share"]) if supported else None
    # rule: context better in every out-of-sample check and an objective supported -> likely (0.7);
    # mixed checks -> roughly even (0.5); context no better anywhere -> unlikely (0.3)
    if summary["context_better"] and best:
        p = 0.7
    elif summary["context_better"] or summary["context_mixed"]:
        p = 0.5
    else:
        p = 0.3
    return {"kind": "why", "persistence_min": min(pers) if pers else None, "persistence_max": max(pers) if pers else None,
            "oos": summary["oos"], "test_year": summary["test_year"],
            "best": {"unit_code": best[0], **best[1]} if best else None, **_band(p)}


def _next(fc: pd.DataFrame | None) -> dict | None:
    if fc is None or fc.empty:
        return None
    for col, k in (("p_ge_10", 10), ("p_ge_5", 5), ("p_any", 1)):
        if col in fc and (fc[col] >= 0.55).any():
            r = fc.sort_values([col, "mean"], ascending=False).iloc[0]
            return {"kind": "next", "unit_code": r["unit_code"], "month": r["month"], "threshold": k,
                    "median": float(r["q50"]), "q05": float(r["q05"]), "q95": float(r["q95"]), **_band(float(r[col]))}
    r = fc.sort_values("p_any", ascending=False).iloc[0]
    return {"kind": "next", "unit_code": r["unit_code"], "month": r["month"], "threshold": 1,
            "median": float(r["q50"]), "q05": float(r["q05"]), "q95": float(r["q95"]), **_band(float(r["p_any"]))}


def _calendar_effect(explanation: dict | None) -> dict | None:
    for e in (explanation or {}).get("effects", []) or []:
        if e.get("feature") == "pre_vote_3m":
            return {"irr": e.get("irr"), "ci_low": e.get("ci_low"), "ci_high": e.get("ci_high")}
    return None


def _watch(calendar: pd.DataFrame | None, explanation: dict | None, fc: pd.DataFrame | None,
           monthly_rate: dict[str, float], skip: str | None) -> dict | None:
    ahead = calendar[calendar["when"] == "ahead"].sort_values("date") if calendar is not None and len(calendar) \
        and "when" in calendar else pd.DataFrame()
    if len(ahead):
        v = ahead.iloc[0]
        eff = _calendar_effect(explanation)
        # rule: the pre-vote rate ratio's 95% CI above 1 -> likely (0.7); below 1 -> unlikely (0.3); else even
        p = 0.5
        if eff and eff["ci_low"] is not None and eff["ci_low"] > 1:
            p = 0.7
        elif eff and eff["ci_high"] is not None and eff["ci_high"] < 1:
            p = 0.3
        return {"kind": "watch", "basis": "vote", "date": v["date"], "event": v["event"], "country": v["country"],
                "category": v.get("category"), "scope": v.get("scope"), "effect": eff, "n_ahead": int(len(ahead)),
                **_band(p)}
    if fc is None or fc.empty:
        return None
    f = fc[fc["unit_code"] != skip].copy() if skip else fc.copy()
    if f.empty:
        return None
    f["rate"] = f["unit_code"].map(monthly_rate).fillna(0.0)
    f["reach"] = f["q95"] - f["rate"]
    r = f.sort_values("reach", ascending=False).iloc[0]
    k = max(1, int(math.ceil(r["rate"] * 1.5)))  # a month half again above the window's average
    col = "p_ge_10" if k >= 10 and "p_ge_10" in f else ("p_ge_5" if k >= 5 and "p_ge_5" in f else "p_any")
    k = {"p_ge_10": 10, "p_ge_5": 5, "p_any": 1}[col]
    return {"kind": "watch", "basis": "forecast", "unit_code": r["unit_code"], "month": r["month"],
            "rate": float(r["rate"]), "q95": float(r["q95"]), "threshold": k, **_band(float(r[col]))}


def key_judgements(data) -> list[dict]:
    """The 3–6 key judgements of a brief (:class:`~rasid.report.BriefData`), most important first."""
    top = data.top
    fc = data.tables.get("forecast")
    focus = data.tables.get("focus")
    out = []
    j = _focus(top, fc, data.totals.get("located_events", 0))
    if j:
        out.append(j)
    j = _shift(focus)
    if j:
        out.append(j)
    j = _why(why_summary(data.explanation), top["unit_code"].tolist() if len(top) else [])
    if j:
        out.append(j)
    nxt = _next(fc)
    if nxt:
        out.append(nxt)
    months = max(1, round((pd.Timestamp(data.window[1]) - pd.Timestamp(data.window[0])).days / 30.44))
    rate = {r["unit_code"]: r["events"] / months for _, r in top.iterrows()} if len(top) else {}
    j = _watch(data.tables.get("calendar"), data.explanation, fc, rate, nxt["unit_code"] if nxt else None)
    if j:
        out.append(j)
    return out[:6]
