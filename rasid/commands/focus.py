"""`rasid focus`, `rasid hotspots`, `rasid trends`: where an actor concentrates, how it shifts, how sure we are."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import pandas as pd
import typer

from rasid.commands._common import (
    ActorOpt,
    CountryOpt,
    DbOpt,
    UnitOpt,
    fail,
    open_store,
    print_table,
    split_list,
    write_json,
)
from rasid.errors import QueryError, RasidError

FmtOpt = Annotated[str, typer.Option("--format", help="table, csv, json or geojson")]
PeriodOpt = Annotated[str, typer.Option("--period", help="week, month or quarter")]
WindowOpt = Annotated[str | None, typer.Option("--window", help="YYYY-MM..YYYY-MM (default: the last 60 months of data)")]
_FORMATS = ("table", "csv", "json", "geojson")


def register(app: typer.Typer) -> None:
    """Add the focus, hotspots and trends commands to the app."""
    app.command("focus")(focus)
    app.command("hotspots")(hotspots)
    app.command("trends")(trends)


def _events(db, actor: str | None, country: str | None, since=None, until=None) -> pd.DataFrame:
    """The actor's events from the store (whole range unless since/until)."""
    from rasid.events import EventFilter

    flt = EventFilter(actors=split_list(actor), countries=split_list(country), since=since, until=until)
    with open_store(db) as store:
        return store.events(flt)


def _window(window: str | None, events: pd.DataFrame, months: int = 60) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Explicit window, or the last ``months`` whole months of the events."""
    from rasid.events import parse_month_window

    if window:
        a, b = parse_month_window(window)
        return pd.Timestamp(a), pd.Timestamp(b)
    if events.empty:
        raise QueryError("no events match the filters; nothing to analyse")
    end = pd.Timestamp(events.date_start.max()).to_period("M").end_time.normalize()
    start = (end.to_period("M") - (months - 1)).start_time
    return start, end


def _emit(df: pd.DataFrame, fmt: str, *, unit: str, countries: list[str] | None, title: str,
          table_cols: list[str], limit: int) -> None:
    """Write ``df`` as a Rich table, CSV, JSON records or GeoJSON features (unit polygons)."""
    if fmt not in _FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(_FORMATS)}")
    out = df.copy()
    if "period" in out:
        out["period"] = pd.to_datetime(out["period"]).dt.strftime("%Y-%m-%d")
    if fmt == "table":
        print_table(out[[c for c in table_cols if c in out]], title=title, limit=limit)
    elif fmt == "csv":
        out.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        write_json(json.loads(out.to_json(orient="records", force_ascii=False)))
    else:
        from rasid.analysis.aggregate import unit_frame

        geo = unit_frame(unit, countries)[["unit_code", "geometry"]].merge(out, on="unit_code", how="right")
        sys.stdout.write(geo.to_json(ensure_ascii=False, na="null") + "\n")


def focus(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    window: Annotated[str, typer.Option("--window", help="Focus window YYYY-MM..YYYY-MM.")] = ...,
    baseline: Annotated[str, typer.Option("--baseline", help="12m (months before the window) or YYYY-MM..YYYY-MM")] = "12m",
    unit: UnitOpt = "admin1",
    alpha: Annotated[float, typer.Option("--alpha", help="FDR level for rising/fading labels.")] = 0.05,
    fmt: FmtOpt = "table",
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 25,
) -> None:
    """Where the actor's events concentrate in WINDOW vs the baseline: shares, LQ, rate ratio, q-values, label."""
    from rasid.analysis.focus import baseline_window, focus_table
    from rasid.events import parse_month_window

    countries = split_list(country)
    try:
        w = parse_month_window(window)
        b = baseline_window(w, baseline)
        ev = _events(db, actor, country, since=min(w[0], b[0]), until=max(w[1], b[1]))
        df = focus_table(ev, window=w, baseline=b, unit=unit, countries=countries, alpha=alpha)
        title = (f"{actor or 'all actors'}: {df.attrs['total_events']:,} events {w[0]}..{w[1]} vs "
                 f"{df.attrs['baseline_total_events']:,} in {b[0]}..{b[1]} ({unit})")
        _emit(df, fmt, unit=unit, countries=countries, title=title, limit=limit,
              table_cols=["rank", "unit_en", "unit_ar", "events", "deaths", "share", "baseline_events",
                          "baseline_share", "location_quotient", "rate_ratio", "q_value", "label"])
    except RasidError as exc:
        raise fail(exc) from exc


