"""Monthly forecasts per place: events or deaths per unit-month, 1 to N months ahead, as predictive distributions.

Models (all "direct": one fit per origin serves every horizon, features come from the origin month):

- ``glm``: negative-binomial (NB2) GLM per horizon (statsmodels, log link) on log1p lags, trailing means,
  neighbour lags, the region-wide level and, when present, static context layers. The dispersion
  alpha is the Cameron-Trivedi moment estimate from a Poisson fit, then the NB GLM is refitted with it.
- ``lgbm``: one LightGBM model (Tweedie objective) on the same features plus the horizon, stacked over
  horizons; its predictive distribution is NB(mean, alpha) with alpha estimated per horizon on the
  training rows' residuals.
- ``ensemble``: the equal-weight mixture (linear pool) of ``glm`` and ``lgbm``.
- the baselines of :mod:`rasid.analysis.forecast_baselines`.

Everything is sampled (``n_samples`` draws per unit-month, seeded) so CRPS, quantiles and exceedance
probabilities are defined for every model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import lightgbm as lgb
import numpy as np
import pandas as pd

from rasid.analysis._threads import single_threaded
from rasid.analysis.counts import irls, nb_alpha, nb_samples
from rasid.analysis.features import FIRST_ORIGIN, FeatureTable, training_rows
from rasid.analysis.forecast_baselines import BASELINES, Predictive, baseline_forecast
from rasid.analysis.panel import build_panel, to_month
from rasid.analysis.spec import PanelSpec
from rasid.errors import ModelError, QueryError
from rasid.events.window import Window

__all__ = ["forecast", "MODELS", "LEARNED", "predict_origin", "prepare", "default_thresholds", "QUANTILES"]

LEARNED = ("glm", "lgbm", "ensemble")
MODELS = (*BASELINES, *LEARNED)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_FIRST_ORIGIN = FIRST_ORIGIN
_ALPHA_RANGE = (1e-3, 50.0)
_LGBM_PARAMS = {
    "objective": "tweedie", "tweedie_variance_power": 1.5, "n_estimators": 100, "learning_rate": 0.1,
    "num_leaves": 15, "min_child_samples": 40, "subsample": 0.5, "subsample_freq": 1, "colsample_bytree": 0.8,
    "reg_lambda": 1.0, "max_bin": 63, "n_jobs": 1, "verbose": -1,
}
_ZERO_KEEP = 0.3  # share of zero-target rows LightGBM trains on (reweighted by 1/_ZERO_KEEP)


def default_thresholds(measure: str) -> tuple[int, ...]:
    """The N of the ``p_ge_N`` columns: events (5, 10); deaths (10, 25, 100)."""
    return (5, 10) if measure == "events" else (10, 25, 100)


def prepare(events: pd.DataFrame, spec: PanelSpec, *, use_context: bool = False) -> FeatureTable:
    """Aggregate the events to the monthly panel of ``spec`` and build its feature table once."""
    return FeatureTable(build_panel(events, spec.replace(period="month")), static=use_context, calendar=use_context)


def _alpha_moment(y: np.ndarray, mu: np.ndarray, w: np.ndarray | None = None) -> float:
    return nb_alpha(y, mu, w, bounds=_ALPHA_RANGE)


def _fit_glm(x: np.ndarray, y: np.ndarray, warm: dict | None = None) -> tuple[np.ndarray, float, float]:
    """NB2 GLM coefficients (intercept first), alpha and the largest training count (the cap on predicted means).

    ``warm`` (optional, mutated) holds the previous origin's coefficients as starting values; the
    likelihoods are concave for fixed alpha, so warm starts change only the iteration count.
    """
    if y.sum() == 0:
        return np.r_[-20.0, np.zeros(x.shape[1])], 1.0, 0.0
    xc = np.column_stack([np.ones(len(x)), x])
    warm = warm if warm is not None else {}
    try:
        pois = irls(xc, y, 0.0, start=warm.get("pois"))
        alpha = _alpha_moment(y, np.exp(np.clip(xc @ pois, -30, 15)))
        params = irls(xc, y, alpha, start=warm.get("nb", pois))
    except np.linalg.LinAlgError as exc:
        raise ModelError(f"negative-binomial GLM cannot be fitted: {exc}") from exc
    if not np.all(np.isfinite(params)):
        raise ModelError("negative-binomial GLM did not converge (non-finite coefficients)")
    warm.update(pois=pois, nb=params)
    return params, alpha, float(y.max())


def _glm_predict(params: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Mean of the GLM at rows x (log link, clipped against overflow)."""
    return np.exp(np.clip(params[0] + x @ params[1:], -30, 15))


