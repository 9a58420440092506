"""Explain the shift, not only the level: why did each place's share of the actor's events change between a
baseline period and the window?

One row per unit. ``y`` is the unit's count in the window; the model is an NB2 GLM

    log E[y_u] = b0 + b_p * z(log baseline share_u) + sum_f b_f * z(x_uf) + controls,

where ``x_uf`` is the *change* of each time-varying feature (its value when the window began, i.e. from the
events up to the month before the window, minus its baseline mean: the window's own events, which the
actor's attacks shape, are kept out) and the *level* of each static layer, and the controls are the
unit's log area and, with several countries, a country indicator (a country-wide swing is not a
motive). ``b_p`` is persistence, reported as persistence: 1 means shares carry over unchanged, < 1 that
they regress toward the mean. The intercept absorbs the window's total, so the effects are on each
place's *share*. Cluster-robust errors by governorate (heteroskedasticity-robust by unit when there
are fewer than 20 governorates).

A leave-one-governorate-out check compares persistence + controls with the full model on places it
was not fitted on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.analysis.counts import poisson_deviance
from rasid.analysis.explain.models import PREDICT_RIDGE, NBFit, design, nb_fit, nb_params, standardise
from rasid.analysis.explain.panel import DYNAMIC, KINDS, MODEL_FEATURES, STATIC, usable
from rasid.errors import ModelError

__all__ = ["shift_model", "SHIFT_MIN_CLUSTERS"]

SHIFT_MIN_CLUSTERS = 20
_PERSIST = "log_share_baseline"


def _unit_table(window: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    """Per unit: counts in both periods, baseline share, static levels and time-varying changes."""
    w = window.groupby("unit_code")
    b = baseline.groupby("unit_code")
    out = pd.DataFrame({"y": w.y.sum(), "y_base": b.y.sum()}).fillna(0.0)
    first = window.drop_duplicates("unit_code").set_index("unit_code")
    for c in ("country", "admin1_code"):
        if c in first:
            out[c] = first[c].reindex(out.index)
    n_b, n_u = out.y_base.sum(), len(out)
    out[_PERSIST] = np.log((out.y_base + 0.5) / (n_b + 0.5 * n_u))
    for f in [*STATIC, "log_area"]:
        out[f] = first[f].reindex(out.index)
    # the time-varying layers as known when the window began (its first month sees events up to the month
    # before it), minus their baseline mean: the window's own events, which the actor's attacks shape, stay out
    start = window[window.period == window.period.min()].set_index("unit_code")[DYNAMIC]
    bm = b[DYNAMIC].mean()
    for f in DYNAMIC:
        out[f] = (start[f] - bm[f].reindex(start.index).fillna(0.0)).reindex(out.index).fillna(0.0)
    return out


def _fit(t: pd.DataFrame, cols: list[str], groups: np.ndarray | None):
    X, (mu, sd) = design(t, cols)
    return nb_fit(t.y.to_numpy(), X, groups), X, sd


def _cv(t: pd.DataFrame, null_cols: list[str], full_cols: list[str]) -> dict | None:
    """Leave-one-governorate-out mean Poisson deviance of persistence-only vs the full shift model."""
    if "admin1_code" not in t or t.admin1_code.nunique() < 5:
        return None
    y = t.y.to_numpy(dtype=np.float64)
    gov = pd.factorize(t.admin1_code)[0]
    pred = {}
    for name, cols in (("persistence", null_cols), ("context", full_cols)):
        A = t[cols].to_numpy(dtype=np.float64)
        mu = np.zeros(len(t))
        for g in np.unique(gov):
            te = gov == g
            keep = A[~te].std(axis=0, ddof=1) > 1e-9
            a_tr = A[~te][:, keep]
            Xtr, Xte = standardise(a_tr, np.clip(A[te][:, keep], a_tr.min(axis=0), a_tr.max(axis=0)))
            try:
                b, _ = nb_params(Xtr, y[~te], ridge=PREDICT_RIDGE)
            except (np.linalg.LinAlgError, ValueError):
                return None
            mu[te] = np.exp(np.clip(Xte @ b, -30, 15))
        pred[name] = mu
    dp, dc = poisson_deviance(y, pred["persistence"]), poisson_deviance(y, pred["context"])
    return {"persistence_deviance": round(dp, 4), "context_deviance": round(dc, 4),
            "gain": round((dp - dc) / dp, 4) if dp > 0 else 0.0}


def _effects(fit: NBFit, cols: list[str], sd: pd.Series) -> list[dict]:
    rows = []
    for f in cols:
        b, s, p = fit.coef(f)
        if f == _PERSIST:
            o, desc, measure = "history", "log baseline share of the actor's events (persistence)", "level"
        elif f.startswith("country_"):
            o, desc, measure = "country", f"1 in {f.split('_', 1)[1]} (control)", "level"
        else:
            o, desc = MODEL_FEATURES[f]
            measure = "change" if f in DYNAMIC else "level"
        rows.append({"objective": o, "kind": KINDS.get(o, "control"), "feature": f, "measure": measure,
                     "description": desc, "sd": round(float(sd[f]), 4), "irr": round(float(np.exp(b)), 4),
                     "ci_low": round(float(np.exp(b - 1.96 * s)), 4), "ci_high": round(float(np.exp(b + 1.96 * s)), 4),
                     "p_value": round(p, 4)})
    return rows


def shift_model(frame: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp],
                baseline: tuple[pd.Timestamp, pd.Timestamp], *, places: list[str], top: int = 5) -> dict:
    """Fit the shift model on the covered units of ``frame`` (see the module doc); ``places`` are always listed,
    with the ``top`` gainers and losers of share."""
    fr = frame[frame.covered]
    win = fr[(fr.period >= window[0]) & (fr.period <= window[1])]
    base = fr[(fr.period >= baseline[0]) & (fr.period <= baseline[1])]
    out: dict = {"baseline": [baseline[0].strftime("%Y-%m-%d"), baseline[1].strftime("%Y-%m-%d")],
                 "window": [window[0].strftime("%Y-%m-%d"), window[1].strftime("%Y-%m-%d")]}
    both = set(win.unit_code) & set(base.unit_code)
    win, base = win[win.unit_code.isin(both)], base[base.unit_code.isin(both)]
    if base.y.sum() == 0 or win.y.sum() == 0:
        out["verdict"] = "not available: no events in the baseline or the window in covered country-years"
        return out
    t = _unit_table(win, base)
    controls = ["log_area"]
    if "country" in t and t.country.nunique() > 1:
        for c in sorted(t.country.unique())[1:]:
            t[f"country_{c}"] = (t.country == c).astype(float)
            controls.append(f"country_{c}")
    context = usable(t, [*STATIC, *DYNAMIC])
    null_cols = usable(t, [_PERSIST, *controls])
    full_cols = usable(t, [_PERSIST, *context, *controls])
    ng = t.admin1_code.nunique() if "admin1_code" in t else 0
    groups = (pd.factorize(t.admin1_code)[0] if ng >= SHIFT_MIN_CLUSTERS else np.arange(len(t)))
    try:
        fit, X, sd = _fit(t, full_cols, groups)
        null_fit, X0, _ = _fit(t, null_cols, groups)
    except ModelError as exc:
        out["verdict"] = f"not available: {exc}"
        return out
    mu1, mu0 = fit.predict(X.to_numpy()), null_fit.predict(X0.to_numpy())
    y = t.y.to_numpy()
    total_w, total_b = float(t.y.sum()), float(t.y_base.sum())
    effects = _effects(fit, full_cols, sd)
    joint = {}
    for o in {MODEL_FEATURES[f][0] for f in context}:
        idx = [fit.names.index(f) for f in context if MODEL_FEATURES[f][0] == o]
        joint[o] = round(fit.wald(idx), 4)
    for e in effects:
        e["objective_p_value"] = joint.get(e["objective"])
    # per-unit decomposition of the fitted log-rate relative to the average unit, by objective
    z = X.drop(columns="const")
    contrib = (z - z.mean()) * pd.Series(fit.params[1:], index=z.columns)
    by_obj = contrib.T.groupby(lambda f: "history" if f == _PERSIST else
                               ("country" if f.startswith("country_") else MODEL_FEATURES[f][0])).sum().T
    t = t.assign(share_base=t.y_base / total_b, share=t.y / total_w, pred_share=mu1 / mu1.sum(),
                 pred_share_persistence=mu0 / mu0.sum())
    t["change"] = t.share - t.share_base
    listed = list(dict.fromkeys([*[p for p in places if p in t.index],
                                 *t.change.sort_values(ascending=False).index[:top],
                                 *t.change.sort_values().index[:top]]))
    rows = []
    for u in listed:
        r = t.loc[u]
        rows.append({"unit_code": u, "baseline": float(r.y_base), "window": float(r.y),
                     "share_baseline": round(float(r.share_base), 4), "share_window": round(float(r.share), 4),
                     "change": round(float(r.change), 4),
                     "predicted_share": round(float(r.pred_share), 4),
                     "predicted_share_persistence": round(float(r.pred_share_persistence), 4),
                     "contributions": {k: round(float(v), 3) for k, v in by_obj.loc[u].items()}})
    cv = _cv(t, null_cols, full_cols)
    out.update({
        "units": int(len(t)), "total_baseline": total_b, "total_window": total_w, "nb_alpha": round(fit.alpha, 4),
        "clusters": "governorate" if ng >= SHIFT_MIN_CLUSTERS else "unit (heteroskedasticity-robust)",
        "persistence": next(e for e in effects if e["feature"] == _PERSIST),
        "effects": [e for e in effects if e["feature"] != _PERSIST],
        "in_sample": {"persistence_deviance": round(poisson_deviance(y, mu0), 4),
                      "context_deviance": round(poisson_deviance(y, mu1), 4)},
        "leave_one_governorate_out": cv,
        "places": rows,
    })
    if cv is None:
        out["verdict"] = "out-of-place check not available (fewer than 5 governorates)"
    elif cv["gain"] > 0.01:
        out["verdict"] = (f"context explains the shift beyond persistence on places it was not fitted on: deviance "
                          f"{cv['context_deviance']:.3f} vs {cv['persistence_deviance']:.3f} ({cv['gain']:+.1%})")
    else:
        out["verdict"] = (f"context does not explain the shift beyond persistence on places it was not fitted on: "
                          f"deviance {cv['context_deviance']:.3f} vs {cv['persistence_deviance']:.3f} "
                          f"({cv['gain']:+.1%})")
    return out
