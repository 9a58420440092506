"""`rasid brief`: the analyst's brief (Arabic and/or English; HTML, Markdown, PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rasid.commands._common import (
    DEFAULT_UNIT,
    DbOpt,
    UnitOpt,
    check_output_dir,
    console,
    err_console,
    fail,
    open_store,
    output_dir,
    split_list,
)
from rasid.commands._progress import steps
from rasid.errors import RasidError
from rasid.report import build_brief, motives_table, render_brief, write_tables
from rasid.report.options import check_digits, check_formats, check_langs, check_query


def register(app: typer.Typer) -> None:
    """Add the brief command to the app."""
    app.command("brief")(brief)


def brief(
    actor: Annotated[str, typer.Option("--actor", help="Actor id or name (IS, ISIS, داعش ...).")] = "IS",
    country: Annotated[str, typer.Option("--country", help="ISO2 country codes, comma-separated (IQ,SY).")] = "IQ,SY",
    window: Annotated[str, typer.Option("--window", help="Months of the brief, e.g. 2018-01..2018-12.")] = "2018-01..2018-12",
    baseline: Annotated[str, typer.Option("--baseline", help="Baseline: 12m, 2y or 2017-01..2017-12.")] = "12m",
    lang: Annotated[str, typer.Option("--lang", help="ar, en or both.")] = "both",
    fmt: Annotated[str, typer.Option("--format", help="html, md, pdf; comma-separated for several.")] = "html",
    out: Annotated[Path, typer.Option("--out", help="Directory for the brief files.")] = Path("brief"),
    data_out: Annotated[Path | None, typer.Option("--data-out", help="Also write every table behind the numbers as CSV here.")] = None,
    digits: Annotated[str, typer.Option("--digits", help="Digits in Arabic briefs: arabic (٠١٢) or latin (012).")] = "arabic",
    unit: UnitOpt = DEFAULT_UNIT,
    top: Annotated[int, typer.Option("--top", help="Number of focus places in the key findings.")] = 5,
    horizon: Annotated[int, typer.Option("--horizon", help="Forecast months ahead (1-3 recommended).")] = 3,
    news: Annotated[list[Path] | None, typer.Option("--news", help="News files/folders whose stated motives the "
                                                    "explanation quotes (repeatable).")] = None,
    db: DbOpt = None,
) -> None:
    """Write the brief: key judgements, findings, notable attacks, why these places, outlook, method and data notes."""
    paths: list[Path] = []
    try:
        # every option that needs no data is checked before anything runs (``--format docx`` fails at once)
        langs = check_langs(lang)
        formats = check_formats(fmt)
        check_digits(digits)
        check_output_dir(out)
        if data_out is not None:
            check_output_dir(data_out)
        missing_news = [str(p) for p in (news or []) if not p.exists()]
        if missing_news:
            raise RasidError(f"--news: no such file or folder: {', '.join(missing_news)}")
        with steps(err_console, "brief") as progress:
            motives = None
            if news:
                progress.step("reading stated motives from the news")
                motives = motives_table(news)
            with open_store(db) as store:
                progress.step("checking the options against the store")
                for w in check_query(store, actor=actor, countries=split_list(country), window=window,
                                     baseline=baseline, unit=unit, top_n=top, horizon=horizon):
                    err_console.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
                data = build_brief(store, actor=actor, countries=split_list(country), window=window, baseline=baseline,
                                   unit=unit, top_n=top, horizon=horizon, motives=motives, on_step=progress.step)
            with output_dir(out) as staged:  # all files or none: nothing half-written is left
                for lg in langs:
                    progress.step(f"writing the {'Arabic' if lg == 'ar' else 'English'} brief ({', '.join(formats)})")
                    paths += render_brief(data, lg, ",".join(formats), staged.path, digits=digits)
            paths = [staged.final(p) for p in paths]
            if data_out is not None:
                progress.step("writing the data tables")
                with output_dir(data_out) as staged:
                    tables = write_tables(data, staged.path)
                paths += [staged.final(p) for p in tables]
    except RasidError as exc:
        raise fail(exc) from exc
    for p in paths:
        console.print(str(p), highlight=False, soft_wrap=True)