@single_threaded  # BLAS threads only contend on these small matrices
def _learned(prep: FeatureTable, origin: int, horizons: Sequence[int], which: set[str], n_samples: int,
             rng: np.random.Generator, window: int | None, timings: dict[str, float],
             state: dict | None) -> dict[str, dict[int, Predictive]]:
    """Fit glm and/or lgbm at ``origin`` and return their predictive distributions per horizon."""
    out: dict[str, dict[int, Predictive]] = {}
    x_new = {h: prep.design(np.array([origin]), h) for h in horizons}
    per_h = {h: training_rows(origin, h, first=_FIRST_ORIGIN, window=window) for h in horizons}
    if all(len(o) == 0 for o in per_h.values()):
        raise ModelError(f"not enough history before {prep.panel.months[origin]:%Y-%m} to fit a model "
                         f"(need at least {_FIRST_ORIGIN + 2} months)")
    state = state if state is not None else {}
    if "glm" in which:
        t0 = time.perf_counter()
        out["glm"] = {}
        fit: tuple[np.ndarray, float, float] | None = None
        for h in sorted(horizons):
            o = per_h[h]
            if len(o):  # else: too little history for this horizon, reuse the longest shorter one
                fit = _fit_glm(prep.design(o, h), prep.targets(o, h), state.setdefault(("glm", h), {}))
            if fit is None:
                raise ModelError(f"not enough history before {prep.panel.months[origin]:%Y-%m} "
                                 f"for horizon {h}")
            # a log-link GLM extrapolates exponentially; never predict a mean above the largest count seen
            mu = np.minimum(_glm_predict(fit[0], x_new[h]), fit[2])
            out["glm"][h] = Predictive(mu, nb_samples(mu, fit[1], n_samples, rng))
        timings["glm"] = timings.get("glm", 0.0) + time.perf_counter() - t0
    if "lgbm" in which:
        t0 = time.perf_counter()
        out["lgbm"] = _fit_lgbm(prep, origin, per_h, x_new, horizons, n_samples, rng)
        timings["lgbm"] = timings.get("lgbm", 0.0) + time.perf_counter() - t0
    return out


def _fit_lgbm(prep: FeatureTable, origin: int, per_h: dict[int, np.ndarray], x_new: dict[int, np.ndarray],
              horizons: Sequence[int], n_samples: int, rng: np.random.Generator) -> dict[int, Predictive]:
    """One Tweedie LightGBM over horizon-stacked rows (one random horizon per row; zero rows subsampled)."""
    # each (unit, training origin) pair enters once, with one horizon drawn at random: the horizons'
    # rows share their features and have near-identical targets, so stacking all of them mostly costs time
    hs_all = np.array(sorted(horizons))
    longest = max(per_h, key=lambda k: len(per_h[k]))
    origins = per_h[longest]
    n_units = prep.panel.y.shape[0]
    h_draw = rng.choice(hs_all, size=len(origins) * n_units)
    ok = np.repeat(origins, n_units) + h_draw <= origin if len(origins) else np.zeros(0, dtype=bool)
    rows_o = np.repeat(origins, n_units)[ok]
    rows_u = np.tile(np.arange(n_units), len(origins))[ok]
    h_rows = h_draw[ok]
    y = prep.panel.y[rows_u, rows_o + h_rows]
    if y.sum() == 0:
        return {h: Predictive(np.zeros(n_units), np.zeros((n_units, n_samples))) for h in horizons}
    keep = (y > 0) | (rng.random(len(y)) < _ZERO_KEEP)
    x = prep.design(origins, h_draw)[(np.searchsorted(origins, rows_o) * n_units + rows_u)[keep]]
    x = np.column_stack([x, h_rows[keep].astype(np.float64)])
    y = y[keep]
    wt = np.where(y > 0, 1.0, 1.0 / _ZERO_KEEP)
    model = lgb.LGBMRegressor(**_LGBM_PARAMS, random_state=int(rng.integers(0, 2**31 - 1)))
    model.fit(x, y, sample_weight=wt)
    fitted = model.predict(x)
    x_all = np.vstack([np.column_stack([x_new[h], np.full(n_units, h, dtype=np.float64)]) for h in horizons])
    mu_all = np.maximum(model.predict(x_all), 0.0).reshape(len(horizons), -1)
    preds = {}
    for i, h in enumerate(horizons):
        sel = x[:, -1] == h
        if not sel.any():
            sel = np.ones(len(y), dtype=bool)
        alpha = _alpha_moment(y[sel], fitted[sel], wt[sel])
        preds[h] = Predictive(mu_all[i], nb_samples(mu_all[i], alpha, n_samples, rng))
    return preds


def _mixture(a: Predictive, b: Predictive) -> Predictive:
    """Equal-weight mixture of two sampled predictives (alternate sorted draws of each, same ensemble size)."""
    n = a.samples.shape[1]
    s = np.concatenate([a.samples[:, 0::2], b.samples[:, 1::2]], axis=1)[:, :n]
    return Predictive((a.mean + b.mean) / 2.0, s)


