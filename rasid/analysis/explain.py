"""Why there: attribute an actor's focus on places to objectives (oil, disputed territory, corridors, ...).

Unit-month panel of the actor's events in the window, joined to the context layers and the actor's own
history. Two models:

* negative binomial GLM (statsmodels), features standardised, cluster-robust errors by unit: effect sizes
  (incidence-rate ratios per 1 SD) with 95% CIs, and a joint Wald test per objective;
* LightGBM (Poisson) with per-prediction contributions (``pred_contrib``): per place, the excess of its
  mean log-rate over the region average is split over the objectives; shares get a cluster (unit)
  bootstrap interval.

An out-of-sample check (fit on the years before the window's last year, score that year against a
history-only and a constant-rate null) is reported beside every explanation.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import pandas as pd

from rasid.analysis._threads import single_threaded
from rasid.analysis.counts import nb_glm, nb_loglik, poisson_deviance
from rasid.analysis.features import FEATURES, STATIC_FEATURES, FeatureTable
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.context.layers import unit_features
from rasid.errors import ModelError, QueryError
from rasid.events.query import resolve_units
from rasid.events.window import Window
from rasid.geo.geocoder import geocode
from rasid.geo.units import unit_frame
from rasid.lang.normalize import loose_key, normalize_name

__all__ = ["explain", "explain_panel", "Explanation", "OBJECTIVES", "MODEL_FEATURES"]

#: objectives with data features (ids as in motive extraction) + the actor's own history + unit size control
OBJECTIVES = ("oil", "disputed_territory", "corridor", "prisoners", "social_base", "political_calendar", "history",
              "unit_size")
_CONTROLS = {"unit_size"}
#: the explanation's features (from the shared feature table) -> (objective, description); history comes from
#: the month before each unit-month (the unit's own last 12 months, its neighbours' last 3)
_EXPLAIN_FEATURES = [*STATIC_FEATURES[:-1], "pre_vote_3m", "vote_month", "y_m12", "nb_m3", "log_area"]
MODEL_FEATURES: dict[str, tuple[str, str]] = {f: (FEATURES[f].objective, FEATURES[f].description)
                                              for f in _EXPLAIN_FEATURES}
_TEXT_OBJECTIVES = ("oil", "disputed_territory", "corridor", "social_base", "prisoners", "political_calendar",
                    "revenge", "other")
_FACTS = ("n_oil_sites", "n_oil_sites_25km", "dist_oil_km", "pipeline_km", "disputed", "dist_border_km",
          "dist_crossing_km", "dist_route_km", "dist_detention_km", "population", "n_places")
_HIST_MONTHS = 12


@dataclass
class Explanation:
    """Result of :func:`explain`: places with attributed objectives, effects and the out-of-sample check."""

    actor: str | None
    window: tuple[dt.date, dt.date]
    unit: str
    countries: list[str]
    measure: str
    places: list[dict]
    effects: pd.DataFrame
    out_of_sample: dict
    region_expected: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dict: ``places`` (unit_code, unit_en, unit_ar, observed, expected, objectives...),
        ``effects`` and the top-level ``out_of_sample`` block."""
        eff = self.effects.replace({np.nan: None}).to_dict(orient="records")
        return {
            "actor": self.actor,
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "unit": self.unit,
            "countries": self.countries,
            "measure": self.measure,
            "expected_basis": "region average per unit over the window",
            "share_basis": ("LightGBM contributions (mean log-rate of the place's unit-months minus the region's "
                            "mean), summed per objective, divided by the sum of their absolute values; "
                            "negative = pulls focus away; CI: 2.5-97.5% of a unit (cluster) bootstrap"),
            "places": self.places,
            "effects": eff,
            "out_of_sample": self.out_of_sample,
            "notes": self.notes,
        }


# --- panel -----------------------------------------------------------------------------------------------------------
def explain_panel(events: pd.DataFrame, spec: PanelSpec) -> pd.DataFrame:
    """Unit-month rows of ``spec.window``: ``y`` (the measure), deaths and the features of :data:`MODEL_FEATURES`.

    History features of month t come from months up to t - 1 (the panel starts 12 months before the window).
    """
    w = spec.need_window()
    panel = build_panel(events, spec.replace(period="month", window=w.extended(12)))
    table = FeatureTable(panel, static=True, calendar=True)
    df = table.frame(h=1, names=list(MODEL_FEATURES))
    return df[df.period >= w.first_month].reset_index(drop=True)


