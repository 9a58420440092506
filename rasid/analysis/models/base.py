"""The forecast-model interface and its registry: a new model is one class with ``fit``/``predict``.

A model is fitted at one forecast *origin* T (the last observed month) on an :class:`OriginData`, which
exposes the feature table, the horizons and the scored record of earlier forecasts, all cut at T; it
returns one :class:`~rasid.analysis.predictive.Predictive` per horizon. Registering the class by name
(``@register("name")``) is all it takes for ``rasid forecast --model name`` and the backtest to use it:
the runner in :mod:`rasid.analysis.forecast` applies the trend guard and the recalibration to every
model that is not a ``baseline`` and feeds a combiner (``components``) its components' forecasts.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from rasid.analysis.features import FIRST_ORIGIN, FeatureTable, training_rows
from rasid.analysis.models.history import HistoryView
from rasid.analysis.predictive import Predictive
from rasid.errors import ModelError, QueryError

__all__ = ["ForecastModel", "OriginData", "REGISTRY", "register", "make_model", "resolve", "stream_id",
           "FIT_HORIZONS"]

#: horizons every stacked model trains on at least, so a forecast for fewer horizons equals the backtest's
FIT_HORIZONS = 6


def stream_id(name: str) -> int:
    """A stable integer per model name, for independent, reproducible random streams."""
    return zlib.crc32(name.encode("utf-8"))


@dataclass
class OriginData:
    """What a model may see at origin ``origin``: panel columns up to it and forecasts scored by then.

    ``window`` limits training rows to the latest origins (None: all); ``learn_window`` is how many past
    origins' released forecasts a combiner may learn from; ``cache`` is the run's memo of design rows
    (lags do not depend on the horizon, so without the calendar block one matrix serves every fit).
    """

    table: FeatureTable
    origin: int
    horizons: tuple[int, ...]
    n_samples: int
    seed: int
    rng: np.random.Generator
    history: HistoryView
    inputs: Mapping[str, Mapping[int, Predictive]] = field(default_factory=dict)
    window: int | None = None
    learn_window: int = 12
    cache: dict = field(default_factory=dict)

    @property
    def measure(self) -> str:
        """The panel's measure (``events``, ``deaths_best`` ...)."""
        return self.table.panel.spec.measure

    @property
    def n_units(self) -> int:
        """Units forecast (rows of every Predictive)."""
        return self.table.n_units

    @property
    def y(self) -> np.ndarray:
        """The observed counts up to and including the origin month (units x months)."""
        return self.table.panel.y[:, : self.origin + 1]

    @property
    def fit_horizons(self) -> tuple[int, ...]:
        """Horizons a stacked model trains on: 1..max(FIT_HORIZONS, the longest requested)."""
        return tuple(range(1, max(FIT_HORIZONS, max(self.horizons)) + 1))

    def train_origins(self, h: int) -> np.ndarray:
        """Training origins T' for horizon ``h`` (T' + h <= origin, so every target is observed)."""
        return training_rows(self.origin, h, first=FIRST_ORIGIN, window=self.window)

    def design(self, origins: np.ndarray, h: int | np.ndarray) -> np.ndarray:
        """Feature rows of every unit at ``origins`` for horizon(s) ``h`` (origin-major), memoised per run."""
        origins = np.asarray(origins)
        table = self.table
        if table.calendar is not None or not len(origins) or np.any(np.diff(origins) != 1):
            return table.design(origins, h)
        full = self.cache.get("design")
        if full is None:
            full = self.cache["design"] = table.design(np.arange(len(table.panel.months)), 0)
        n = table.n_units
        return full[origins[0] * n:(origins[-1] + 1) * n]

    def x_new(self, h: int) -> np.ndarray:
        """Feature rows of every unit at the origin, for horizon ``h``."""
        return self.design(np.array([self.origin]), h)

    def at(self, origin: int, rng: np.random.Generator) -> OriginData:
        """The same view cut at an earlier ``origin`` (for models refitted on a fixed schedule)."""
        if origin > self.origin:
            raise ValueError("a model may not be fitted at a later origin than the one it forecasts from")
        return dataclasses.replace(self, origin=origin, rng=rng)

    def no_history(self, h: int | None = None) -> ModelError:
        """The error to raise when there is too little history to fit."""
        when = f"{self.table.panel.months[self.origin]:%Y-%m}"
        extra = f" for horizon {h}" if h is not None else f" (need at least {FIRST_ORIGIN + 2} months)"
        return ModelError(f"not enough history before {when} to fit a model{extra}")


class ForecastModel:
    """Base class: ``fit(data)`` at an origin, then ``predict(data)`` -> {horizon: Predictive}.

    Class attributes: ``name`` (set by :func:`register`), ``label`` (English, for tables), ``baseline``
    (a fixed reference definition: never guarded, recalibrated or tuned) and ``components`` (models
    whose forecasts at the same origin a combiner receives as ``data.inputs``). Hyper-parameters are
    ``defaults``, overridable per instance. One instance lives for a whole run of origins, in order, so
    it may keep warm starts or memory between origins (never data beyond the current origin).
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    baseline: ClassVar[bool] = False
    components: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[dict[str, object]] = {}

    def __init__(self, **params: object) -> None:
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise QueryError(f"model {self.name!r} has no parameter {sorted(unknown)[0]!r}")
        self.params = {**self.defaults, **params}

    def fit(self, data: OriginData) -> ForecastModel:
        """Fit at ``data.origin`` (default: nothing to fit)."""
        return self

    def calibration_pairs(self, view: HistoryView, h: int, since: int) -> dict[str, np.ndarray]:
        """Past (PIT bounds, predicted mean) rows the recalibration of this model's horizon-h forecasts learns from.

        Default: this model's own released forecasts from origins >= ``since``.
        """
        return view.pooled(self.name, h, since)

    def stream(self, data: OriginData, origin: int) -> np.random.Generator:
        """The random stream this model gets at ``origin`` (the one the runner hands it there)."""
        return np.random.default_rng([data.seed, origin, stream_id(self.name)])

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """Predictive distribution of every unit at ``data.origin + h`` for each requested horizon."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


#: name -> model class, in registration order (baselines first)
REGISTRY: dict[str, type[ForecastModel]] = {}


def register(name: str):
    """Class decorator: add a :class:`ForecastModel` subclass to :data:`REGISTRY` under ``name``."""

    def deco(cls: type[ForecastModel]) -> type[ForecastModel]:
        if name in REGISTRY and REGISTRY[name] is not cls:
            raise ValueError(f"forecast model {name!r} is registered twice")
        cls.name = name
        REGISTRY[name] = cls
        return cls

    return deco


def make_model(name: str, **params: object) -> ForecastModel:
    """A fresh instance of the registered model ``name``."""
    if name not in REGISTRY:
        raise QueryError(f"unknown model {name!r}; expected one of {', '.join(REGISTRY)}")
    return REGISTRY[name](**params)


def resolve(names: list[str] | tuple[str, ...]) -> list[str]:
    """``names`` plus every component they need, each after its components (so a run can go in order)."""
    order: list[str] = []

    def visit(n: str, path: tuple[str, ...]) -> None:
        if n in order:
            return
        if n not in REGISTRY:
            raise QueryError(f"unknown model {n!r}; expected one of {', '.join(REGISTRY)}")
        if n in path:
            raise ValueError(f"forecast model {n!r} depends on itself")
        for c in REGISTRY[n].components:
            visit(c, (*path, n))
        order.append(n)

    for n in names:
        visit(n, ())
    return order
