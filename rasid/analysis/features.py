"""The one feature table shared by the explanation and the forecasts, with no look-ahead by construction.

Four blocks, each feature named once in :data:`FEATURES` with the objective it stands for:

* **lags** (objective ``history``): from the panel's own counts up to an origin month ``T`` only
  (trailing means, lags, months since the last event, neighbour and region-wide levels);
* **static** context layers per unit (oil, disputed territory, corridors, prisons, settlement, size),
  from :func:`rasid.context.unit_features`;
* **calendar**: the political calendar of the unit's country for the *target* month;
* **dynamic** (time-varying context, :mod:`rasid.context.dynamic`): which forces fight in the unit, how many
  (contestation), forces that left (a security vacuum), dated control changes, attacks on oil and prison
  sites, from the events of *every* actor in the store, plus the actor's own activity along the
  Kirkuk–Mosul–Deir ez-Zor route; like the lags, taken at the origin month ``t - h``.

A row for target month ``t`` at horizon ``h`` takes its lags from origin ``t - h``: it sees data up to
``t - h`` and nothing later. Training rows for an origin ``T`` are pairs ``(T', h)`` with ``T' + h <= T``
(:func:`training_rows`), so their targets are observed by ``T`` too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rasid.analysis.aggregate import event_units
from rasid.analysis.panel import Panel
from rasid.analysis.spatial import neighbour_matrix
from rasid.context.calendar import calendar_features
from rasid.context.dynamic import DYNAMIC_COLUMNS, DynamicLayers, dynamic_layers
from rasid.context.layers import unit_features
from rasid.geo.units import unit_frame

__all__ = ["Feature", "FEATURES", "LAG_FEATURES", "STATIC_FEATURES", "CALENDAR_FEATURES", "DYNAMIC_FEATURES",
           "FeatureTable", "lag_features", "panel_neighbours", "training_rows", "FIRST_ORIGIN"]

_SINCE_CAP = 60
_DECAY_KM = 50.0  # proximity = exp(-km / 50): 1 at the site, 0.37 at 50 km, 0.14 at 100 km
_CAL_MAX_H = 36
FIRST_ORIGIN = 11  # first origin with a full 12-month window behind it


@dataclass(frozen=True)
class Feature:
    """A model feature: its block (``lag``, ``static``, ``calendar``, ``dynamic``), objective and description."""

    name: str
    block: str
    objective: str
    description: str


_DEFS = [
    ("y_l0", "lag", "history", "log(1 + count in the origin month)"),
    ("y_l1", "lag", "history", "log(1 + count one month before the origin)"),
    ("y_l2", "lag", "history", "log(1 + count two months before the origin)"),
    ("y_m3", "lag", "history", "log(1 + mean count over the last 3 months)"),
    ("y_m12", "lag", "history", "log(1 + mean count over the last 12 months)"),
    ("y_m36", "lag", "history", "log(1 + mean count over the last 36 months)"),
    ("active12", "lag", "history", "share of the last 12 months with at least one event"),
    ("since_last", "lag", "history", "log(1 + months since the last event), capped at 60"),
    ("nb_l0", "lag", "history", "log(1 + neighbours' mean count in the origin month)"),
    ("nb_m3", "lag", "history", "log(1 + neighbours' mean count over the last 3 months)"),
    ("nb_m12", "lag", "history", "log(1 + neighbours' mean count over the last 12 months)"),
    ("region_l0", "lag", "history", "log(1 + region-wide mean count in the origin month)"),
    ("region_m3", "lag", "history", "log(1 + region-wide mean count over the last 3 months)"),
    ("oil_prox", "static", "oil", "proximity to the nearest oil/gas site, exp(-km/50)"),
    ("oil_sites_25km", "static", "oil", "log(1 + oil/gas sites within 25 km)"),
    ("pipeline", "static", "oil", "log(1 + km of pipeline in the unit)"),
    ("disputed", "static", "disputed_territory", "share of the unit in Article 140 disputed districts"),
    ("border_prox", "static", "corridor", "proximity to the Iraq–Syria border, exp(-km/50)"),
    ("route_prox", "static", "corridor", "proximity to the Kirkuk–Mosul–Deir ez-Zor route triangle, exp(-km/50)"),
    ("detention_prox", "static", "prisoners", "proximity to the nearest prison/camp holding IS members, exp(-km/50)"),
    ("log_population", "static", "social_base", "log(1 + GeoNames population) — a proxy for a social base"),
    ("log_places", "static", "social_base", "log(1 + populated places) — settlement density proxy"),
    ("log_area", "static", "unit_size", "log area of the unit (km²), a size control"),
    ("log_months_to_vote", "calendar", "political_calendar", "log(1 + months to the next vote), capped at 60"),
    ("pre_vote_3m", "calendar", "political_calendar", "1 in the 3 months before a national/regional vote"),
    ("vote_month", "calendar", "political_calendar", "1 in the month of a vote and the month after"),
    ("contest_m3", "dynamic", "disputed_territory",
     "forces (of 8) that fought in the unit over the last 3 months: contestation"),
    ("vacuum", "dynamic", "disputed_territory",
     "forces active in >= 2 of months T-11..T-3 and absent in T-2..T: a security vacuum"),
    ("handover_12m", "dynamic", "disputed_territory",
     "1 if control passed between forces fighting IS in the unit in the last 12 months (dated, cited)"),
    ("liberated_12m", "dynamic", "control", "1 if IS lost control of the unit in the last 12 months (dated, cited)"),
    ("state_m3", "dynamic", "control", "log(1 + events of Iraqi/Syrian state forces in the unit, last 3 months)"),
    ("foreign_m3", "dynamic", "control",
     "log(1 + events of the coalition, Russia, Turkey and its allies in the unit, last 3 months)"),
    ("oil_attacks_m12", "dynamic", "oil",
     "log(1 + events at oil/energy sites in the unit over the last 12 months: text, or within 3 km of a site)"),
    ("prison_attacks_m12", "dynamic", "prisoners",
     "log(1 + events at prisons/camps in the unit over the last 12 months: text, or within 3 km of a site)"),
    ("route_flow_m3", "dynamic", "corridor",
     "units on the Kirkuk–Mosul–Deir ez-Zor route: log(1 + the actor's mean monthly events in the other route "
     "units over the last 3 months); 0 off the route"),
]
FEATURES: dict[str, Feature] = {n: Feature(n, b, o, d) for n, b, o, d in _DEFS}
LAG_FEATURES = [f.name for f in FEATURES.values() if f.block == "lag"]
STATIC_FEATURES = [f.name for f in FEATURES.values() if f.block == "static"]
CALENDAR_FEATURES = [f.name for f in FEATURES.values() if f.block == "calendar"]
DYNAMIC_FEATURES = [f.name for f in FEATURES.values() if f.block == "dynamic"]
if DYNAMIC_FEATURES[: len(DYNAMIC_COLUMNS)] != list(DYNAMIC_COLUMNS):  # the context layer fills them in this order
    raise RuntimeError("rasid.context.dynamic.DYNAMIC_COLUMNS and the dynamic FEATURES disagree")


# --- lags ------------------------------------------------------------------------------------------------------------
def _trailing_mean(y: np.ndarray, k: int) -> np.ndarray:
    """Mean of columns T-k+1..T for every T (months before the panel start count as zero)."""
    cs = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(y, axis=1)], axis=1)
    hi = np.arange(1, y.shape[1] + 1)
    lo = np.maximum(hi - k, 0)
    return (cs[:, hi] - cs[:, lo]) / k


def _lag(y: np.ndarray, k: int) -> np.ndarray:
    """Column T holds y[:, T-k] (zero before the panel start)."""
    out = np.zeros_like(y)
    out[:, k:] = y[:, : y.shape[1] - k] if k else y
    return out


def _since_last(y: np.ndarray) -> np.ndarray:
    """Months since the last non-zero month up to and including T (capped)."""
    out = np.empty_like(y)
    run = np.full(y.shape[0], float(_SINCE_CAP))
    for t in range(y.shape[1]):
        run = np.where(y[:, t] > 0, 0.0, np.minimum(run + 1, _SINCE_CAP))
        out[:, t] = run
    return out


def lag_features(y: np.ndarray, neighbours: np.ndarray | None = None) -> np.ndarray:
    """Lag cube (units, months, len(LAG_FEATURES)); slice [:, T] depends on ``y[:, :T+1]`` only."""
    m3, m12, m36 = _trailing_mean(y, 3), _trailing_mean(y, 12), _trailing_mean(y, 36)
    nb = neighbours if neighbours is not None else np.zeros((y.shape[0], y.shape[0]))
    region = np.broadcast_to(y.mean(axis=0, keepdims=True), y.shape)
    region_m3 = np.broadcast_to(m3.mean(axis=0, keepdims=True), y.shape)
    cols = {"y_l0": y, "y_l1": _lag(y, 1), "y_l2": _lag(y, 2), "y_m3": m3, "y_m12": m12, "y_m36": m36,
            "nb_l0": nb @ y, "nb_m3": nb @ m3, "nb_m12": nb @ m12, "region_l0": region, "region_m3": region_m3}
    out = np.empty((*y.shape, len(LAG_FEATURES)), dtype=np.float64)
    for i, name in enumerate(LAG_FEATURES):
        if name in cols:
            out[:, :, i] = np.log1p(cols[name])
    out[:, :, LAG_FEATURES.index("active12")] = _trailing_mean((y > 0).astype(np.float64), 12)
    out[:, :, LAG_FEATURES.index("since_last")] = np.log1p(_since_last(y))
    return out


def panel_neighbours(panel: Panel) -> np.ndarray:
    """Row-normalised neighbour matrix over the panel's units (queen for admin units, k-NN for grid cells)."""
    return neighbour_matrix(panel.unit, tuple(panel.units.unit_code), panel.spec.countries,
                            standardise=True).toarray()