# --- models ----------------------------------------------------------------------------------------------------------
def _usable(panel: pd.DataFrame, feats: list[str]) -> list[str]:
    """Features that vary in the panel."""
    return [f for f in feats if panel[f].notna().all() and panel[f].std() > 1e-9]


def _design(panel: pd.DataFrame, feats: list[str], scale: tuple[pd.Series, pd.Series] | None = None):
    """Standardised design matrix with a constant; returns (X, (mean, sd))."""
    x = panel[feats].astype(float)
    mu, sd = scale if scale is not None else (x.mean(), x.std().replace(0, 1))
    z = (x - mu) / sd
    z.insert(0, "const", 1.0)
    return z, (mu, sd)


def _fit_nb(y: np.ndarray, X: pd.DataFrame, groups: np.ndarray | None):
    """NB2 GLM (:func:`rasid.analysis.counts.nb_glm`), cluster-robust SEs by unit when ``groups`` is given."""
    return nb_glm(y, X, groups=groups)


def _lgb(seed: int):
    return lgb.LGBMRegressor(objective="poisson", n_estimators=150, learning_rate=0.08, num_leaves=8,
                             min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                             reg_lambda=1.0, random_state=seed, n_jobs=1, verbose=-1, deterministic=True,
                             force_row_wise=True)


def _contrib_by_objective(model, X: pd.DataFrame, feats: list[str]) -> pd.DataFrame:
    """Per row, LightGBM contributions (log-rate scale) summed by objective."""
    c = model.predict(X[feats], pred_contrib=True)
    df = pd.DataFrame(c[:, :-1], columns=feats)
    return df.T.groupby(lambda f: MODEL_FEATURES[f][0]).sum().T


def _place_contrib(contrib: pd.DataFrame, place_rows: np.ndarray) -> pd.Series:
    """Mean contribution over the place's rows minus the mean over the region's rows, per objective."""
    return contrib.iloc[place_rows].mean() - contrib.mean()


def _shares(c: pd.Series) -> pd.Series:
    """Signed shares: contribution / sum of absolute contributions (shares' absolute values sum to 1)."""
    tot = c.abs().sum()
    return c / tot if tot > 0 else c * 0.0


# --- out of sample ---------------------------------------------------------------------------------------------------
def _scores(y: np.ndarray, mu: np.ndarray, alpha: float, units: np.ndarray, months: np.ndarray) -> dict:
    """Deviance, NB log-likelihood, MAE; plus the deviance of the predictions rescaled to each month's observed
    total (``where_deviance``: skill at *where*, not at *how much*)."""
    df = pd.DataFrame({"u": units, "t": months, "y": y, "m": mu})
    tot = df.groupby("u")[["y", "m"]].sum()
    mt = df.groupby("t")[["y", "m"]].transform("sum")
    where = np.where(mt.m > 0, df.m * mt.y / mt.m.where(mt.m > 0, 1), 0.0)
    return {"poisson_deviance": round(poisson_deviance(y, mu), 4), "nb_loglik": round(nb_loglik(y, mu, alpha), 2),
            "mae": round(float(np.mean(np.abs(y - mu))), 4),
            "mae_unit_total": round(float(np.mean(np.abs(tot.y - tot.m))), 3),
            "where_deviance": round(poisson_deviance(y, where), 4)}


