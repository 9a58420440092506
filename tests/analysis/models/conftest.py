"""Fixtures of the model tests: the bundled IS panel per governorate and a way to build one origin's data."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.analysis.forecast import prepare
from rasid.analysis.models import History, OriginData
from rasid.analysis.spec import PanelSpec


@pytest.fixture(scope="session")
def admin1_table(is_events):
    """Feature table of IS events per governorate of Iraq and Syria, 2004-2018."""
    return prepare(is_events, PanelSpec(unit="admin1", countries=("IQ", "SY")))


@pytest.fixture(scope="session")
def admin1_deaths(is_events):
    """The same panel counting UCDP best-estimate deaths."""
    return prepare(is_events, PanelSpec(unit="admin1", countries=("IQ", "SY"), measure="deaths"))


def origin_data(table, month: str, horizons=(1, 2, 3), n_samples: int = 400, seed: int = 0, **kw) -> OriginData:
    """What a model sees at ``month`` (no earlier forecasts released)."""
    origin = table.panel.month_index(month)
    return OriginData(table, origin, tuple(horizons), n_samples, seed, np.random.default_rng([seed, origin]),
                      History().view(origin), **kw)
