"""`rasid focus`, `rasid hotspots`, `rasid trends`: where an actor concentrates, how it shifts, how sure we are."""

from __future__ import annotations

from typing import Annotated

import typer

from rasid.analysis.emerging import emerging_hotspots
from rasid.analysis.focus import focus_table
from rasid.analysis.hotspots import hotspots as run_hotspots
from rasid.analysis.trends import trend_table
from rasid.commands._common import (
    DEFAULT_UNIT,
    ActorOpt,
    CountryOpt,
    DbOpt,
    FormatOpt,
    UnitOpt,
    WindowOpt,
    check_format,
    emit,
    err_console,
    fail,
    load_events,
    make_spec,
)
from rasid.commands._progress import steps
from rasid.errors import QueryError, RasidError

PeriodOpt = Annotated[str, typer.Option("--period", help="week, month or quarter")]


def register(app: typer.Typer) -> None:
    """Add the focus, hotspots and trends commands to the app."""
    app.command("focus")(focus)
    app.command("hotspots")(hotspots)
    app.command("trends")(trends)


def focus(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    window: Annotated[str, typer.Option("--window", help="Focus window YYYY-MM..YYYY-MM.")] = ...,
    baseline: Annotated[str, typer.Option("--baseline", help="12m (months before the window) or YYYY-MM..YYYY-MM")] = "12m",
    unit: UnitOpt = DEFAULT_UNIT,
    alpha: Annotated[float, typer.Option("--alpha", help="FDR level for rising/fading labels.")] = 0.05,
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 25,
) -> None:
    """Where the actor's events concentrate in WINDOW vs the baseline: shares, LQ, rate ratio, q-values, label."""
    try:
        check_format(fmt)
        spec = make_spec(actor=actor, country=country, unit=unit, window=window)
        w = spec.need_window()
        b = w.baseline(baseline)
        ev = load_events(db, spec.replace(window=b.union(w)))
        df = focus_table(ev, spec, baseline=b, alpha=alpha)
        title = (f"{actor or 'all actors'}: {df.attrs['total_events']:,} events {w} vs "
                 f"{df.attrs['baseline_total_events']:,} in {b} ({unit})")
        emit(df, fmt, spec, title=title, limit=limit,
             table_cols=["rank", "unit_en", "unit_ar", "events", "deaths", "share", "baseline_events",
                         "baseline_share", "location_quotient", "rate_ratio", "q_value", "label"])
    except RasidError as exc:
        raise fail(exc) from exc


def hotspots(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    window: WindowOpt = None,
    unit: UnitOpt = DEFAULT_UNIT,
    period: PeriodOpt = "month",
    method: Annotated[str, typer.Option("--method", help="permutation (esda-style) or analytic (ESRI-style z)")] = "permutation",
    permutations: Annotated[int, typer.Option("--permutations", help="Permutations; 9999 lets BH-FDR reach single units among ~100s.")] = 9999,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    time_lag: Annotated[int | None, typer.Option("--time-lag", help="Previous periods in the neighbourhood (analytic only; --emerging default 1).")] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="FDR level (per period).")] = 0.05,
    emerging: Annotated[bool, typer.Option("--emerging", help="One row per unit: emerging hot spot pattern (ESRI).")] = False,
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 40,
) -> None:
    """Getis-Ord Gi* hot and cold spots per unit and period (BH-FDR), or emerging hot spot patterns."""
    try:
        check_format(fmt)
        if method not in ("permutation", "analytic"):
            raise QueryError(f"unknown --method {method!r}; expected permutation or analytic")
        spec = make_spec(actor=actor, country=country, unit=unit, window=window, period=period)
        with steps(err_console, "hotspots") as progress:
            progress.step("reading the events")
            ev = load_events(db, spec)
            spec = spec.with_default_window(ev)
            progress.step(f"{'emerging hot spots' if emerging else 'Gi* per period'} ({method})")
            df = _hotspot_table(ev, spec, emerging=emerging, method=method, time_lag=time_lag,
                                permutations=permutations, seed=seed, alpha=alpha)
        w = spec.window
        if emerging:
            lag = time_lag if time_lag is not None else (1 if method == "analytic" else 0)
            title = f"emerging hot spots ({method}, time lag {lag}), {w}, {unit}"
            cols = ["unit_code", "unit_en", "unit_ar", "pattern", "n_hot", "n_cold", "n_periods", "mk_tau", "mk_p",
                    "gi_z"]
            shown = df if fmt != "table" else df[df.pattern != "no pattern detected"]
        else:
            title = f"Gi* hot/cold spots ({method}), {w}, {unit} x {period}, q < {alpha}"
            cols = ["period", "unit_code", "unit_en", "unit_ar", "value", "gi_z", "p_value", "q_value",
                    "hotspot_class", "confidence"]
            shown = df if fmt != "table" else (df[df.hotspot_class != "none"]
                                               .sort_values(["period", "gi_z"], ascending=[False, False]))
        emit(shown, fmt, spec, title=title, table_cols=cols, limit=limit)
    except RasidError as exc:
        raise fail(exc) from exc


def _hotspot_table(ev, spec, *, emerging: bool, method: str, time_lag: int | None, permutations: int, seed: int,
                   alpha: float):
    """Gi* per unit and period, or the emerging hot spot pattern per unit."""
    if emerging:
        lag = time_lag if time_lag is not None else (1 if method == "analytic" else 0)
        return emerging_hotspots(ev, spec, method=method, time_lag=lag, permutations=permutations, seed=seed,
                                 alpha=alpha)
    return run_hotspots(ev, spec, permutations=permutations, seed=seed, method=method, time_lag=time_lag or 0,
                        alpha=alpha)


def trends(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    window: WindowOpt = None,
    unit: UnitOpt = DEFAULT_UNIT,
    period: PeriodOpt = "month",
    recent: Annotated[int, typer.Option("--recent", help="Recent periods tested against the earlier ones.")] = 3,
    alpha: Annotated[float, typer.Option("--alpha")] = 0.05,
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option("--limit")] = 25,
) -> None:
    """Per-unit trend: Mann-Kendall, negative-binomial % change per period (CI), recent change flag."""
    try:
        check_format(fmt)
        spec = make_spec(actor=actor, country=country, unit=unit, window=window, period=period)
        ev = load_events(db, spec)
        spec = spec.with_default_window(ev)
        df = trend_table(ev, spec, recent=recent, alpha=alpha)
        emit(df, fmt, spec, limit=limit,
             title=f"trends {spec.window}, {unit} x {period} (last {recent} vs earlier)",
             table_cols=["unit_en", "unit_ar", "events", "recent_events", "mk_tau", "mk_trend", "slope_pct",
                         "slope_low", "slope_high", "recent_ratio", "change_q", "change_flag"])
    except RasidError as exc:
        raise fail(exc) from exc