def _out_of_sample(events: pd.DataFrame, spec: PanelSpec, *, feats: list[str], seed: int,
                   train_years: int = 3) -> dict:
    """Fit on the years before ``end``'s year, score that year: context model vs history-only vs constant rate."""
    test_year = spec.need_window().end.year
    dates = pd.to_datetime(events["date_start"]) if len(events) else pd.Series([], dtype="datetime64[ns]")
    out: dict = {"train_years": None, "test_year": test_year, "verdict": None}
    if not len(dates) or dates.max().year < test_year or dates.min().year > test_year - 1:
        out["verdict"] = f"not available: no {test_year} data or no earlier years to train on"
        return out
    first = max(test_year - max(train_years, 1), int(dates.min().year))
    panel = explain_panel(events, spec.replace(window=Window(dt.date(first, 1, 1), dt.date(test_year, 12, 31))))
    train, test = panel[panel.period.dt.year < test_year], panel[panel.period.dt.year == test_year]
    out["train_years"] = [first, test_year - 1]
    out["test_rows"] = len(test)
    hist = _usable(train, [f for f in MODEL_FEATURES if MODEL_FEATURES[f][0] == "history"])  # the null always uses the actor's history
    if not hist:
        out["verdict"] = "not available: the actor has no history before the test year"
        return out
    ctx_only = _usable(train, [f for f in feats if MODEL_FEATURES[f][0] != "history"])
    specs = {"context": ctx_only + hist, "history": hist, "context_only": ctx_only}
    models: dict[str, dict] = {}
    ytr, yte = train.y.to_numpy(), test.y.to_numpy()
    u, t = test.unit_code.to_numpy(), test.period.to_numpy()
    try:
        alpha = 1.0
        for name, fs in specs.items():
            X, sc = _design(train, fs)
            res = _fit_nb(ytr, X, None)
            alpha = res.nb_alpha if name == "context" else alpha
            Xt, _ = _design(test, fs, sc)
            models[f"{name}_glm"] = _scores(yte, np.asarray(res.predict(Xt)), res.nb_alpha, u, t)
        for name, fs in specs.items():
            m = _lgb(seed).fit(train[fs], ytr)
            models[f"{name}_lgbm"] = _scores(yte, m.predict(test[fs]), alpha, u, t)
        rate = max(ytr.mean(), 1e-6)
        a0 = float(np.clip((ytr.var() - rate) / rate**2, 1e-4, 50))
        models["constant_rate"] = _scores(yte, np.full(len(yte), rate), a0, u, t)
    except (ValueError, np.linalg.LinAlgError) as exc:
        out["verdict"] = f"not available: {exc}"
        return out
    out["models"] = models
    dev = {k: v["poisson_deviance"] for k, v in models.items()}
    wdev = {k: v["where_deviance"] for k, v in models.items()}
    verdicts, gains, alone, where_gain = [], {}, {}, {}
    for fam, label in (("lgbm", "LightGBM (attributions)"), ("glm", "NB GLM (effects)")):
        ctx, nul = dev[f"context_{fam}"], dev[f"history_{fam}"]
        gains[fam] = round((nul - ctx) / nul if nul > 0 else 0.0, 4)
        c0 = dev["constant_rate"]
        alone[fam] = round((c0 - dev[f"context_only_{fam}"]) / c0 if c0 > 0 else 0.0, 4)
        wn = wdev[f"history_{fam}"]
        where_gain[fam] = round((wn - wdev[f"context_{fam}"]) / wn if wn > 0 else 0.0, 4)
        if gains[fam] <= 0.01:
            verdicts.append(f"{label}: context adds nothing out of sample beyond the actor's own history "
                            f"({test_year} deviance {ctx:.3f} vs {nul:.3f} history-only)")
        else:
            verdicts.append(f"{label}: context improves on history-only by {gains[fam]:.1%} ({test_year} "
                            f"deviance {ctx:.3f} vs {nul:.3f})")
    out["deviance_gain_vs_history"] = gains
    out["context_only_gain_vs_constant"] = alone
    out["where_gain_vs_history"] = where_gain
    out["context_adds"] = {k: v > 0.01 for k, v in gains.items()}
    out["verdict"] = "; ".join(verdicts) + (
        f"; without history, context alone vs a constant rate: {alone['lgbm']:+.1%} (LightGBM), "
        f"{alone['glm']:+.1%} (GLM) deviance reduction; on where only (predictions rescaled to each month's "
        f"total), context vs history-only: {where_gain['lgbm']:+.1%} (LightGBM), {where_gain['glm']:+.1%} (GLM)")
    return out


# --- evidence --------------------------------------------------------------------------------------------------------
def _fold(s: object) -> str:
    return re.sub(r"[^0-9a-z\u0600-\u06ff]", "", normalize_name(str(s))) if isinstance(s, str) else ""


