"""Synthetic IS events for the explanation tests: monthly rates per district driven by one planted feature."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.context import unit_features
from rasid.context.calendar import control_changes

MONTHS = pd.date_range("2014-01-01", "2018-12-01", freq="MS")


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def _handover_months(f: pd.DataFrame) -> np.ndarray:
    """1 in the 12 months after each dated handover of control in a district (the bundled calendar), else 0."""
    h = np.zeros((len(f), len(MONTHS)))
    pos = {c: i for i, c in enumerate(f.unit_code)}
    for r in control_changes().itertuples():
        m0 = MONTHS.get_indexer([r.date.to_period("M").start_time])[0]
        if r.kind != "handover" or m0 < 0:
            continue
        for c in r.admin_codes:
            if c in pos:
                h[pos[c], m0 + 1:m0 + 13] = 1
    return h


def driver(name: str) -> np.ndarray:
    """(districts, months) planted driver: standardised static layers, or the post-handover months (x 3)."""
    f = unit_features("admin2", ["IQ", "SY"])
    static = {"oil": np.exp(-f.dist_oil_km.to_numpy(float) / 50),
              "prisoners": np.exp(-f.dist_detention_km.to_numpy(float) / 50),
              "corridor": np.exp(-f.dist_border_km.to_numpy(float) / 50)}
    if name in static:
        return np.repeat(_z(static[name])[:, None], len(MONTHS), axis=1)
    if name == "handover":
        return 3.0 * _handover_months(f)
    if name == "none":
        return np.zeros((len(f), len(MONTHS)))
    raise ValueError(name)


def world(name: str, *, beta: float = 1.0, seed: int = 1, base: float = -1.0, only_year: int | None = None,
          years: tuple[int, int] = (2014, 2018)) -> pd.DataFrame:
    """IS events with rate exp(base + beta * driver) per district and month (driver active in ``only_year`` only
    when given), restricted to ``years``."""
    rng = np.random.default_rng(seed)
    f = unit_features("admin2", ["IQ", "SY"])
    x = driver(name)
    if only_year is not None:
        x = x * (MONTHS.year == only_year)[None, :]
    n = rng.poisson(np.exp(base + beta * x))
    n[:, (MONTHS.year < years[0]) | (MONTHS.year > years[1])] = 0
    ui, mi = np.nonzero(n)
    ui, mi = np.repeat(ui, n[ui, mi]), np.repeat(mi, n[ui, mi])
    return pd.DataFrame({
        "date_start": MONTHS[mi] + pd.to_timedelta(rng.integers(0, 28, len(ui)), unit="D"),
        "country": f.country.to_numpy()[ui], "admin1_code": f.admin1_code.to_numpy()[ui],
        "admin2_code": f.unit_code.to_numpy()[ui], "geo_precision": "exact", "actor1_id": "IS",
        "deaths_best": rng.poisson(2, len(ui)), "deaths_low": 0, "deaths_high": 0, "wounded": np.nan,
    })
