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

import numpy as np
import pandas as pd

from rasid.analysis._threads import single_threaded
from rasid.analysis.forecast_baselines import BASELINES, Predictive, baseline_forecast
from rasid.analysis.forecast_features import (
    FEATURES,
    Panel,
    build_panel,
    lag_features,
    neighbour_matrix,
    to_month,
    training_rows,
)
from rasid.errors import ModelError, QueryError

__all__ = ["forecast", "MODELS", "LEARNED", "predict_origin", "prepare", "Prepared", "default_thresholds"]

LEARNED = ("glm", "lgbm", "ensemble")
MODELS = (*BASELINES, *LEARNED)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_FIRST_ORIGIN = 11  # first origin with a full 12-month window behind it
_ALPHA_RANGE = (1e-3, 50.0)
_LGBM_PARAMS = {
    "objective": "tweedie", "tweedie_variance_power": 1.5, "n_estimators": 100, "learning_rate": 0.1,
    "num_leaves": 15, "min_child_samples": 40, "subsample": 0.5, "subsample_freq": 1, "colsample_bytree": 0.8,
    "reg_lambda": 1.0, "max_bin": 63, "n_jobs": 1, "verbose": -1,
}
_ZERO_KEEP = 0.3  # share of zero-target rows LightGBM trains on (reweighted by 1/_ZERO_KEEP)


def default_thresholds(target: str) -> tuple[int, ...]:
    """The N of the ``p_ge_N`` columns: events (5, 10); deaths (10, 25, 100)."""
    return (5, 10) if target == "events" else (10, 25, 100)


class Prepared:
    """A panel with its feature cube and context covariates, ready for fits at any origin."""

    def __init__(self, panel: Panel, countries: list[str] | None = None, *, use_context: bool = False) -> None:
        self.panel = panel
        self.features = lag_features(panel.y, neighbour_matrix(panel, countries))
        self.static, self.static_names = _static_context(panel, countries) if use_context else (None, [])
        self.calendar, self.calendar_names = _calendar_context(panel) if use_context else (None, [])
        self.feature_names = [*FEATURES, *self.static_names, *self.calendar_names]

    def design(self, origins: np.ndarray, h: int | np.ndarray = 0) -> np.ndarray:
        """Feature rows for every unit at each origin, origin-major: (len(origins) * units, n_features).

        Lag features come from the origin month; calendar covariates describe the target month
        origin + h (``h`` a scalar, or one value per row).
        """
        n_units = self.features.shape[0]
        x = self.features[:, origins, :].transpose(1, 0, 2).reshape(-1, self.features.shape[2])
        parts = [x]
        if self.static is not None:
            parts.append(np.tile(self.static, (len(origins), 1)))
        if self.calendar is not None:
            units = np.tile(np.arange(n_units), len(origins))
            target = np.repeat(origins, n_units) + h
            parts.append(self.calendar[units, np.minimum(target, self.calendar.shape[1] - 1)])
        return np.hstack(parts) if len(parts) > 1 else x

    def targets(self, origins: np.ndarray, h: int) -> np.ndarray:
        """Observed y at origin + h for every unit, origin-major."""
        return self.panel.y[:, origins + h].T.reshape(-1)


def prepare(events: pd.DataFrame, *, unit: str, target: str, countries: list[str] | None,
            start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
            use_context: bool = False) -> Prepared:
    """Aggregate the events and build the feature cube once."""
    return Prepared(build_panel(events, unit=unit, target=target, countries=countries, start=start, end=end),
                    countries, use_context=use_context)


# static layers used by the models: skewed counts and distances enter as log1p, then everything is standardised
_CTX_LOG1P = ("n_oil_sites_25km", "dist_oil_km", "pipeline_km", "dist_border_km", "dist_crossing_km",
              "dist_detention_km", "area_km2")
_CTX_RAW = ("disputed", "on_route", "log_population")
_CAL_MAX_H = 36