def _place_tokens(v: object) -> list[str]:
    """Place names/codes of a motive row (list, tuple or '|'/';'-separated string)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    if isinstance(v, (list, tuple, set, np.ndarray)):
        items = list(v)
    else:
        items = re.split(r"[|;,]", str(v))
    out = []
    for it in items:
        if isinstance(it, dict):
            out.extend(str(x) for x in it.values() if isinstance(x, str))
        elif isinstance(it, str) and it.strip():
            out.append(it.strip())
    return out


def _motive_keys(motives: pd.DataFrame) -> list[set[str]]:
    """Per motive row, the keys of its places: folded names, loose keys, codes, and geocoded admin codes."""
    code_cols = [c for c in ("places", "place", "admin2_code", "admin1_code", "unit_code", "place_codes")
                 if c in motives]
    resolved: dict[str, set[str]] = {}
    out = []
    for row in motives[code_cols].itertuples(index=False):
        keys: set[str] = set()
        for tok in (t for v in row for t in _place_tokens(v)):
            if tok not in resolved:
                resolved[tok] = {_fold(tok), _loose(tok), tok} | _geocoded(tok)
            keys |= resolved[tok]
        out.append(keys - {""})
    return out


def _geocoded(name: str) -> set[str]:
    """Admin codes of the best gazetteer candidate for a place name (empty if the geocoder is unavailable)."""
    cands = geocode(name)
    if not cands:
        return set()
    best = cands[0]
    return {c for c in (getattr(best, "admin1_code", None), getattr(best, "admin2_code", None)) if c}


def _evidence(motives: pd.DataFrame | None, keys: list[set[str]] | None, place: pd.Series,
              max_per: int = 3) -> dict[str, list[dict]]:
    """Motive rows that name the place (``match`` "unit") or its governorate ("governorate"), by objective."""
    if motives is None or motives.empty or keys is None:
        return {}
    unit_keys = {place.unit_code, _fold(place.unit_en), _fold(place.unit_ar), _loose(place.unit_en)} - {"", None}
    gov_keys = {place.admin1_code, _fold(place.admin1_en), _fold(place.admin1_ar), _loose(place.admin1_en)} - {"", None}
    out: dict[str, list[dict]] = {}
    for row, k in zip(motives.itertuples(index=False), keys, strict=True):
        match = "unit" if k & unit_keys else "governorate" if k & gov_keys else None
        if match is None:
            continue
        lst = out.setdefault(str(getattr(row, "objective", "other")), [])
        if len(lst) < max_per:
            lst.append({"quote": getattr(row, "sentence", None), "url": getattr(row, "url", None),
                        "doc_id": getattr(row, "doc_id", None), "match": match})
    for lst in out.values():
        lst.sort(key=lambda e: e["match"] != "unit")
    return out


def _loose(s: object) -> str:
    k = loose_key(s) if isinstance(s, str) else ""
    return k if len(k) >= 3 else ""


# --- main ------------------------------------------------------------------------------------------------------------
def _resolve_places(place: str | list[str] | None, units: pd.DataFrame, unit: str) -> list[str]:
    if place is None:
        return []
    names = [p.strip() for p in (place.split(",") if isinstance(place, str) else place) if p.strip()]
    codes = set(units.unit_code)
    out = []
    for n in names:
        if n in codes:
            out.append(n)
            continue
        hit = units[[_fold(n) in {_fold(a), _fold(b)} for a, b in zip(units.unit_en, units.unit_ar, strict=True)]]
        if hit.empty and unit in ("admin1", "admin2"):
            hit = units[units.unit_code.isin(resolve_units([n], unit))]
        if hit.empty:
            raise QueryError(f"place {n!r} is not a {unit} unit of the region")
        out.extend(hit.unit_code)
    return list(dict.fromkeys(out))


@single_threaded
def explain(
    events: pd.DataFrame,
    spec: PanelSpec,
    *,
    place: str | list[str] | None = None,
    motives: pd.DataFrame | None = None,
    seed: int = 0,
    top: int = 10,
    n_boot: int = 30,
    out_of_sample: bool = True,
    history: bool = True,
    train_years: int = 3,
) -> Explanation:
    """Explain the actor's focus on places in ``spec.window``: objectives per place with shares, CIs and evidence.

    ``events`` are the actor's events (canonical columns; history before the window is used when present).
    ``place`` picks places (names or codes); default: the ``top`` places by observed count. ``motives`` is an
    optional table of extracted motives (``objective, sentence, places, url, doc_id``). ``history=False``
    leaves the actor's own past and its neighbours' out of the models (context only). The out-of-sample
    check trains on the ``train_years`` years before the window's last year and scores that year.
    """
    spec = spec.replace(period="month")
    w = spec.need_window()
    start, end = w.start, w.end
    unit, ctry, measure = spec.unit, list(spec.countries), spec.measure
    uf = pd.DataFrame(unit_frame(unit, ctry).drop(columns="geometry"))
    lay = unit_features(unit, ctry).set_index("unit_code")
    panel = explain_panel(events, spec)
    if panel.y.sum() == 0:
        raise ModelError(f"no {measure} of the actor in {start}..{end} in {', '.join(ctry)}: nothing to explain")
    feats = _usable(panel, [f for f in MODEL_FEATURES if history or MODEL_FEATURES[f][0] != "history"])
    notes: list[str] = []
    dropped = [f for f in MODEL_FEATURES if f not in feats and (history or MODEL_FEATURES[f][0] != "history")]
    if dropped:
        notes.append(f"features constant in the region/window, left out: {', '.join(dropped)}")

    # GLM effects
    X, (mu_, sd_) = _design(panel, feats)
    groups = pd.factorize(panel.unit_code)[0]
    try:
        glm = _fit_nb(panel.y.to_numpy(), X, groups)
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise ModelError(f"negative binomial GLM cannot be fitted: {exc}") from exc
    effects = _effects(glm, feats, sd_)

    # LightGBM attribution
    y = panel.y.to_numpy()
    model = _lgb(seed).fit(panel[feats], y)
    contrib = _contrib_by_objective(model, panel, feats)
    pred = model.predict(panel[feats])
    units = panel.unit_code.to_numpy()
    obs_unit = panel.groupby("unit_code").y.sum()
    deaths_unit = panel.groupby("unit_code").deaths_best.sum()
    pred_unit = pd.Series(pred, index=units).groupby(level=0).sum()
    expected = float(obs_unit.mean())
    chosen = _resolve_places(place, uf, unit) or list(obs_unit[obs_unit > 0].sort_values(ascending=False)
                                                       .index[:top])
    rows_of = {c: np.flatnonzero(units == c) for c in chosen}
    point = {c: _place_contrib(contrib, rows_of[c]) for c in chosen}
    boots = _bootstrap(panel, feats, chosen, rows_of, seed, n_boot)

    objs = [o for o in OBJECTIVES if o in contrib.columns]
    mkeys = _motive_keys(motives) if motives is not None and not motives.empty else None
    places = []
    for c in chosen:
        info = uf.set_index("unit_code").loc[c]
        sh = _shares(point[c])
        bs = pd.DataFrame([_shares(b) for b in boots[c]]) if boots[c] else pd.DataFrame(columns=objs)
        ctx_objs = [o for o in objs if o != "history"]
        if not ctx_objs:
            ctx_objs = objs
        shx = _shares(point[c][ctx_objs])
        bx = pd.DataFrame([_shares(b[ctx_objs]) for b in boots[c]]) if boots[c] else pd.DataFrame(columns=ctx_objs)
        xlo = bx.quantile(0.025) if len(bx) else pd.Series(dtype=float)
        xhi = bx.quantile(0.975) if len(bx) else pd.Series(dtype=float)
        ev = _evidence(motives, mkeys, pd.Series({"unit_code": c, **info.to_dict()}))
        items = []
        for o in objs:
            lo_, hi_ = (np.nanpercentile(bs[o], [2.5, 97.5]) if len(bs) else (np.nan, np.nan))
            items.append({
                "objective": o, "kind": "control" if o in _CONTROLS else "objective",
                "share": round(float(sh[o]), 3), "ci_low": _r(lo_), "ci_high": _r(hi_),
                "share_excl_history": _r(shx.get(o, np.nan)), "ci_low_excl_history": _r(xlo.get(o, np.nan)),
                "ci_high_excl_history": _r(xhi.get(o, np.nan)),
                "contribution": round(float(point[c][o]), 3),
                "features": {f: round(float(panel.loc[rows_of[c], f].mean()), 3)
                             for f in feats if MODEL_FEATURES[f][0] == o},
                "evidence": ev.get(o, []),
            })
        items.sort(key=lambda d: -d["share"])
        obs = float(obs_unit.get(c, 0.0))
        places.append({
            "unit_code": c, "unit_en": info.unit_en, "unit_ar": info.unit_ar, "admin1_en": info.admin1_en,
            "observed": obs, "expected": round(expected, 3), "predicted": round(float(pred_unit.get(c, 0.0)), 2),
            "deaths_observed": float(deaths_unit.get(c, 0.0)),
            "excess": round(obs - expected, 3),
            "log_ratio_observed": round(float(np.log((obs + 0.5) / (expected + 0.5))), 3),
            "model_gap": round(float(point[c].sum()), 3),
            "layers": {k: round(float(lay.loc[c, k]), 2) for k in _FACTS},
            "objectives": items,
            "text_only_evidence": {k: v for k, v in ev.items() if k not in objs},
        })
    oos = (_out_of_sample(events, spec, feats=feats, seed=seed, train_years=train_years)
           if out_of_sample else {"verdict": "not run"})
    notes.append("social_base uses GeoNames population and settlement counts: a proxy, not a measured social base")
    notes.append("layers are static positions (2024/25 statuses); control lines over time are not modelled")
    return Explanation(actor=spec.actor, window=(start, end), unit=unit, countries=ctry, measure=measure,
                       places=places, effects=effects, out_of_sample=oos, region_expected=expected, notes=notes)


def _r(v: float) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), 3)


def _effects(glm, feats: list[str], sd: pd.Series) -> pd.DataFrame:
    """Tidy IRRs per 1 SD with 95% cluster-robust CIs, plus the objective's joint Wald p-value."""
    params, bse, pv = glm.params, glm.bse, glm.pvalues
    joint: dict[str, float] = {}
    for o in OBJECTIVES:
        fs = [f for f in feats if MODEL_FEATURES[f][0] == o]
        if not fs:
            continue
        R = np.zeros((len(fs), len(params)))
        for i, f in enumerate(fs):
            R[i, list(params.index).index(f)] = 1.0
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                joint[o] = float(np.asarray(glm.wald_test(R, scalar=True).pvalue))
        except (ValueError, np.linalg.LinAlgError):
            joint[o] = np.nan
    rows = []
    for f in feats:
        b, s = float(params[f]), float(bse[f])
        rows.append({"objective": MODEL_FEATURES[f][0], "feature": f, "description": MODEL_FEATURES[f][1],
                     "sd": float(sd[f]), "irr": np.exp(b), "ci_low": np.exp(b - 1.96 * s),
                     "ci_high": np.exp(b + 1.96 * s), "p_value": float(pv[f]),
                     "objective_p_value": joint.get(MODEL_FEATURES[f][0], np.nan)})
    df = pd.DataFrame(rows)
    df.attrs["nb_alpha"] = glm.nb_alpha
    return df


def _bootstrap(panel: pd.DataFrame, feats: list[str], chosen: list[str], rows_of: dict[str, np.ndarray],
               seed: int, n_boot: int) -> dict[str, list[pd.Series]]:
    """Cluster bootstrap over units: refit LightGBM, recompute each place's objective contributions."""
    out: dict[str, list[pd.Series]] = {c: [] for c in chosen}
    if n_boot <= 0:
        return out
    rng = np.random.default_rng(seed)
    codes = panel.unit_code.unique()
    idx_of = panel.groupby("unit_code").indices
    for b in range(n_boot):
        pick = rng.choice(codes, size=len(codes), replace=True)
        idx = np.concatenate([idx_of[c] for c in pick])
        sample = panel.iloc[idx]
        if sample.y.sum() == 0:
            continue
        m = _lgb(seed + b + 1).fit(sample[feats], sample.y.to_numpy())
        contrib = _contrib_by_objective(m, panel, feats)
        for c in chosen:
            out[c].append(_place_contrib(contrib, rows_of[c]))
    return out