def training_rows(origin: int, horizon: int, *, first: int = FIRST_ORIGIN, window: int | None = None) -> np.ndarray:
    """Origins T' usable to train horizon ``horizon`` at origin ``origin``: T' + horizon <= origin."""
    hi = origin - horizon
    lo = first if window is None else max(first, hi - window + 1)
    return np.arange(lo, hi + 1) if hi >= lo else np.arange(0)


# --- static and calendar ---------------------------------------------------------------------------------------------
def _static_block(panel: Panel) -> np.ndarray:
    """(units, len(STATIC_FEATURES)) model-ready static context features, in the panel's unit order."""
    f = unit_features(panel.unit, panel.spec.countries).drop_duplicates("unit_code").set_index("unit_code")
    f = f.reindex(panel.units.unit_code)
    cols = {
        "oil_prox": np.exp(-f.dist_oil_km / _DECAY_KM),
        "oil_sites_25km": np.log1p(f.n_oil_sites_25km),
        "pipeline": np.log1p(f.pipeline_km),
        "disputed": f.disputed,
        "border_prox": np.exp(-f.dist_border_km / _DECAY_KM),
        "route_prox": np.exp(-f.dist_route_km / _DECAY_KM),
        "detention_prox": np.exp(-f.dist_detention_km / _DECAY_KM),
        "log_population": f.log_population,
        "log_places": np.log1p(f.n_places),
        "log_area": np.log(f.area_km2.clip(lower=1)),
    }
    df = pd.DataFrame({k: pd.to_numeric(cols[k], errors="coerce") for k in STATIC_FEATURES})
    return df.fillna(df.median()).fillna(0.0).to_numpy(dtype=np.float64)


