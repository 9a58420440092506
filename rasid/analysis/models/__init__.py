"""Forecast models behind one registry: baselines, count regressions, boosted trees and the ensemble.

Importing this package registers every model in :data:`REGISTRY` (baselines first). A new model is one
:class:`ForecastModel` subclass with ``fit``/``predict`` and ``@register("name")``; see :mod:`.base`.
"""

from __future__ import annotations

from rasid.analysis.models import baselines, ensemble, glm, hurdle, lgbm, quantile  # noqa: F401  (registers)
from rasid.analysis.models.base import (
    FIT_HORIZONS,
    REGISTRY,
    ForecastModel,
    OriginData,
    make_model,
    register,
    resolve,
    stream_id,
)
from rasid.analysis.models.guard import GuardConfig, TrendGuard
from rasid.analysis.models.history import History, HistoryView

__all__ = ["REGISTRY", "ForecastModel", "OriginData", "register", "make_model", "resolve", "stream_id",
           "FIT_HORIZONS", "History", "HistoryView", "GuardConfig", "TrendGuard"]