def predict_origin(prep: FeatureTable, origin: int, horizons: Sequence[int], models: Sequence[str], *,
                   n_samples: int = 1000, seed: int = 0, window: int | None = None,
                   timings: dict[str, float] | None = None,
                   state: dict | None = None) -> dict[str, dict[int, Predictive]]:
    """Predictive distributions of each model for every unit at ``origin`` + h, using panel columns <= origin only.

    ``state`` (a dict kept across successive origins) carries GLM warm starts; it does not change results.
    """
    bad = [m for m in models if m not in MODELS]
    if bad:
        raise QueryError(f"unknown model {bad[0]!r}; expected one of {', '.join(MODELS)}")
    timings = timings if timings is not None else {}
    hist = prep.panel.y[:, : origin + 1]
    out: dict[str, dict[int, Predictive]] = {}
    for k, name in enumerate(BASELINES):
        if name in models:
            t0 = time.perf_counter()
            sub = int(np.random.SeedSequence([seed, origin, k]).generate_state(1)[0])
            pred = baseline_forecast(name, hist, n_samples=n_samples, seed=sub)
            out[name] = dict.fromkeys(horizons, pred)
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
    need = {m for m in models if m in ("glm", "lgbm")}
    if "ensemble" in models:
        need |= {"glm", "lgbm"}
    if need:
        rng = np.random.default_rng([seed, origin, 99])
        learned = _learned(prep, origin, horizons, need, n_samples, rng, window, timings, state)
        if "ensemble" in models:
            t0 = time.perf_counter()
            out["ensemble"] = {h: _mixture(learned["glm"][h], learned["lgbm"][h]) for h in horizons}
            timings["ensemble"] = timings.get("ensemble", 0.0) + time.perf_counter() - t0
        out.update({m: learned[m] for m in ("glm", "lgbm") if m in models})
    return out


def forecast(
    events: pd.DataFrame,
    spec: PanelSpec,
    *,
    as_of: str | pd.Timestamp | None = None,
    horizon: int = 3,
    model: str = "ensemble",
    n_samples: int = 1000,
    seed: int = 0,
    thresholds: Sequence[int] | None = None,
    window: int | None = None,
    data_end: str | pd.Timestamp | None = None,
    context: bool = False,
) -> pd.DataFrame:
    """Forecast ``spec.measure`` per unit for the ``horizon`` months after ``as_of`` from events up to ``as_of`` only.

    Returns one row per unit and month: ``unit_code, unit_en, unit_ar, month, horizon, mean, q05, q25, q50,
    q75, q95, p_any, p_ge_<N>...``. ``as_of`` defaults to the last month with events; events after it
    are ignored. ``data_end`` is the last month the source covers (default: the month of the last event;
    pass the store's end so quiet trailing months count as zeros). ``window`` limits training to the
    latest origins (None: all history). ``context`` adds the static layers and the vote calendar of
    :mod:`rasid.analysis.features` to the learned models; off by default because they did not improve
    CRPS on the pre-test validation origins (docs/forecasting.md).
    """
    if model not in MODELS:
        raise QueryError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    if not 1 <= int(horizon) <= 36:
        raise QueryError(f"horizon must be between 1 and 36 months, got {horizon}")
    if n_samples < 2:
        raise QueryError(f"n_samples must be at least 2, got {n_samples}")
    if not len(events):
        raise QueryError("no events to forecast from (check the actor and country filters)")
    dates = pd.to_datetime(events["date_start"])
    first, last = to_month(dates.min()), to_month(dates.max())
    if data_end is not None:
        last = max(last, to_month(data_end))
    origin_month = to_month(as_of) if as_of is not None else last
    if origin_month > last:
        raise QueryError(f"--as-of {origin_month:%Y-%m} is after the last month of data ({last:%Y-%m})")
    if origin_month < first:
        raise QueryError(f"--as-of {origin_month:%Y-%m} is before the first month with events ({first:%Y-%m})")
    span = Window(first, (origin_month + pd.offsets.MonthEnd(0)).date())
    prep = prepare(events[span.mask(events["date_start"])], spec.replace(window=span), use_context=context)
    origin = len(prep.panel.months) - 1
    horizons = list(range(1, int(horizon) + 1))
    preds = predict_origin(prep, origin, horizons, [model], n_samples=n_samples, seed=seed, window=window)[model]
    thr = tuple(thresholds) if thresholds is not None else default_thresholds(prep.panel.spec.measure)
    frames = []
    for h in horizons:
        p = preds[h]
        q = p.quantiles(QUANTILES)
        df = prep.panel.units[["unit_code", "unit_en", "unit_ar"]].copy()
        df["month"] = origin_month + pd.DateOffset(months=h)
        df["horizon"] = h
        df["mean"] = p.mean
        for i, name in enumerate(("q05", "q25", "q50", "q75", "q95")):
            df[name] = q[:, i]
        df["p_any"] = p.prob_ge(1)
        for n in thr:
            df[f"p_ge_{n}"] = p.prob_ge(n)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)