def _static_context(panel: Panel, countries: list[str] | None) -> tuple[np.ndarray | None, list[str]]:
    """Standardised static unit covariates from ``rasid.context.unit_features``; (None, []) if unavailable."""
    try:
        from rasid.context import unit_features

        df = unit_features(panel.unit, countries)
    except Exception:  # noqa: BLE001 - context layers are optional; the models run on lags alone
        return None, []
    if "unit_code" not in getattr(df, "columns", []):
        return None, []
    df = pd.DataFrame(df).drop_duplicates("unit_code").set_index("unit_code").reindex(panel.units.unit_code)
    cols = {}
    for c in _CTX_LOG1P:
        if c in df:
            cols[c] = np.log1p(pd.to_numeric(df[c], errors="coerce").clip(lower=0))
    for c in _CTX_RAW:
        if c in df:
            cols[c] = pd.to_numeric(df[c], errors="coerce")
    num = pd.DataFrame(cols)
    num = num.loc[:, num.notna().any() & (num.std() > 0)]
    if num.empty:
        return None, []
    num = num.fillna(num.median())
    z = ((num - num.mean()) / num.std()).to_numpy()
    return z, [f"ctx_{c}" for c in num.columns]


def _calendar_context(panel: Panel) -> tuple[np.ndarray | None, list[str]]:
    """(units, months + 36, 3) vote-calendar covariates per unit's country: log1p months to the next national
    or regional vote, the three months before it, and the vote month and the month after."""
    try:
        from rasid.context import calendar_features
    except ImportError:
        return None, []
    months = pd.date_range(panel.months[0], periods=len(panel.months) + _CAL_MAX_H, freq="MS")
    out = np.zeros((len(panel.units), len(months), 3))
    found = False
    for country, idx in panel.units.groupby("country").indices.items():
        try:
            cf = calendar_features(months, country)
        except Exception:  # noqa: BLE001 - no calendar for this country: zeros
            continue
        found = True
        vals = np.column_stack([np.log1p(cf["months_to_vote"].to_numpy(float)), cf["pre_vote_3m"].to_numpy(float),
                                cf["vote_month"].to_numpy(float)])
        out[idx] = vals[None, :, :]
    if not found:
        return None, []
    return out, ["cal_log_months_to_vote", "cal_pre_vote_3m", "cal_vote_month"]


def _alpha_moment(y: np.ndarray, mu: np.ndarray, w: np.ndarray | None = None) -> float:
    """Cameron-Trivedi NB2 dispersion: regress ((y-mu)^2 - y)/mu on mu without intercept (optionally weighted)."""
    mu = np.maximum(mu, 1e-8)
    w = np.ones_like(mu) if w is None else w
    a = float(np.sum(w * ((y - mu) ** 2 - y)) / max(np.sum(w * mu**2), 1e-12))
    return float(np.clip(a, *_ALPHA_RANGE))


