"""Out of sample, rolling: for every test year the store allows, fit on the years before it and score it.

Models (each a GLM; LightGBM too for the most recent years):

* ``history``: the actor's own past (persistence) — the null every other model must beat;
* ``static``: history + the static layers + the calendar (what ``rasid explain`` had before the
  time-varying layers);
* ``dynamic``: history + the time-varying layers;
* ``context``: history + static + calendar + time-varying;
* ``context_only``: context without history; ``constant_rate``: one rate for all;
* per claim objective, history + that objective's features (its *lift* over persistence), and the
  context model without that objective's features (its lift *given the other objectives*).

A year is *informative* for an objective when its main feature varies in the training years.

Rows of country-years the store does not cover are left out (:func:`rasid.analysis.explain.panel.coverage`).
Nothing is tuned on the test years: the feature sets, the model settings and the thresholds are fixed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.analysis.counts import nb_loglik, poisson_deviance
from rasid.analysis.explain.models import PREDICT_RIDGE, lgb_model, nb_params, parallel_map, standardise
from rasid.analysis.explain.panel import (
    CALENDAR,
    CLAIM_OBJECTIVES,
    DYNAMIC,
    HISTORY,
    MAIN_FEATURES,
    STATIC,
    features_of,
)
from rasid.errors import ModelError

__all__ = ["rolling_oos", "model_sets", "GAIN_MIN", "LGBM_YEARS"]

GAIN_MIN = 0.01  # a deviance reduction of more than 1% counts as "adds" (unchanged from the single-year check)
LGBM_YEARS = 3  # LightGBM is refitted for the most recent test years only (GLMs for every year)


def model_sets(feats: list[str]) -> dict[str, list[str]]:
    """Feature lists of the compared models, from the features usable in the window."""
    hist = [f for f in HISTORY if f in feats]
    static = [f for f in [*STATIC, *CALENDAR, "log_area"] if f in feats]
    dyn = [f for f in DYNAMIC if f in feats]
    return {"context": [*static, *dyn, *hist], "history": hist, "static": [*static, *hist], "dynamic": [*dyn, *hist],
            "context_only": [*static, *dyn]}


class _Data:
    """The covered rows as arrays (feature matrix, counts, years, unit and month codes) for fast refits."""

    def __init__(self, fr: pd.DataFrame, cols: list[str]) -> None:
        self.cols = {c: i for i, c in enumerate(cols)}
        self.A = fr[cols].to_numpy(dtype=np.float64)
        self.y = fr.y.to_numpy(dtype=np.float64)
        self.year = fr.period.dt.year.to_numpy()
        self.unit = pd.factorize(fr.unit_code)[0]
        self.month = pd.factorize(fr.period)[0]

    def usable(self, rows: np.ndarray, feats: list[str]) -> list[str]:
        """Features that vary (and are finite) on ``rows``."""
        if rows.sum() < 2:
            return []
        x = self.A[np.ix_(rows, [self.cols[f] for f in feats])]
        ok = np.isfinite(x).all(axis=0) & (x.std(axis=0, ddof=1) > 1e-9)
        return [f for f, k in zip(feats, ok, strict=True) if k]

    def x(self, rows: np.ndarray, feats: list[str]) -> np.ndarray:
        return self.A[np.ix_(rows, [self.cols[f] for f in feats])]


def _scores(y: np.ndarray, mu: np.ndarray, alpha: float, units: np.ndarray, months: np.ndarray,
            full: bool) -> dict:
    """Mean Poisson deviance and ``where_deviance`` (predictions rescaled to each month's observed total: skill at
    *where*, not at *how much*); with ``full`` also the NB log-likelihood and MAEs."""
    _, m = np.unique(months, return_inverse=True)
    ty, tm = np.bincount(m, weights=y), np.bincount(m, weights=mu)
    scale = np.divide(ty, tm, out=np.zeros_like(ty), where=tm > 0)
    where = mu * scale[m]
    out = {"poisson_deviance": round(poisson_deviance(y, mu), 4), "where_deviance": round(poisson_deviance(y, where), 4)}
    if full:
        _, u = np.unique(units, return_inverse=True)
        uy, um = np.bincount(u, weights=y), np.bincount(u, weights=mu)
        out.update({"nb_loglik": round(nb_loglik(y, mu, alpha), 2), "mae": round(float(np.mean(np.abs(y - mu))), 4),
                    "mae_unit_total": round(float(np.mean(np.abs(uy - um))), 3)})
    return out


def _gain(null: float, alt: float) -> float:
    return round((null - alt) / null, 4) if null > 0 else 0.0


def _glm_predict(d: _Data, tr: np.ndarray, te: np.ndarray, fs: list[str]) -> tuple[np.ndarray, float]:
    """Fit on ``tr`` (ridge :data:`PREDICT_RIDGE`), predict ``te``; test values are clipped to the training range,
    so a log-linear model does not extrapolate a feature it never saw that high or low."""
    xtr = d.x(tr, fs)
    Xtr, Xte = standardise(xtr, np.clip(d.x(te, fs), xtr.min(axis=0), xtr.max(axis=0)))
    b, alpha = nb_params(Xtr, d.y[tr], ridge=PREDICT_RIDGE)
    return np.exp(np.clip(Xte @ b, -30, 15)), alpha


def _one_year(d: _Data, tr: np.ndarray, te: np.ndarray, sets: dict[str, list[str]],
              claim_sets: dict[str, list[str]], mains: dict[str, str | None], *, lgbm: bool, full: bool,
              seed: int) -> dict:
    ytr, yte = d.y[tr], d.y[te]
    u, t = d.unit[te], d.month[te]
    models: dict[str, dict] = {}
    alpha = 1.0
    for name, fs in sets.items():
        fs = d.usable(tr, fs)
        if not fs:
            continue
        mu, a = _glm_predict(d, tr, te, fs)
        alpha = a if name == "context" else alpha
        models[f"{name}_glm"] = _scores(yte, mu, a, u, t, full)
    if lgbm:
        for name in ("context", "history", "static", *(("context_only",) if full else ())):
            fs = d.usable(tr, sets[name])
            if fs:
                m = lgb_model(seed).fit(d.x(tr, fs), ytr)
                models[f"{name}_lgbm"] = _scores(yte, m.predict(d.x(te, fs)), alpha, u, t, full)
    rate = max(float(ytr.mean()), 1e-6)
    a0 = float(np.clip((ytr.var() - rate) / rate**2, 1e-4, 50))
    models["constant_rate"] = _scores(yte, np.full(len(yte), rate), a0, u, t, full)
    hist = d.usable(tr, sets["history"])
    full = d.usable(tr, sets["context"])
    lifts, cond = {}, {}
    dev_hist = models.get("history_glm", {}).get("poisson_deviance")
    dev_full = models.get("context_glm", {}).get("poisson_deviance")
    for o, fs in claim_sets.items():
        fo = d.usable(tr, fs) if fs else []
        main = mains.get(o)
        if not fo or not hist or dev_hist is None or main is None or main not in fo:
            lifts[o] = cond[o] = None  # not informative: the main feature does not vary in the training years
            continue
        mu, _ = _glm_predict(d, tr, te, [*fo, *hist])
        lifts[o] = _gain(dev_hist, poisson_deviance(yte, mu))
        rest = [f for f in full if f not in fo]
        if dev_full is not None and rest:
            mu, _ = _glm_predict(d, tr, te, rest)
            cond[o] = _gain(poisson_deviance(yte, mu), dev_full)
        else:
            cond[o] = None
    return {"models": models, "objective_lift": lifts, "objective_lift_given_others": cond}


def _gains(models: dict, fam: str) -> dict:
    d = {k: v["poisson_deviance"] for k, v in models.items()}
    w = {k: v["where_deviance"] for k, v in models.items()}
    g = {}
    if f"history_{fam}" in d:
        for alt in ("context", "static", "dynamic"):
            if f"{alt}_{fam}" in d:
                g[f"{alt}_vs_history"] = _gain(d[f"history_{fam}"], d[f"{alt}_{fam}"])
        if f"context_{fam}" in d:
            g["where_context_vs_history"] = _gain(w[f"history_{fam}"], w[f"context_{fam}"])
    if f"static_{fam}" in d and f"context_{fam}" in d:
        g["dynamic_over_static"] = _gain(d[f"static_{fam}"], d[f"context_{fam}"])
    if f"context_only_{fam}" in d:
        g["context_only_vs_constant"] = _gain(d["constant_rate"], d[f"context_only_{fam}"])
    return g


def rolling_oos(frame: pd.DataFrame, feats: list[str], *, last_year: int, train_years: int = 3, seed: int = 0,
                lgbm_years: int = LGBM_YEARS) -> dict:
    """The rolling check over every allowed test year up to ``last_year``, and the last year's block.

    ``frame`` is :func:`rasid.analysis.explain.panel.explain_frame` over the years before the window (with
    ``covered``). A test year is allowed when the store covers it and at least one of the ``train_years``
    years before it, and the actor has events in those training years.
    """
    sets = model_sets(feats)
    claim_sets = {o: features_of(o, [f for f in feats if f not in HISTORY]) for o in CLAIM_OBJECTIVES}
    mains = {o: next((f for f in MAIN_FEATURES[o] if f in claim_sets[o]), None) for o in CLAIM_OBJECTIVES}
    fr = frame[frame.covered]
    d = _Data(fr, list(dict.fromkeys([*sets["context"], *(f for fs in claim_sets.values() for f in fs)])))
    years = d.year
    out: dict = {"train_years": None, "test_year": last_year, "verdict": None, "by_year": []}
    if not sets["history"]:
        out["verdict"] = "not available: the actor has no history in the window's region"
        return out
    allowed = []
    for Y in sorted(set(years.tolist())):
        tr = (years >= Y - train_years) & (years < Y)
        if Y <= last_year and tr.any() and d.y[tr].sum() > 0:
            allowed.append(Y)
    recent = set(allowed[-lgbm_years:]) if lgbm_years > 0 else set()
    last_block = None

    def run(Y: int) -> dict | None:
        tr = (years >= Y - train_years) & (years < Y)
        try:
            return _one_year(d, tr, years == Y, sets, claim_sets, mains, lgbm=Y in recent, full=Y == last_year,
                             seed=seed)
        except (ModelError, ValueError, np.linalg.LinAlgError):
            return None

    for Y, res in zip(allowed, parallel_map(run, allowed), strict=True):
        if res is None:
            continue
        tr = (years >= Y - train_years) & (years < Y)
        te = years == Y
        ty = years[tr]
        entry = {"test_year": int(Y), "train_years": [int(ty.min()), int(ty.max())], "test_rows": int(te.sum()),
                 "test_events": float(d.y[te].sum()),
                 "models": {k: {"poisson_deviance": v["poisson_deviance"], "where_deviance": v["where_deviance"]}
                            for k, v in res["models"].items()},
                 "gains": {fam: _gains(res["models"], fam) for fam in ("glm", "lgbm")
                           if f"history_{fam}" in res["models"]},
                 "objective_lift": res["objective_lift"],
                 "objective_lift_given_others": res["objective_lift_given_others"]}
        out["by_year"].append(entry)
        if Y == last_year:
            last_block = (entry, res)
    out["summary"] = _summary(out["by_year"])
    if last_block is None:
        out["verdict"] = (f"not available: no {last_year} data in a covered country-year, or no earlier year "
                          "to train on")
        return out
    entry, res = last_block
    out.update(_last_year(entry, res))
    return out


def _summary(by_year: list[dict]) -> dict:
    """Across the test years: how often context, the static layers and the time-varying layers beat history."""
    def count(fam: str, key: str) -> dict:
        v = [e["gains"][fam][key] for e in by_year if fam in e["gains"] and key in e["gains"][fam]]
        return {"years": len(v), "years_better": int(sum(x > GAIN_MIN for x in v)),
                "median_gain": round(float(np.median(v)), 4) if v else None}
    keys = ("context_vs_history", "static_vs_history", "dynamic_vs_history", "dynamic_over_static")
    return {fam: {k: c for k in keys if (c := count(fam, k))["years"]} for fam in ("glm", "lgbm")}


def _last_year(entry: dict, res: dict) -> dict:
    """The window's last year in the shape of the single-year check (models, gains, verdict)."""
    models = res["models"]
    Y = entry["test_year"]
    gains, alone, where_gain, dyn = {}, {}, {}, {}
    verdicts = []
    d = {k: v["poisson_deviance"] for k, v in models.items()}
    for fam, label in (("lgbm", "LightGBM (attributions)"), ("glm", "NB GLM (effects)")):
        g = entry["gains"].get(fam, {})
        if "context_vs_history" not in g:
            continue
        gains[fam] = g["context_vs_history"]
        alone[fam] = g.get("context_only_vs_constant")
        where_gain[fam] = g.get("where_context_vs_history")
        dyn[fam] = g.get("dynamic_over_static")
        ctx, nul = d[f"context_{fam}"], d[f"history_{fam}"]
        if gains[fam] <= GAIN_MIN:
            verdicts.append(f"{label}: context adds nothing out of sample beyond the actor's own history "
                            f"({Y} deviance {ctx:.3f} vs {nul:.3f} history-only)")
        else:
            verdicts.append(f"{label}: context improves on history-only by {gains[fam]:.1%} ({Y} deviance "
                            f"{ctx:.3f} vs {nul:.3f})")
    tail = []
    if "glm" in alone and alone.get("glm") is not None:
        tail.append("without history, context alone vs a constant rate: "
                    + ", ".join(f"{alone[f]:+.1%} ({n})" for f, n in (("lgbm", "LightGBM"), ("glm", "GLM"))
                                if alone.get(f) is not None) + " deviance reduction")
    if where_gain:
        tail.append("on where only (predictions rescaled to each month's total), context vs history-only: "
                    + ", ".join(f"{where_gain[f]:+.1%} ({n})" for f, n in (("lgbm", "LightGBM"), ("glm", "GLM"))
                                if where_gain.get(f) is not None))
    if dyn.get("glm") is not None:
        tail.append("the time-varying layers " + ("add " if dyn["glm"] > GAIN_MIN else "add nothing ")
                    + "beyond the static layers and history: "
                    + ", ".join(f"{dyn[f]:+.1%} ({n})" for f, n in (("lgbm", "LightGBM"), ("glm", "GLM"))
                                if dyn.get(f) is not None))
    return {"train_years": entry["train_years"], "test_rows": entry["test_rows"], "models": models,
            "deviance_gain_vs_history": gains, "context_only_gain_vs_constant": alone,
            "where_gain_vs_history": where_gain, "dynamic_gain_vs_static": dyn,
            "context_adds": {k: v > GAIN_MIN for k, v in gains.items()},
            "verdict": "; ".join(verdicts + tail)}
