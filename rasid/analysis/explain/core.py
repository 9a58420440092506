"""Why there: attribute an actor's focus on places to objectives, explain its shift, and give a verdict per claim.

Unit-month panel of the actor's events in the window with the shared feature table (static layers,
calendar, time-varying layers derived from every actor's events, the actor's own history). Models:

* negative binomial GLM, features standardised, cluster-robust errors by unit: effect sizes (IRR per 1 SD)
  with 95% CIs, and a joint Wald test per objective;
* LightGBM (Poisson) with per-prediction contributions: each place's excess over the region average is
  split over the objectives, with a cluster (unit) bootstrap interval;
* the shift model (:mod:`.shift`): each place's change of share between a baseline and the window;
* a verdict per claim (:mod:`.claims`), using the rolling out-of-sample check (:mod:`.oos`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rasid.analysis._threads import single_threaded
from rasid.analysis.explain.claims import Claim, claim_places, default_claims, evaluate_claims
from rasid.analysis.explain.evidence import evidence_for_place, motive_keys, resolve_places
from rasid.analysis.explain.models import (
    bootstrap,
    contrib_by_objective,
    design,
    effects_table,
    lgb_model,
    nb_fit,
    place_contrib,
    shares,
)
from rasid.analysis.explain.oos import LGBM_YEARS, rolling_oos
from rasid.analysis.explain.panel import KINDS, MODEL_FEATURES, OBJECTIVES, explain_frame, usable
from rasid.analysis.explain.shift import shift_model
from rasid.analysis.spec import PanelSpec
from rasid.context.forces import forces
from rasid.context.layers import unit_features
from rasid.errors import ModelError, QueryError
from rasid.events.window import Window
from rasid.geo.units import unit_frame

__all__ = ["explain", "Explanation"]

_FACTS = ("n_oil_sites", "n_oil_sites_25km", "dist_oil_km", "pipeline_km", "disputed", "dist_border_km",
          "dist_crossing_km", "dist_route_km", "dist_detention_km", "population", "n_places")
_MAX_OOS_YEARS = 20  # the rolling check looks back at most this many years before the window


@dataclass
class Explanation:
    """Result of :func:`explain`: places with attributed objectives, effects, the shift, claims, out-of-sample check."""

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
    claims: list[dict] = field(default_factory=list)
    shift: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dict: ``places``, ``effects``, ``out_of_sample`` (with ``by_year``), ``claims``, ``shift`` and
        ``context`` (coverage and sources of the time-varying layers); see docs/explain.md."""
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
            "claims": self.claims,
            "shift": self.shift,
            "context": self.context,
            "notes": self.notes,
        }


def _r(v: float | None) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), 3)


def _baseline(w: Window, baseline: Window | str | None) -> Window:
    """The shift's baseline: given, or the same number of months just before the window."""
    if baseline is not None:
        return Window.parse(baseline)
    months = (w.end.year - w.start.year) * 12 + w.end.month - w.start.month + 1
    start = (pd.Timestamp(w.start).to_period("M") - months).start_time
    return Window(start.date(), (pd.Timestamp(w.start) - pd.Timedelta(days=1)).date())