def _nb_samples(mu: np.ndarray, alpha: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """(len(mu), n) negative-binomial draws with mean mu and variance mu + alpha mu^2."""
    r = 1.0 / alpha
    p = r / (r + np.maximum(mu, 0.0))
    return rng.negative_binomial(r, p[:, None], size=(len(mu), n))


def _irls(x: np.ndarray, y: np.ndarray, alpha: float, start: np.ndarray | None = None,
          maxiter: int = 50, tol: float = 1e-8) -> np.ndarray:
    """Log-link GLM by iteratively reweighted least squares: Poisson (alpha=0) or NB2 with fixed alpha.

    The same estimator as ``statsmodels.GLM(..., family=NegativeBinomial(alpha)).fit()`` (tests compare
    them), solved with normal equations, which is ~100x faster than statsmodels' pinv/lstsq on these sizes.
    """
    if start is None:
        mu = (y + y.mean()) / 2.0
        eta = np.log(mu)
    else:
        eta = np.clip(x @ start, -30, 15)
        mu = np.exp(eta)
    beta = start if start is not None else np.zeros(x.shape[1])
    dev_old = np.inf
    ridge = 1e-8 * np.eye(x.shape[1])
    for _ in range(maxiter):
        w = mu / (1.0 + alpha * mu)
        z = eta + (y - mu) / mu
        xw = x * w[:, None]
        beta = np.linalg.solve(x.T @ xw + ridge, xw.T @ z)
        eta = np.clip(x @ beta, -30, 15)
        mu = np.exp(eta)
        dev = _nb_deviance(y, mu, alpha)
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            break
        dev_old = dev
    return beta


def _nb_deviance(y: np.ndarray, mu: np.ndarray, alpha: float) -> float:
    """Deviance of a Poisson (alpha=0) or NB2 fit."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(y > 0, y * np.log(y / mu), 0.0)
        if alpha == 0:
            return float(2 * np.sum(t1 - (y - mu)))
        t2 = (y + 1 / alpha) * np.log((1 + alpha * y) / (1 + alpha * mu))
        return float(2 * np.sum(t1 - t2))


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
        pois = _irls(xc, y, 0.0, start=warm.get("pois"))
        alpha = _alpha_moment(y, np.exp(np.clip(xc @ pois, -30, 15)))
        params = _irls(xc, y, alpha, start=warm.get("nb", pois))
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
def _learned(prep: Prepared, origin: int, horizons: Sequence[int], which: set[str], n_samples: int,
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
            out["glm"][h] = Predictive(mu, _nb_samples(mu, fit[1], n_samples, rng))
        timings["glm"] = timings.get("glm", 0.0) + time.perf_counter() - t0
    if "lgbm" in which:
        t0 = time.perf_counter()
        out["lgbm"] = _fit_lgbm(prep, origin, per_h, x_new, horizons, n_samples, rng)
        timings["lgbm"] = timings.get("lgbm", 0.0) + time.perf_counter() - t0
    return out


def _fit_lgbm(prep: Prepared, origin: int, per_h: dict[int, np.ndarray], x_new: dict[int, np.ndarray],
              horizons: Sequence[int], n_samples: int, rng: np.random.Generator) -> dict[int, Predictive]:
    """One Tweedie LightGBM over horizon-stacked rows (one random horizon per row; zero rows subsampled)."""
    import lightgbm as lgb

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
        preds[h] = Predictive(mu_all[i], _nb_samples(mu_all[i], alpha, n_samples, rng))
    return preds


def _mixture(a: Predictive, b: Predictive) -> Predictive:
    """Equal-weight mixture of two sampled predictives (alternate sorted draws of each, same ensemble size)."""
    n = a.samples.shape[1]
    s = np.concatenate([a.samples[:, 0::2], b.samples[:, 1::2]], axis=1)[:, :n]
    return Predictive((a.mean + b.mean) / 2.0, s)


def predict_origin(prep: Prepared, origin: int, horizons: Sequence[int], models: Sequence[str], *,
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
    *,
    unit: str = "admin1",
    as_of: str | pd.Timestamp | None = None,
    horizon: int = 3,
    countries: list[str] | None = None,
    target: str = "events",
    model: str = "ensemble",
    n_samples: int = 1000,
    seed: int = 0,
    thresholds: Sequence[int] | None = None,
    window: int | None = None,
    data_end: str | pd.Timestamp | None = None,
    context: bool = False,
) -> pd.DataFrame:
    """Forecast ``target`` per unit for the ``horizon`` months after ``as_of`` from events up to ``as_of`` only.

    Returns one row per unit and month: ``unit_code, unit_en, unit_ar, month, horizon, mean, q05, q25, q50,
    q75, q95, p_any, p_ge_<N>...``. ``as_of`` defaults to the last month with events; events after it
    are ignored. ``data_end`` is the last month the source covers (default: the month of the last event;
    pass the store's end so quiet trailing months count as zeros). ``window`` limits training to the
    latest origins (None: all history). ``context`` adds the rasid.context covariates (static layers,
    vote calendar) to the learned models when those layers are available; off by default because they did
    not improve CRPS on the pre-test validation origins (docs/forecasting.md).
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
    prep = prepare(events[dates < origin_month + pd.offsets.MonthBegin(1)], unit=unit, target=target,
                   countries=countries, start=first, end=origin_month, use_context=context)
    origin = len(prep.panel.months) - 1
    horizons = list(range(1, int(horizon) + 1))
    preds = predict_origin(prep, origin, horizons, [model], n_samples=n_samples, seed=seed, window=window)[model]
    thr = tuple(thresholds) if thresholds is not None else default_thresholds(target)
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
