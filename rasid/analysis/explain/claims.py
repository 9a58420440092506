"""A verdict on each stated motive ("IS targets oil", "IS exploits the security vacuum", ...).

A claim names an objective (a motive id with a data counterpart: :data:`CLAIM_OBJECTIVES`), optionally the
places where it is said to hold, and the text that states it. Claims come from a YAML/JSON file
(:func:`read_claims`), from motive sentences extracted from analysis texts (:func:`claims_from_motives`),
or default to one claim per objective.

Models of the window's unit-months (NB2 GLMs): persistence (the actor's own last month, 3 and 12 months,
its neighbours' last 3) with every objective's features — the *full* model — and the same without one
objective. Motives that sit in the same places (oil fields, prisons and towns cluster) are thereby
judged each holding the others fixed, so a layer that merely correlates with a real driver is not
credited with it.

``effect`` is the incidence-rate ratio per SD of the objective's main feature in the full model, with its 95%
CI cluster-robust by unit (1 = no effect). ``oos_lift`` is the out-of-sample deviance reduction of adding
the objective's features to persistence alone, in the window's last year; ``oos_lift_given_others`` that of
adding them to persistence and the other objectives; both are repeated for every test year the store
allows (:func:`rasid.analysis.explain.oos.rolling_oos`). A test year is *informative* when the main
feature varies in its training years. The verdict uses the effect and the lift given the others:

* ``insufficient_data``: no feature of the objective varies in the region and window, the actor has fewer
  than :data:`MIN_EVENTS` events in the window, or no test year is informative;
* ``not_supported``: the effect's CI lies below 1 (the data go the other way), or the CI includes 1 *and*
  the lift exceeds :data:`GAIN_MIN` in neither the last test year nor a majority of test years;
* ``supported``: the CI lies above 1 *and* the lift exceeds :data:`GAIN_MIN` in the last test year and in at
  least half of the informative test years;
* ``mixed``: the rest — an in-sample effect that does not predict, or a lift without a clear effect.

A place *holds* when the claim is ``supported`` or ``mixed`` with an effect above 1, and the objective's
features raise the place's fitted rate by at least 10% over the region average (the full model).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from rasid.analysis.explain.evidence import fold, resolve_place_groups
from rasid.analysis.explain.models import design, nb_fit
from rasid.analysis.explain.panel import CLAIM_OBJECTIVES, HISTORY, MAIN_FEATURES, features_of
from rasid.errors import InputError, ModelError, QueryError

__all__ = ["Claim", "read_claims", "claims_from_motives", "default_claims", "claim_places", "evaluate_claims",
           "VERDICTS",
           "GAIN_MIN", "MIN_EVENTS", "HOLD_RATIO"]

VERDICTS = ("supported", "not_supported", "mixed", "insufficient_data")
GAIN_MIN = 0.01  # out-of-sample deviance reduction that counts as a lift
MIN_EVENTS = 20  # fewer events of the actor in the window: insufficient data
HOLD_RATIO = 1.10  # a place holds when the objective raises its fitted rate by >= 10% over the region average
_MAX_QUOTES = 5
_MAX_PLACES = 8


@dataclass
class Claim:
    """An analyst's claim: objective id, optional places (names or codes) and text; quotes from analysis texts."""

    objective: str
    places: list[str] = field(default_factory=list)
    text: str | None = None
    id: str | None = None
    quotes: list[dict] = field(default_factory=list)
    source: str = "file"