def _calendar_block(panel: Panel) -> np.ndarray:
    """(units, months + 36, len(CALENDAR_FEATURES)) covariates of each unit's country per target month."""
    months = pd.date_range(panel.periods[0], periods=len(panel.periods) + _CAL_MAX_H, freq="MS")
    out = np.zeros((len(panel.units), len(months), len(CALENDAR_FEATURES)))
    for country, idx in panel.units.groupby("country").indices.items():
        cf = calendar_features(months, str(country))
        vals = np.column_stack([np.log1p(cf["months_to_vote"].to_numpy(float)), cf["pre_vote_3m"].to_numpy(float),
                                cf["vote_month"].to_numpy(float)])
        out[idx] = vals[None, :, :]
    return out


def _route_flow(panel: Panel) -> np.ndarray:
    """(units, months): on-route units get log(1 + the actor's mean monthly count in the *other* route units over
    the last 3 months up to T); other units 0."""
    f = unit_features(panel.unit, panel.spec.countries).drop_duplicates("unit_code").set_index("unit_code")
    on = f.on_route.reindex(panel.units.unit_code).fillna(0).to_numpy(bool)
    out = np.zeros_like(panel.y)
    n = int(on.sum())
    if n < 2:
        return out
    m3 = _trailing_mean(panel.y, 3)
    tot = m3[on].sum(axis=0, keepdims=True)
    out[on] = np.log1p((tot - m3[on]) / (n - 1))
    return out