@single_threaded
def explain(
    events: pd.DataFrame,
    spec: PanelSpec,
    *,
    place: str | list[str] | None = None,
    motives: pd.DataFrame | None = None,
    claims: list[Claim] | None = None,
    context_events: pd.DataFrame | None = None,
    baseline: Window | str | None = None,
    seed: int = 0,
    top: int = 10,
    n_boot: int = 30,
    out_of_sample: bool = True,
    history: bool = True,
    train_years: int = 3,
    lgbm_years: int = LGBM_YEARS,
) -> Explanation:
    """Explain the actor's focus on places in ``spec.window``: objectives per place with shares, CIs and evidence,
    the shift of each place's share since ``baseline``, and a verdict per claim.

    ``events`` are the actor's events (all of its history in the store is used by the rolling check).
    ``context_events`` are every actor's events in the region, from which the time-varying layers are derived
    (default: ``events``, i.e. only the forces the actor fought; say so in a note). ``place`` picks places
    (names or codes); default: the ``top`` places by observed count. ``motives`` is an optional table of
    extracted motives (``objective, sentence, places, url, doc_id``). ``claims`` defaults to one claim per
    objective. ``history=False`` leaves the actor's own past out of the level models (context only); the
    claims and the out-of-sample check always measure against it. ``baseline`` defaults to the same number of
    months just before the window.
    """
    spec = spec.replace(period="month")
    w = spec.need_window()
    start, end = w.start, w.end
    unit, ctry, measure = spec.unit, list(spec.countries), spec.measure
    uf = pd.DataFrame(unit_frame(unit, ctry).drop(columns="geometry"))
    lay = unit_features(unit, ctry).set_index("unit_code")
    base = _baseline(w, baseline)
    claims = claims if claims is not None else default_claims()
    chosen = resolve_places(place, uf, unit)  # names are checked before any model is fitted
    groups = claim_places(claims, uf, unit)
    first = min(base.start.year, start.year)
    if out_of_sample and len(events):
        first = min(first, max(int(pd.to_datetime(events["date_start"]).min().year), end.year - _MAX_OOS_YEARS))
    frame, table = explain_frame(events, spec, first_year=first, context_events=context_events)
    in_w = (frame.period >= pd.Timestamp(w.first_month)) & (frame.period <= pd.Timestamp(end))
    win = frame[in_w & frame.covered].reset_index(drop=True)
    notes: list[str] = []
    if win.empty and in_w.any():
        raise ModelError(f"the store does not cover {', '.join(ctry)} in {start}..{end} (see coverage in "
                         "docs/explain.md): nothing to explain")
    if (in_w & ~frame.covered).any():
        gone = sorted(set(frame.loc[in_w & ~frame.covered, "country"]))
        notes.append(f"country-years the store does not cover are left out: {', '.join(gone)}")
    if win.empty or win.y.sum() == 0:
        raise ModelError(f"no {measure} of the actor in {start}..{end} in {', '.join(ctry)}: nothing to explain")
    all_feats = usable(win, list(MODEL_FEATURES))
    feats = [f for f in all_feats if history or MODEL_FEATURES[f][0] != "history"]
    dropped = [f for f in MODEL_FEATURES if f not in all_feats and (history or MODEL_FEATURES[f][0] != "history")]
    if dropped:
        notes.append(f"features constant in the region/window, left out: {', '.join(dropped)}")

    # GLM effects
    X, (_, sd_) = design(win, feats)
    try:
        glm = nb_fit(win.y.to_numpy(), X, pd.factorize(win.unit_code)[0])
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise ModelError(f"negative binomial GLM cannot be fitted: {exc}") from exc
    effects = effects_table(glm, feats, sd_)

    # LightGBM attribution
    y = win.y.to_numpy()
    model = lgb_model(seed).fit(win[feats], y)
    contrib = contrib_by_objective(model, win, feats)
    pred = model.predict(win[feats])
    units = win.unit_code.to_numpy()
    obs_unit = win.groupby("unit_code").y.sum()
    deaths_unit = win.groupby("unit_code").deaths_best.sum()
    pred_unit = pd.Series(pred, index=units).groupby(level=0).sum()
    expected = float(obs_unit.mean())
    chosen = chosen or list(obs_unit[obs_unit > 0].sort_values(ascending=False).index[:top])
    chosen = [c for c in chosen if c in set(units)] or chosen
    rows_of = {c: np.flatnonzero(units == c) for c in chosen}
    missing = [c for c in chosen if not len(rows_of[c])]
    if missing:
        raise QueryError(f"place {missing[0]} has no covered unit-months in the window")
    point = {c: place_contrib(contrib, rows_of[c]) for c in chosen}
    boots = bootstrap(win, feats, chosen, rows_of, seed, n_boot)
    objs = [o for o in OBJECTIVES if o in contrib.columns]
    mkeys = motive_keys(motives) if motives is not None and not motives.empty else None
    layers = table.layers
    month_pos = {m: i for i, m in enumerate(table.panel.periods)}
    first_m, last_m = month_pos[pd.Timestamp(w.first_month)], month_pos[win.period.max()]
    info_of = uf.set_index("unit_code")
    places = []
    for c in chosen:
        info = info_of.loc[c]
        sh = shares(point[c])
        bs = pd.DataFrame([shares(b) for b in boots[c]]) if boots[c] else pd.DataFrame(columns=objs)
        ctx_objs = [o for o in objs if o != "history"] or objs
        shx = shares(point[c][ctx_objs])
        bx = pd.DataFrame([shares(b[ctx_objs]) for b in boots[c]]) if boots[c] else pd.DataFrame(columns=ctx_objs)
        xlo = bx.quantile(0.025) if len(bx) else pd.Series(dtype=float)
        xhi = bx.quantile(0.975) if len(bx) else pd.Series(dtype=float)
        ev = evidence_for_place(motives, mkeys, pd.Series({"unit_code": c, **info.to_dict()}))
        items = []
        for o in objs:
            lo_, hi_ = (np.nanpercentile(bs[o], [2.5, 97.5]) if len(bs) else (np.nan, np.nan))
            items.append({
                "objective": o, "kind": KINDS[o],
                "share": round(float(sh[o]), 3), "ci_low": _r(lo_), "ci_high": _r(hi_),
                "share_excl_history": _r(shx.get(o, np.nan)), "ci_low_excl_history": _r(xlo.get(o, np.nan)),
                "ci_high_excl_history": _r(xhi.get(o, np.nan)),
                "contribution": round(float(point[c][o]), 3),
                "features": {f: round(float(win.loc[rows_of[c], f].mean()), 3)
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
            "dynamic": layers.summary(c, first_m, last_m) if layers is not None else {},
            "objectives": items,
            "text_only_evidence": {k: v for k, v in ev.items() if k not in objs},
        })
    oos = (rolling_oos(frame, all_feats, last_year=end.year, train_years=train_years, seed=seed,
                       lgbm_years=lgbm_years) if out_of_sample else {"verdict": "not run", "by_year": []})
    shift = shift_model(frame, (pd.Timestamp(w.first_month), pd.Timestamp(end)),
                        (pd.Timestamp(base.first_month), pd.Timestamp(base.end)), places=chosen)
    verdicts = evaluate_claims(claims, win, all_feats, oos, units=uf, unit=unit, default_places=chosen,
                               motives=motives, motive_keys=mkeys, shift=shift, places=groups)
    if context_events is None:
        notes.append("time-varying layers derived from the actor's own events only (the forces it fought); "
                     "pass context_events (the CLI loads every actor) for the full picture")
    notes.append("social_base uses GeoNames population and settlement counts: a proxy, not a measured social base")
    notes.append("history (the actor's own past activity) is persistence, not a motive; control (forces present, "
                 "recent liberation) is context, not a motive")
    context = {"forces": forces().to_dict(orient="records"),
               "coverage": {c: sorted(v) for c, v in _coverage(frame).items()},
               "control_changes": ([] if layers is None else
                                   [{**r, "date": r["date"].strftime("%Y-%m-%d")}
                                    for r in layers.changes.to_dict(orient="records")])}
    return Explanation(actor=spec.actor, window=(start, end), unit=unit, countries=ctry, measure=measure,
                       places=places, effects=effects, out_of_sample=oos, region_expected=expected, notes=notes,
                       claims=verdicts, shift=shift, context=context)


def _coverage(frame: pd.DataFrame) -> dict[str, set[int]]:
    """Covered years per country among the frame's rows."""
    fr = frame[frame.covered]
    if "country" not in fr:
        return {}
    return {str(c): {int(y) for y in g.period.dt.year.unique()} for c, g in fr.groupby("country")}
