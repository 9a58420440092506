"""`rasid forecast` and `rasid backtest`: monthly forecasts per place and their rolling-origin track record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from rasid.analysis.backtest import backtest as run_backtest
from rasid.analysis.forecast import CSV_COLUMNS, MODELS
from rasid.analysis.forecast import forecast as run_forecast
from rasid.analysis.spec import PanelSpec
from rasid.commands._common import (
    DEFAULT_UNIT,
    ActorOpt,
    CountryOpt,
    DbOpt,
    FormatOpt,
    UnitOpt,
    check_format,
    console,
    emit,
    err_console,
    fail,
    make_spec,
    open_store,
    print_table,
    split_list,
)
from rasid.errors import QueryError, RasidError
from rasid.events import EventFilter, parse_month

TargetOpt = Annotated[str, typer.Option("--target", help="events or deaths (UCDP best estimate).")]
ContextOpt = Annotated[bool, typer.Option("--context/--no-context",
                                          help="Add context layers (oil, border, detention, population, vote "
                                               "calendar) to the learned models.")]


def register(app: typer.Typer) -> None:
    """Add the forecast commands to the app."""
    app.command("forecast")(forecast)
    app.command("backtest")(backtest)


def _events(db: Path | None, spec: PanelSpec, until: str | None = None) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """The spec's events (optionally up to a month) and the last day their sources cover."""
    flt = EventFilter(actors=spec.actors, countries=list(spec.countries),
                      until=parse_month(until, end=True) if until else None)
    with open_store(db) as store:
        events = store.events(flt)
        info = store.info()
    # the sources these events come from cover up to their last day (quiet trailing months are zeros)
    if len(events) and "source" in events:
        info = info[info["source"].isin(set(events["source"]))]
    end = pd.to_datetime(info["max_date"]).max() if len(info) else None
    return events, (None if end is None or pd.isna(end) else end)


def forecast(
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    unit: UnitOpt = DEFAULT_UNIT,
    horizon: Annotated[int, typer.Option("--horizon", help="Months ahead (1..36).")] = 3,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Last observed month YYYY-MM (default: the data's last).")] = None,
    target: TargetOpt = "events",
    model: Annotated[str, typer.Option("--model", help="ensemble (default), glm, hurdle, lgbm, qlgbm or a baseline "
                                                       "(no_change, poisson_last, conflictology, ...).")] = "ensemble",
    fmt: FormatOpt = "table",
    samples: Annotated[int, typer.Option("--samples", help="Predictive draws per unit-month.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 30,
    context: ContextOpt = False,
) -> None:
    """Forecast events or deaths per unit for the months after --as-of, with intervals and P(at least one)."""
    try:
        check_format(fmt)
        if model not in MODELS:
            raise QueryError(f"unknown --model {model!r}; expected one of {', '.join(MODELS)}")
        spec = make_spec(actor=actor, country=country, unit=unit, measure=target)
        events, data_end = _events(db, spec, as_of)
        df = run_forecast(events, spec, as_of=as_of, horizon=horizon, model=model, n_samples=samples, seed=seed,
                          data_end=data_end, context=context)
        df = df.assign(month=df["month"].dt.strftime("%Y-%m"))
        title = (f"{model} forecast of {target} per {unit}, {df['month'].min()}..{df['month'].max()} "
                 f"(90% interval q05..q95)")
        cols = ["unit_code", "unit_en", "month", "horizon", "mean", "q05", "q50", "q95", "p_any"]
        if fmt == "csv":
            df = df[CSV_COLUMNS]
        shown = df.sort_values(["horizon", "mean"], ascending=[True, False]) if fmt == "table" else df
        emit(shown, fmt, spec, title=title, table_cols=cols, limit=limit)
    except RasidError as exc:
        raise fail(exc) from exc


def backtest(
    out: Annotated[Path, typer.Option("--out", help="Directory for the score CSVs and PNG plots.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    unit: UnitOpt = DEFAULT_UNIT,
    start: Annotated[str, typer.Option("--from", help="First origin month YYYY-MM.")] = "2015-01",
    end: Annotated[str, typer.Option("--to", help="Last origin month YYYY-MM.")] = "2018-12",
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons.")] = "1,2,3,4,5,6",
    target: TargetOpt = "events",
    models: Annotated[str | None, typer.Option("--models", help="Comma-separated models (default: all).")] = None,
    samples: Annotated[int, typer.Option("--samples", help="Predictive draws per unit-month.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    context: ContextOpt = False,
) -> None:
    """Rolling-origin backtest of every model against the baselines; writes the scorecard CSVs and PNG plots to --out."""
    try:
        try:
            hs = [int(h) for h in split_list(horizons) or []]
        except ValueError as exc:
            raise QueryError(f"--horizons must be comma-separated integers, got {horizons!r}") from exc
        chosen = split_list(models) or list(MODELS)
        bad = [m for m in chosen if m not in MODELS]
        if bad:
            raise QueryError(f"unknown model {bad[0]!r}; expected one of {', '.join(MODELS)}")
        spec = make_spec(actor=actor, country=country, unit=unit, measure=target)
        events, data_end = _events(db, spec)
        res = run_backtest(events, spec, start=start, end=end, horizons=hs, models=chosen, n_samples=samples,
                           seed=seed, data_end=data_end, context=context)
        paths = res.write(out)
    except RasidError as exc:
        raise fail(exc) from exc
    cols = ["model", "horizon", "n", "crps", "ign", "mis90", "mse_log1p", "brier", "coverage50", "coverage90"]
    cols += [c for c in ("crps_skill_vs_poisson_last", "crps_skill_vs_conflictology", "crps_skill_vs_no_change")
             if c in res.summary]
    print_table(res.summary[cols], title=f"backtest {unit} {target}: origins {start}..{end}")
    try:
        console.print(res.verdict("en"), highlight=False, soft_wrap=True)
    except QueryError:
        pass  # no baseline in --models: nothing to compare with
    for p in paths:
        console.print(f"wrote {p}", highlight=False)
    err_console.print(f"{res.timings.get('total', 0):.1f}s", highlight=False)
