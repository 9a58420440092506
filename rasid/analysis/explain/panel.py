"""The explanation's unit-month table: the shared feature table (lags, static, calendar, dynamic) over the window
and the years before it, the objectives each feature stands for, and which country-years the store covers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from rasid.analysis.features import DYNAMIC_FEATURES, FEATURES, STATIC_FEATURES, FeatureTable
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.events.window import Window

__all__ = ["OBJECTIVES", "CLAIM_OBJECTIVES", "KINDS", "MODEL_FEATURES", "MAIN_FEATURES", "HISTORY", "STATIC",
           "CALENDAR", "DYNAMIC", "explain_panel", "explain_frame", "coverage", "features_of", "usable",
           "COVERAGE_SHARE"]

#: objectives with data features (ids as in motive extraction), who holds the ground, the actor's own past, size
OBJECTIVES = ("oil", "disputed_territory", "corridor", "prisoners", "social_base", "political_calendar", "control",
              "history", "unit_size")
#: the objectives an analyst's claim can name (motive ids that have a data counterpart)
CLAIM_OBJECTIVES = ("oil", "disputed_territory", "corridor", "social_base", "prisoners", "political_calendar")
#: how each objective is reported: a motive, context that is not a motive, persistence, or a size control
KINDS = {**{o: "objective" for o in CLAIM_OBJECTIVES}, "control": "context", "history": "persistence",
         "unit_size": "control"}
HISTORY = ["y_l0", "y_m3", "y_m12", "nb_m3"]  # own last month, 3 and 12 months; neighbours: persistence
STATIC = [f for f in STATIC_FEATURES if f != "log_area"]
CALENDAR = ["pre_vote_3m", "vote_month"]
DYNAMIC = list(DYNAMIC_FEATURES)
_EXPLAIN_FEATURES = [*STATIC, *CALENDAR, *DYNAMIC, *HISTORY, "log_area"]
#: feature -> (objective, description), from the one feature table shared with the forecasts
MODEL_FEATURES: dict[str, tuple[str, str]] = {f: (FEATURES[f].objective, FEATURES[f].description)
                                              for f in _EXPLAIN_FEATURES}
#: per claim objective, the features tried in turn as its main feature (the first that varies is used)
MAIN_FEATURES: dict[str, tuple[str, ...]] = {
    "oil": ("oil_prox", "oil_attacks_m12", "oil_sites_25km", "pipeline"),
    "disputed_territory": ("handover_12m", "vacuum", "disputed", "contest_m3"),
    "corridor": ("route_prox", "route_flow_m3", "border_prox"),
    "social_base": ("log_population", "log_places"),
    "prisoners": ("detention_prox", "prison_attacks_m12"),
    "political_calendar": ("pre_vote_3m", "vote_month"),
}
#: a country-year is covered when the store holds at least this share of the country's busiest year
COVERAGE_SHARE = 0.10
_HIST_MONTHS = 12


def features_of(objective: str, feats: list[str] | None = None) -> list[str]:
    """The features of ``objective`` (among ``feats`` when given), in :data:`MODEL_FEATURES` order."""
    pool = feats if feats is not None else list(MODEL_FEATURES)
    return [f for f in pool if MODEL_FEATURES[f][0] == objective]


def usable(frame: pd.DataFrame, feats: list[str]) -> list[str]:
    """Features that vary (and have no missing values) in ``frame``."""
    return [f for f in feats if len(frame) and frame[f].notna().all() and frame[f].std() > 1e-9]


def coverage(events: pd.DataFrame, countries: tuple[str, ...]) -> dict[str, set[int]]:
    """Per country, the years the store covers: years with at least :data:`COVERAGE_SHARE` of the country's busiest
    year's events (all actors). Years below it (e.g. Syria before 2016 in the bundled UCDP file, a sample
    of a few dozen rows) are missing data, not zeros, and are left out of fits and scores."""
    out: dict[str, set[int]] = {c: set() for c in countries}
    if events is None or not len(events) or "country" not in events:
        return out
    yr = pd.to_datetime(events["date_start"]).dt.year
    counts = pd.crosstab(events["country"], yr)
    for c in countries:
        if c in counts.index:
            row = counts.loc[c]
            out[c] = {int(y) for y, n in row.items() if n >= COVERAGE_SHARE * row.max() and n > 0}
    return out


def explain_frame(events: pd.DataFrame, spec: PanelSpec, *, first_year: int | None = None,
                  context_events: pd.DataFrame | None = None) -> tuple[pd.DataFrame, FeatureTable]:
    """Unit-month rows from January of ``first_year`` (default: the window's start) to the window's end.

    Columns: ids, ``y`` (the measure), ``deaths_best``, every feature of :data:`MODEL_FEATURES` (a row for month
    ``t`` takes lags and dynamic context from ``t - 1``), and ``covered`` (the row's country-year is covered by
    the store, see :func:`coverage`). The panel starts 12 months before the first row so the history is full.
    ``context_events`` are every actor's events (the time-varying layers); default: ``events`` themselves.
    """
    w = spec.need_window()
    start = w.start if first_year is None else min(w.start, dt.date(first_year, 1, 1))
    span = Window(start, w.end)
    panel = build_panel(events, spec.replace(period="month", window=span.extended(_HIST_MONTHS)))
    ctx = context_events if context_events is not None else events
    table = FeatureTable(panel, static=True, calendar=True, dynamic=ctx)
    df = table.frame(h=1, names=list(MODEL_FEATURES))
    df = df[df.period >= pd.Timestamp(span.first_month)].reset_index(drop=True)
    cov = coverage(ctx, spec.countries)
    years = df.period.dt.year.to_numpy()
    ctry = df["country"].to_numpy() if "country" in df else np.full(len(df), spec.countries[0])
    df["covered"] = [y in cov.get(c, set()) for c, y in zip(ctry, years, strict=True)]
    return df, table


def explain_panel(events: pd.DataFrame, spec: PanelSpec, *, context_events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Unit-month rows of ``spec.window``: ``y`` (the measure), deaths and the features of :data:`MODEL_FEATURES`.

    History and dynamic features of month t come from months up to t - 1 (the panel starts 12 months before
    the window).
    """
    df, _ = explain_frame(events, spec, context_events=context_events)
    return df.drop(columns="covered")