def _dynamic_block(panel: Panel, events: pd.DataFrame | None) -> tuple[np.ndarray, DynamicLayers]:
    """(units, months, len(DYNAMIC_FEATURES)) time-varying context from all actors' ``events`` (None: no events,
    only the dated control changes and the route flow); slice [:, T] uses months <= T only."""
    units = unit_frame(panel.unit, panel.spec.countries)
    units = units.set_index("unit_code").reindex(panel.units.unit_code).reset_index()
    ev = events if events is not None else pd.DataFrame(columns=["date_start", "admin1_code", "admin2_code",
                                                                 "priogrid_gid", "geo_precision"])
    if len(ev) and "country" in ev:
        ev = ev[ev.country.isin(panel.spec.countries)]
    layers = dynamic_layers(ev, event_units(ev, panel.unit), units, panel.periods, unit_level=panel.unit,
                            countries=panel.spec.countries)
    cube = np.concatenate([layers.features(), _route_flow(panel)[:, :, None]], axis=2)
    return cube, layers


class FeatureTable:
    """A monthly panel with its lag cube and, optionally, static, calendar and dynamic blocks, for fits at any origin.

    ``dynamic`` takes the store's events of *every* actor in the region (the panel itself only holds the
    analysed actor's counts); ``True`` builds the block without events (dated control changes and the
    route flow only). Feature names keep their order: lags, static, calendar, dynamic.
    """

    def __init__(self, panel: Panel, *, static: bool = False, calendar: bool = False,
                 dynamic: pd.DataFrame | bool | None = None) -> None:
        if panel.spec.period != "month":
            raise ValueError("feature tables are monthly")
        self.panel = panel
        self.lags = lag_features(panel.y, panel_neighbours(panel))
        self.static = _static_block(panel) if static else None
        self.calendar = _calendar_block(panel) if calendar else None
        self.dynamic: np.ndarray | None = None
        self.layers: DynamicLayers | None = None
        if dynamic is not None and dynamic is not False:
            self.dynamic, self.layers = _dynamic_block(panel, None if dynamic is True else dynamic)
        self.names = [*LAG_FEATURES, *(STATIC_FEATURES if static else []), *(CALENDAR_FEATURES if calendar else []),
                      *(DYNAMIC_FEATURES if self.dynamic is not None else [])]

    @property
    def n_units(self) -> int:
        """Units (rows of the panel)."""
        return self.lags.shape[0]

    def design(self, origins: np.ndarray, h: int | np.ndarray = 0, names: list[str] | None = None) -> np.ndarray:
        """Feature rows for every unit at each origin, origin-major: (len(origins) * units, n_features).

        Lags and the dynamic block come from the origin month; calendar covariates describe the target month
        origin + h (``h`` a scalar, or one value per row). ``names`` picks and orders columns (default: all).
        """
        origins = np.asarray(origins)
        n = self.n_units
        parts = [self.lags[:, origins, :].transpose(1, 0, 2).reshape(-1, self.lags.shape[2])]
        if self.static is not None:
            parts.append(np.tile(self.static, (len(origins), 1)))
        if self.calendar is not None:
            units = np.tile(np.arange(n), len(origins))
            target = np.repeat(origins, n) + h
            parts.append(self.calendar[units, np.minimum(target, self.calendar.shape[1] - 1)])
        if self.dynamic is not None:
            parts.append(self.dynamic[:, origins, :].transpose(1, 0, 2).reshape(-1, self.dynamic.shape[2]))
        x = np.hstack(parts) if len(parts) > 1 else parts[0]
        if names is None:
            return x
        idx = [self.names.index(c) for c in names]
        return x[:, idx]

    def targets(self, origins: np.ndarray, h: int) -> np.ndarray:
        """Observed y at origin + h for every unit, origin-major."""
        return self.panel.y[:, np.asarray(origins) + h].T.reshape(-1)

    def frame(self, *, h: int = 1, first: int | None = None, names: list[str] | None = None) -> pd.DataFrame:
        """Long table of target months ``t >= first`` (default ``h``): ids, ``y``, deaths and features from ``t - h``."""
        first = h if first is None else max(first, h)
        targets = np.arange(first, len(self.panel.periods))
        cols = names or self.names
        x = self.design(targets - h, h, cols)
        n = self.n_units
        df = pd.DataFrame(x, columns=cols)
        df.insert(0, "unit_code", np.tile(self.panel.units.unit_code.to_numpy(), len(targets)))
        df.insert(1, "period", np.repeat(self.panel.periods[targets].to_numpy(), n))
        for c in ("country", "admin1_code"):
            if c in self.panel.units:
                df.insert(2, c, np.tile(self.panel.units[c].to_numpy(), len(targets)))
        df["y"] = self.panel.y[:, targets].T.reshape(-1)
        df["deaths_best"] = self.panel.matrix("deaths_best")[:, targets].T.reshape(-1)
        return df
