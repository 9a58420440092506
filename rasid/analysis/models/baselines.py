"""The VIEWS-style baselines as registered models (definitions in :mod:`rasid.analysis.forecast_baselines`).

They are references, not competitors to tune: ``baseline = True`` keeps the trend guard and the
recalibration off them, and each draws from its own seeded stream, so adding a model never changes them.
"""

from __future__ import annotations

import numpy as np

from rasid.analysis.forecast_baselines import BASELINES, baseline_forecast
from rasid.analysis.models.base import ForecastModel, OriginData, register
from rasid.analysis.predictive import Predictive

__all__ = ["BaselineModel", "Zero", "NoChange", "PoissonLast", "Mean3", "Mean12", "Conflictology"]


class BaselineModel(ForecastModel):
    """A baseline: the same predictive distribution at every horizon, from the unit's own history."""

    baseline = True

    def predict(self, data: OriginData) -> dict[int, Predictive]:
        """The baseline at ``data.origin`` for every horizon (seeded by seed, origin and baseline)."""
        k = BASELINES.index(self.name)
        sub = int(np.random.SeedSequence([data.seed, data.origin, k]).generate_state(1)[0])
        pred = baseline_forecast(self.name, data.y, n_samples=data.n_samples, seed=sub)
        return dict.fromkeys(data.horizons, pred)


@register("zero")
class Zero(BaselineModel):
    """Point mass at 0."""

    label = "zero"


@register("no_change")
class NoChange(BaselineModel):
    """Point mass at the origin month's count (persistence, LOCF)."""

    label = "no change"


@register("poisson_last")
class PoissonLast(BaselineModel):
    """Poisson around the origin month's count (the ViEWS challenge 'last' benchmark)."""

    label = "Poisson(last month)"


@register("mean3")
class Mean3(BaselineModel):
    """Point mass at the mean of the last 3 months."""

    label = "3-month mean"


@register("mean12")
class Mean12(BaselineModel):
    """Point mass at the mean of the last 12 months."""

    label = "12-month mean"


@register("conflictology")
class Conflictology(BaselineModel):
    """Draws from the unit's own last 12 months (the VIEWS ConflictologyModel)."""

    label = "conflictology (own last 12 months)"
