"""Monthly forecasts per place: events or deaths per unit-month, 1 to 36 months ahead, as calibrated distributions.

The models live in :mod:`rasid.analysis.models` behind one registry (:data:`MODELS` lists them): the
VIEWS-style baselines, a negative-binomial GLM, a hurdle model, Tweedie and quantile gradient boosting,
and a CRPS-weighted ensemble of them (the default). All are "direct": one fit per origin serves every
horizon and features come from the origin month.

A :class:`Forecaster` walks origins in order. At each origin it fits every model it needs on data up
to that month, pools the ensemble, applies the trend guard (:mod:`rasid.analysis.models.guard`) to
every non-baseline model, scores each forecast into a :class:`~rasid.analysis.models.history.History`
that releases a score only once its target month is observed, and recalibrates each non-baseline
forecast on its own released past PITs (:mod:`rasid.analysis.calibration`). :func:`forecast` runs the
same walk over the ``warmup`` origins before ``as_of``, so a forecast equals the backtest's at that origin.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rasid.analysis._threads import single_threaded
from rasid.analysis.calibration import CalibrationConfig, fit_recalibration
from rasid.analysis.features import FIRST_ORIGIN, FeatureTable
from rasid.analysis.models import (
    REGISTRY,
    GuardConfig,
    History,
    OriginData,
    TrendGuard,
    make_model,
    resolve,
    stream_id,
)
from rasid.analysis.panel import build_panel, to_month
from rasid.analysis.predictive import Predictive
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window

__all__ = ["forecast", "Forecaster", "ForecastConfig", "MODELS", "LEARNED", "prepare", "default_thresholds",
           "learning_start",
           "QUANTILES", "QUANTILE_COLUMNS", "CSV_COLUMNS", "model_label"]

#: the columns of a forecast table as CSV (CLI and web): those of the first release in their order, then
#: the quartiles, so scripts reading by position keep working
CSV_COLUMNS = ["unit_code", "unit_en", "month", "horizon", "mean", "q05", "q50", "q95", "p_any", "q25", "q75"]

#: every registered model: baselines, then the learned models, then the combiners
MODELS = tuple([n for n, c in REGISTRY.items() if c.baseline]
               + [n for n, c in REGISTRY.items() if not c.baseline and not c.components]
               + [n for n, c in REGISTRY.items() if c.components])
LEARNED = tuple(n for n in MODELS if not REGISTRY[n].baseline)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_COLUMNS = ("q05", "q25", "q50", "q75", "q95")


@dataclass(frozen=True)
class ForecastConfig:
    """Hyper-parameters of the walk (chosen on the 2012-2014 validation origins, see docs/forecasting.md).

    ``window``: how many past origins' released forecasts the ensemble weights and the recalibration learn
    from, at every horizon (for horizon h: origins T-h-window+1..T-h); ``calibration`` and ``guard``: see :mod:`rasid.analysis.calibration` and
    :mod:`rasid.analysis.models.guard`; ``calibrate=False`` skips the recalibration.
    """

    window: int = 12
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    guard: GuardConfig = field(default_factory=GuardConfig)
    calibrate: bool = True


def model_label(name: str) -> str:
    """The English label of a registered model (its name if it has none)."""
    return (REGISTRY[name].label or name) if name in REGISTRY else name


def default_thresholds(measure: str) -> tuple[int, ...]:
    """The N of the ``p_ge_N`` columns: events (5, 10); deaths (10, 25, 100)."""
    return (5, 10) if measure == "events" else (10, 25, 100)


def prepare(events: pd.DataFrame, spec: PanelSpec, *, use_context: bool = False) -> FeatureTable:
    """Aggregate the events to the monthly panel of ``spec`` and build its feature table once."""
    return FeatureTable(build_panel(events, spec.replace(period="month")), static=use_context, calendar=use_context)


class Forecaster:
    """Fits, guards, pools, scores and recalibrates ``models`` origin after origin (origins in increasing order).

    ``step(origin)`` returns {model: {horizon: Predictive}} for the requested models and horizons.
    ``timings`` accumulates wall seconds per model and per stage.
    """

    def __init__(self, table: FeatureTable, models: Sequence[str], horizons: Sequence[int], *,
                 n_samples: int = 1000, seed: int = 0, window: int | None = None,
                 config: ForecastConfig | None = None, timings: dict[str, float] | None = None) -> None:
        self.table = table
        self.models = list(dict.fromkeys(models))
        self.order = resolve(self.models)
        self.instances = {n: make_model(n) for n in self.order}
        self.horizons = tuple(sorted({int(h) for h in horizons}))
        if not self.horizons or self.horizons[0] < 1:
            raise QueryError(f"horizons must be positive integers, got {list(horizons)}")
        self._all_h = tuple(range(1, self.horizons[-1] + 1))  # the guard needs every step of the path
        self.n_samples, self.seed, self.window = n_samples, seed, window
        self.config = config or ForecastConfig()
        self.history = History()
        self.timings = timings if timings is not None else {}
        self._guard: TrendGuard | None = None
        self._cache: dict = {}
        # what the history must keep: PITs of the models recalibrated on their own record, and every
        # combiner's components (a combiner is recalibrated through its components' record)
        self._recorded = {n for n in self.order if not self.instances[n].baseline and not self.instances[n].components}
        self._recorded |= {c for n in self.order for c in self.instances[n].components}
        self._last = -1

    @property
    def learned(self) -> bool:
        """Whether any model in the run is not a baseline (and so needs fitting and calibration)."""
        return any(not self.instances[n].baseline for n in self.order)

    @property
    def warmup(self) -> int:
        """Origins to walk before the first forecast that counts, so its ensemble and calibration are warm."""
        combiner = any(m.components for m in self.instances.values())
        need = (self.learned and self.config.calibrate) or combiner
        return self.config.window + self._all_h[-1] - 1 if need else 0

    def first_origin(self, origin: int) -> int:
        """Where a walk must start to forecast from ``origin``."""
        return max(min(origin, FIRST_ORIGIN + 1), origin - self.warmup)

    def _tick(self, key: str, t0: float) -> None:
        self.timings[key] = self.timings.get(key, 0.0) + time.perf_counter() - t0

    @single_threaded  # BLAS/OpenMP threads only contend on these small problems
    def step(self, origin: int, *, output: bool = True) -> dict[str, dict[int, Predictive]]:
        """Forecasts made at ``origin`` (after every earlier origin of the walk)."""
        if origin <= self._last:
            raise ValueError("a Forecaster walks origins in increasing order")
        self._last = origin
        y = self.table.panel.y
        n_months = y.shape[1]
        view = self.history.view(origin)
        if self._guard is None and self.learned:
            t0 = time.perf_counter()
            self._guard = TrendGuard(self.table, self.config.guard)
            self._tick("guard", t0)
        raw: dict[str, dict[int, Predictive]] = {}
        for name in self.order:
            model = self.instances[name]
            t0 = time.perf_counter()
            data = OriginData(self.table, origin, self._all_h, self.n_samples, self.seed,
                              np.random.default_rng([self.seed, origin, stream_id(name)]), view,  # = model.stream
                              {c: raw[c] for c in model.components}, self.window, self.config.window,
                              self._cache)
            preds = model.fit(data).predict(data)
            self._tick(name, t0)
            if not model.baseline:
                t0 = time.perf_counter()
                preds = self._guard(preds, y[:, : origin + 1], np.random.default_rng([self.seed, origin,
                                                                                       stream_id(name), 1]))
                self._tick("guard", t0)
            raw[name] = preds
            if name in self._recorded:
                t0 = time.perf_counter()
                for h in self._all_h:
                    target = origin + h
                    self.history.record(name, origin, h, preds[h], y[:, target] if target < n_months else None)
                self._tick("history", t0)
        self.history.prune(origin - self.warmup - self._all_h[-1])
        if not output:
            return {}
        return {name: self._final(name, raw[name], origin, view) for name in self.models}

    def _final(self, name: str, preds: dict[int, Predictive], origin: int, view) -> dict[int, Predictive]:
        """Recalibrated and re-guarded forecasts of a non-baseline model; baselines as they are."""
        if self.instances[name].baseline or not self.config.calibrate:
            return {h: preds[h] for h in self.horizons}
        t0 = time.perf_counter()
        cal = self.config.calibration
        out = dict(preds)
        for h in self._all_h:
            pairs = self.instances[name].calibration_pairs(view, h, learning_start(origin, h, self.config.window))
            recal = fit_recalibration(pairs["lo"], pairs["hi"], pairs["mean"], cal)
            if recal is not None:
                out[h] = recal.apply(preds[h])
        out = self._guard(out, self.table.panel.y[:, : origin + 1],
                          np.random.default_rng([self.seed, origin, stream_id(name), 2]))
        self._tick("calibration", t0)
        return {h: out[h] for h in self.horizons}


def learning_start(origin: int, h: int, window: int) -> int:
    """First origin of the ``window`` most recent origins whose horizon-``h`` forecasts are released at ``origin``."""
    return origin - h - window + 1


def _check_models(models: Sequence[str]) -> None:
    bad = [m for m in models if m not in REGISTRY]
    if bad:
        raise QueryError(f"unknown model {bad[0]!r}; expected one of {', '.join(MODELS)}")


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
    calibrate: bool = True,
    config: ForecastConfig | None = None,
) -> pd.DataFrame:
    """Forecast ``spec.measure`` per unit for the ``horizon`` months after ``as_of`` from events up to ``as_of`` only.

    Returns one row per unit and month: ``unit_code, unit_en, unit_ar, month, horizon, mean, q05, q25, q50,
    q75, q95, p_any, p_ge_<N>...``. ``as_of`` defaults to the last month with events; events after it
    are ignored. ``data_end`` is the last month the source covers (default: the month of the last event;
    pass the store's end so quiet trailing months count as zeros). ``window`` limits training to the
    latest origins (None: all history). ``context`` adds the static layers and the vote calendar of
    :mod:`rasid.analysis.features` to the learned models; off by default because they did not improve
    CRPS on the pre-test validation origins (docs/forecasting.md). ``calibrate=False`` skips the
    recalibration (for comparisons); ``config`` overrides the walk's hyper-parameters.
    """
    _check_models([model])
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
    cfg = config or ForecastConfig()
    runner = Forecaster(prep, [model], horizons, n_samples=n_samples, seed=seed, window=window,
                        config=cfg if calibrate else dataclasses.replace(cfg, calibrate=False))
    for o in range(runner.first_origin(origin), origin):
        runner.step(o, output=False)
    preds = runner.step(origin)[model]
    thr = tuple(thresholds) if thresholds is not None else default_thresholds(prep.panel.spec.measure)
    frames = []
    for h in horizons:
        p = preds[h]
        q = p.quantiles(QUANTILES)
        df = prep.panel.units[["unit_code", "unit_en", "unit_ar"]].copy()
        df["month"] = origin_month + pd.DateOffset(months=h)
        df["horizon"] = h
        df["mean"] = p.mean
        for i, name in enumerate(QUANTILE_COLUMNS):
            df[name] = q[:, i]
        df["p_any"] = p.prob_ge(1)
        for n in thr:
            df[f"p_ge_{n}"] = p.prob_ge(n)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)