def hotspots(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    window: WindowOpt = None,
    unit: UnitOpt = "admin2",
    period: PeriodOpt = "month",
    method: Annotated[str, typer.Option("--method", help="permutation (esda-style) or analytic (ESRI-style z)")] = "permutation",
    permutations: Annotated[int, typer.Option("--permutations", help="Permutations; 9999 lets BH-FDR reach single units among ~100s.")] = 9999,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    time_lag: Annotated[int | None, typer.Option("--time-lag", help="Previous periods in the neighbourhood (analytic only; --emerging default 1).")] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="FDR level (per period).")] = 0.05,
    emerging: Annotated[bool, typer.Option("--emerging", help="One row per unit: emerging hot spot pattern (ESRI).")] = False,
    fmt: FmtOpt = "table",
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 40,
) -> None:
    """Getis-Ord Gi* hot and cold spots per unit and period (BH-FDR), or emerging hot spot patterns."""
    from rasid.analysis.emerging import emerging_hotspots
    from rasid.analysis.hotspots import hotspots as run_hotspots

    countries = split_list(country)
    try:
        ev = _events(db, actor, country)
        start, end = _window(window, ev)
        if emerging:
            lag = time_lag if time_lag is not None else (1 if method == "analytic" else 0)
            df = emerging_hotspots(ev, unit=unit, period=period, start=start, end=end, countries=countries,
                                   method=method, time_lag=lag, permutations=permutations, seed=seed, alpha=alpha)
            title = f"emerging hot spots ({method}, time lag {lag}), {start.date()}..{end.date()}, {unit}"
            cols = ["unit_code", "unit_en", "unit_ar", "pattern", "n_hot", "n_cold", "n_periods", "mk_tau", "mk_p",
                    "gi_z"]
            shown = df if fmt != "table" else df[df.pattern != "no pattern detected"]
        else:
            df = run_hotspots(ev, unit=unit, period=period, start=start, end=end, countries=countries,
                              permutations=permutations, seed=seed, method=method, time_lag=time_lag or 0,
                              alpha=alpha)
            title = (f"Gi* hot/cold spots ({method}), {start.date()}..{end.date()}, {unit} x {period}, "
                     f"q < {alpha}")
            cols = ["period", "unit_code", "unit_en", "unit_ar", "value", "gi_z", "p_value", "q_value",
                    "hotspot_class", "confidence"]
            shown = df if fmt != "table" else (df[df.hotspot_class != "none"]
                                               .sort_values(["period", "gi_z"], ascending=[False, False]))
        _emit(shown, fmt, unit=unit, countries=countries, title=title, table_cols=cols, limit=limit)
    except RasidError as exc:
        raise fail(exc) from exc


def trends(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    window: WindowOpt = None,
    unit: UnitOpt = "admin1",
    period: PeriodOpt = "month",
    recent: Annotated[int, typer.Option("--recent", help="Recent periods tested against the earlier ones.")] = 3,
    alpha: Annotated[float, typer.Option("--alpha")] = 0.05,
    fmt: FmtOpt = "table",
    limit: Annotated[int, typer.Option("--limit")] = 25,
) -> None:
    """Per-unit trend: Mann-Kendall, negative-binomial % change per period (CI), recent change flag."""
    from rasid.analysis.trends import trend_table

    countries = split_list(country)
    try:
        ev = _events(db, actor, country)
        start, end = _window(window, ev)
        df = trend_table(ev, unit=unit, period=period, start=start, end=end, countries=countries, recent=recent,
                         alpha=alpha)
        _emit(df, fmt, unit=unit, countries=countries, limit=limit,
              title=f"trends {start.date()}..{end.date()}, {unit} x {period} (last {recent} vs earlier)",
              table_cols=["unit_en", "unit_ar", "events", "recent_events", "mk_tau", "mk_trend", "slope_pct",
                          "slope_low", "slope_high", "recent_ratio", "change_q", "change_flag"])
    except RasidError as exc:
        raise fail(exc) from exc