def _as_list(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [p.strip() for p in v.split(",") if p.strip()]
    if isinstance(v, list | tuple):
        return [str(p).strip() for p in v if str(p).strip()]
    raise ValueError(f"places must be a list or a comma-separated string, not {type(v).__name__}")


def read_claims(path: str | Path) -> list[Claim]:
    """Claims from a YAML or JSON file: a list of ``{objective, places?, text?, id?}``, or ``{claims: [...]}``."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read claims: {exc}", path=path) from exc
    if not raw.strip():
        raise InputError("the claims file is empty", path=path)
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
                         f"{str(exc).splitlines()[0]}", path=path) from exc
    if isinstance(data, dict):
        data = data.get("claims")
    if not isinstance(data, list) or not data:
        raise InputError("expected a list of claims (or a 'claims:' list), each with an 'objective'", path=path)
    out = []
    for i, item in enumerate(data, start=1):
        if isinstance(item, str):
            item = {"objective": item}
        if not isinstance(item, dict) or "objective" not in item:
            raise InputError(f"claim {i} has no 'objective'", path=path)
        obj = str(item["objective"]).strip()
        if obj not in CLAIM_OBJECTIVES:
            raise InputError(f"claim {i}: unknown objective {obj!r}; expected one of {', '.join(CLAIM_OBJECTIVES)}",
                             path=path)
        unknown = set(item) - {"objective", "places", "text", "id"}
        if unknown:
            raise InputError(f"claim {i}: unknown field {sorted(unknown)[0]!r} (fields: objective, places, text, id)",
                             path=path)
        try:
            places = _as_list(item.get("places"))
        except ValueError as exc:
            raise InputError(f"claim {i}: {exc}", path=path) from exc
        text = item.get("text")
        out.append(Claim(obj, places, None if text is None else str(text), None if item.get("id") is None
                         else str(item["id"]), source="file"))
    return out


def default_claims() -> list[Claim]:
    """One claim per objective with a data counterpart, no places, no text."""
    return [Claim(o, source="default") for o in CLAIM_OBJECTIVES]


def claims_from_motives(motives: pd.DataFrame) -> list[Claim]:
    """One claim per objective argued in extracted motive sentences (``objective, sentence, places, url, doc_id``):
    its places are the places the sentences name (most named first), its quotes the sentences."""
    if motives is None or motives.empty or "objective" not in motives:
        return []
    out = []
    for o in CLAIM_OBJECTIVES:
        rows = motives[motives.objective == o]
        if rows.empty:
            continue
        names: Counter[str] = Counter()
        for v in rows.get("places", pd.Series([], dtype=object)):
            for p in (v if isinstance(v, list | tuple | np.ndarray) else str(v or "").split("|")):
                if isinstance(p, str) and p.strip():
                    names[p.strip()] += 1
        quotes = [{"quote": r.get("sentence"), "url": r.get("url"), "doc_id": r.get("doc_id"),
                   "places": _as_list("|".join(v) if isinstance(v := r.get("places"), list | tuple | np.ndarray)
                                      else str(v or "").replace("|", ","))}
                  for r in rows.head(_MAX_QUOTES).to_dict(orient="records")]
        out.append(Claim(o, [n for n, _ in names.most_common(_MAX_PLACES)], None, None, quotes, source="text"))
    return out


# --- verdicts --------------------------------------------------------------------------------------------------------
def _verdict(effect: dict | None, lifts: dict[int, float | None], last_year: int | None, n_events: float
             ) -> tuple[str, str]:
    """(verdict, reason) from the effect's CI and the out-of-sample lifts (see the module doc)."""
    if effect is None:
        return "insufficient_data", "no feature of this objective varies in the region and window"
    if n_events < MIN_EVENTS:
        return "insufficient_data", f"fewer than {MIN_EVENTS} events of the actor in the window"
    inf = {y: v for y, v in lifts.items() if v is not None}
    if not inf:
        return "insufficient_data", "no informative out-of-sample year (the store has no earlier years, or the " \
                                    "objective's features do not vary in them)"
    better = sum(v > GAIN_MIN for v in inf.values())
    last = inf.get(last_year) if last_year is not None else None
    oos_pos = last is not None and last > GAIN_MIN and better >= len(inf) / 2
    oos_none = (last is None or last <= GAIN_MIN) and better < len(inf) / 2
    lo, hi = effect["ci_low"], effect["ci_high"]
    ys = f"{better} of {len(inf)} test years" + (f" ({last:+.1%} in {last_year})" if last is not None else "")
    if hi < 1:
        return "not_supported", f"the data go the other way: IRR {effect['irr']:.2f} [{lo:.2f}, {hi:.2f}] per SD"
    if lo > 1 and oos_pos:
        return "supported", f"IRR {effect['irr']:.2f} [{lo:.2f}, {hi:.2f}] per SD; adds to persistence out of " \
                            f"sample in {ys}"
    if lo <= 1 and oos_none:
        return "not_supported", f"no effect beyond persistence (IRR {effect['irr']:.2f} [{lo:.2f}, {hi:.2f}]) and " \
                                f"no out-of-sample lift (better in {ys})"
    if lo > 1:
        return "mixed", f"an in-sample effect (IRR {effect['irr']:.2f} [{lo:.2f}, {hi:.2f}]) that does not predict " \
                        f"out of sample consistently (better in {ys})"
    return "mixed", f"an out-of-sample lift in {ys} without a clear effect (IRR {effect['irr']:.2f} " \
                    f"[{lo:.2f}, {hi:.2f}])"


def _quotes(claim: Claim, motives: pd.DataFrame | None, mkeys: list[set[str]] | None,
            place_keys: set[str]) -> list[dict]:
    out = []
    if claim.text:
        out.append({"quote": claim.text, "url": None, "doc_id": None, "source": "claim"})
    out.extend({**q, "source": "text"} for q in claim.quotes)
    if motives is not None and not motives.empty and mkeys is not None and "objective" in motives:
        seen = {q.get("quote") for q in out}
        for row, k in zip(motives.itertuples(index=False), mkeys, strict=True):
            if len(out) >= _MAX_QUOTES:
                break
            if getattr(row, "objective", None) != claim.objective or getattr(row, "sentence", None) in seen:
                continue
            if place_keys and not (k & place_keys):
                continue
            out.append({"quote": getattr(row, "sentence", None), "url": getattr(row, "url", None),
                        "doc_id": getattr(row, "doc_id", None), "source": "motives"})
    return out[:_MAX_QUOTES]


def claim_places(claims: list[Claim], units: pd.DataFrame, unit: str) -> list[list[tuple[str, list[str]]]]:
    """Per claim, its places resolved to the region's units (a governorate name stands for its districts);
    a QueryError names the claim and the place that is not in the region."""
    out = []
    for c in claims:
        try:
            out.append(resolve_place_groups(c.places, units, unit) if c.places else [])
        except QueryError as exc:
            raise QueryError(f"claim {c.id or c.objective}: {exc}") from exc
    return out


def evaluate_claims(claims: list[Claim], window: pd.DataFrame, feats: list[str], oos: dict, *, units: pd.DataFrame,
                    unit: str, default_places: list[str], motives: pd.DataFrame | None = None,
                    motive_keys: list[set[str]] | None = None, shift: dict | None = None,
                    places: list[list[tuple[str, list[str]]]] | None = None) -> list[dict]:
    """A verdict per claim (see the module doc). ``window`` holds the window's covered unit-months with the features
    ``feats`` usable there (persistence included); ``oos`` is the rolling check; ``places`` the claims' resolved
    places (:func:`claim_places`, resolved here when not given); ``default_places`` (unit codes) are used for
    claims that name no place."""
    places = places if places is not None else claim_places(claims, units, unit)
    by_year = oos.get("by_year", [])
    last_year = oos.get("test_year") if "models" in oos else None
    n_events = float(window.y.sum())
    names = units.set_index("unit_code")
    fit = X = None
    try:
        X, _ = design(window, feats)
        fit = nb_fit(window.y.to_numpy(), X, pd.factorize(window.unit_code)[0])
    except ModelError:
        fit = None
    out = []
    for c, groups in zip(claims, places, strict=True):
        fo = [f for f in features_of(c.objective, feats) if f not in HISTORY]
        main = next((f for f in MAIN_FEATURES[c.objective] if f in fo), None)
        effect = None
        if fit is not None and main:
            b, s, p = fit.coef(main)
            effect = {"irr": float(np.exp(b)), "ci_low": float(np.exp(b - 1.96 * s)),
                      "ci_high": float(np.exp(b + 1.96 * s)), "p_value": p,
                      "objective_p_value": fit.wald([fit.names.index(f) for f in fo])}
        lift = {e["test_year"]: (e.get("objective_lift") or {}).get(c.objective) for e in by_year}
        given = {e["test_year"]: (e.get("objective_lift_given_others") or {}).get(c.objective) for e in by_year}
        verdict, reason = _verdict(effect, given, last_year, n_events)
        place_groups = groups or [(str(names.loc[u, "unit_en"]) if u in names.index else u, [u])
                                  for u in default_places]
        contrib = None
        if fit is not None and fo:
            z = X[fo]
            contrib = ((z - z.mean()) * pd.Series([fit.coef(f)[0] for f in fo], index=fo)).sum(axis=1)
        detail, hold, not_hold = [], [], []
        for name, codes in place_groups:
            rows = window.unit_code.isin(codes).to_numpy()
            ratio = float(np.exp(contrib[rows].mean())) if contrib is not None and rows.any() else None
            ok = (verdict in ("supported", "mixed") and effect is not None and effect["irr"] > 1
                  and ratio is not None and ratio >= HOLD_RATIO)
            (hold if ok else not_hold).append(name)
            detail.append({"place": name, "unit_codes": codes, "observed": float(window.y[rows].sum()),
                           "rate_ratio": None if ratio is None else round(ratio, 3), "holds": ok})
        pkeys = {k for name, codes in place_groups for k in (fold(name), *codes)} if c.places else set()
        out.append({
            "objective": c.objective, "id": c.id, "text": c.text, "source": c.source, "verdict": verdict,
            "reason": reason, "feature": main,
            "effect": _r(effect and effect["irr"]), "ci_low": _r(effect and effect["ci_low"]),
            "ci_high": _r(effect and effect["ci_high"]), "p_value": _r(effect and effect["p_value"], 4),
            "objective_p_value": _r(effect and effect["objective_p_value"], 4),
            "features": fo,
            "oos_lift": _r(lift.get(last_year) if last_year is not None else None, 4),
            "oos_lift_given_others": _r(given.get(last_year) if last_year is not None else None, 4),
            "oos_lift_by_year": {str(y): _r(v, 4) for y, v in sorted(lift.items())},
            "oos_lift_given_others_by_year": {str(y): _r(v, 4) for y, v in sorted(given.items())},
            "places_hold": hold, "places_not": not_hold, "places_detail": detail,
            "quotes": _quotes(c, motives, motive_keys, pkeys),
            **_shift_effect(shift, c.objective, main),
        })
    return out


def _shift_effect(shift: dict | None, objective: str, main: str | None) -> dict:
    """The claim's main feature in the shift model (IRR of a place's share per SD), if it is there."""
    empty = {"shift_feature": None, "shift_effect": None, "shift_ci_low": None, "shift_ci_high": None}
    if not shift or "effects" not in shift:
        return empty
    effs = {e["feature"]: e for e in shift["effects"] if e["objective"] == objective}
    f = main if main in effs else next((x for x in MAIN_FEATURES[objective] if x in effs), None)
    if f is None:
        return empty
    e = effs[f]
    return {"shift_feature": f, "shift_effect": e["irr"], "shift_ci_low": e["ci_low"], "shift_ci_high": e["ci_high"]}


def _r(v: float | None, nd: int = 3) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), nd)
