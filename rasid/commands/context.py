"""`rasid explain` (why the actor focuses on places) and `rasid context` (the context layer table)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from rasid.analysis.explain import explain
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
    fail,
    load_events,
    make_spec,
    print_table,
    write_json,
)
from rasid.context import unit_features
from rasid.errors import InputError, QueryError, RasidError


def register(app: typer.Typer) -> None:
    """Add `explain` and `context` to the app."""
    app.command("explain")(explain_cmd)
    app.command("context")(context_cmd)


def _read_motives(path: Path) -> pd.DataFrame:
    """A motives table (objective, sentence, places, url, doc_id) from CSV, JSONL or Parquet."""
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        if path.suffix in (".jsonl", ".json"):
            return pd.read_json(path, lines=path.suffix == ".jsonl")
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read motives: {exc}", path=path) from exc


def explain_cmd(
    window: Annotated[str, typer.Option("--window", help="YYYY-MM..YYYY-MM")],
    actor: ActorOpt = None,
    country: CountryOpt = "IQ,SY",
    place: Annotated[str | None, typer.Option("--place", help="Place names or codes, comma-separated.")] = None,
    unit: UnitOpt = DEFAULT_UNIT,
    top: Annotated[int, typer.Option("--top", help="Places shown when --place is not given.")] = 5,
    measure: Annotated[str, typer.Option("--measure", help="events or deaths_best")] = "events",
    motives: Annotated[Path | None, typer.Option("--motives", help="Extracted motives (CSV/JSONL/Parquet).")] = None,
    boot: Annotated[int, typer.Option("--boot", help="Bootstrap replicates for the share intervals.")] = 30,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    db: DbOpt = None,
) -> None:
    """Why there: the actor's focus per place attributed to objectives, with effects and an out-of-sample check."""
    try:
        check_format(fmt, ("table", "json"))
        if not actor:
            raise QueryError("--actor is required (e.g. --actor IS)")
        spec = make_spec(actor=actor, country=country, unit=unit, window=window, measure=measure)
        mot = _read_motives(motives) if motives else None
        ev = load_events(db, spec, whole=True)
        res = explain(ev, spec, place=place, motives=mot, seed=seed, top=top, n_boot=boot)
    except RasidError as exc:
        raise fail(exc) from exc
    if fmt == "json":
        write_json(res.to_dict())
        return
    _print_explanation(res)


def _ci(lo: float | None, hi: float | None) -> str:
    return "" if lo is None or hi is None else f"[{lo:+.2f}, {hi:+.2f}]"


def _print_explanation(res) -> None:
    """Rich rendering: one table per place, then effects and the out-of-sample block."""
    d = res.to_dict()
    console.print(f"[bold]{d['actor']}[/] {d['window'][0]}..{d['window'][1]}, {d['unit']} units of "
                  f"{', '.join(d['countries'])}; measure: {d['measure']}", highlight=False)
    for p in d["places"]:
        console.print(f"\n[bold]{p['unit_en']}[/] ({p['unit_ar']}, {p['unit_code']}, {p['admin1_en']}): observed "
                      f"{p['observed']:g} {d['measure']} ({p['deaths_observed']:g} deaths) vs region average "
                      f"{p['expected']:.1f}; model {p['predicted']:.1f}", highlight=False)
        rows = []
        for o in p["objectives"]:
            ev = o["evidence"]
            rows.append({"objective": o["objective"] + (" (control)" if o["kind"] == "control" else ""),
                         "share [95% CI]": f"{o['share']:+.2f} {_ci(o['ci_low'], o['ci_high'])}",
                         "excl. history": ("" if o["share_excl_history"] is None else
                                           f"{o['share_excl_history']:+.2f} "
                                           f"{_ci(o['ci_low_excl_history'], o['ci_high_excl_history'])}"),
                         "texts": len(ev)})
        print_table(pd.DataFrame(rows))
        console.print("  layers: " + ", ".join(f"{k}={v:,.0f}" if abs(v) >= 1000 else f"{k}={v:g}"
                                            for k, v in p["layers"].items()), highlight=False)
        for o in p["objectives"]:
            for e in o["evidence"][:2]:
                console.print(f"  {o['objective']}: \u201c{(e['quote'] or '')[:120]}\u201d {e['url'] or ''}",
                              highlight=False)
        for k, v in p["text_only_evidence"].items():
            console.print(f"  text only — {k}: \u201c{(v[0]['quote'] or '')[:100]}\u201d {v[0]['url'] or ''}",
                          highlight=False)
    eff = res.effects[["objective", "feature", "irr", "ci_low", "ci_high", "p_value", "objective_p_value"]]
    console.print("\n[bold]Effects[/] (NB GLM, incidence-rate ratio per 1 SD, 95% CI cluster-robust by unit)")
    print_table(eff.round(3))
    oos = d["out_of_sample"]
    console.print("\n[bold]Out of sample[/]", highlight=False)
    if "models" in oos:
        m = pd.DataFrame(oos["models"]).T.reset_index(names="model")
        console.print(f"fit {oos['train_years'][0]}–{oos['train_years'][1]}, scored on {oos['test_year']}",
                      highlight=False)
        print_table(m)
    console.print(f"[bold]{oos['verdict']}[/]", highlight=False)
    for n in d["notes"]:
        console.print(f"note: {n}", highlight=False)


def context_cmd(
    unit: UnitOpt = DEFAULT_UNIT,
    country: CountryOpt = "IQ,SY",
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 200,
) -> None:
    """The context layers per unit (oil, disputed, corridors, detention, population)."""
    try:
        check_format(fmt)
        spec = make_spec(actor=None, country=country, unit=unit)
        df = unit_features(spec.unit, spec.countries)
        if fmt != "table":
            emit(df, fmt, spec, title="", table_cols=list(df.columns), limit=limit)
            return
    except RasidError as exc:
        raise fail(exc) from exc
    cols = {"unit_code": "code", "unit_en": "unit", "n_oil_sites": "oil", "dist_oil_km": "oil km",
            "pipeline_km": "pipe km", "disputed": "disp", "dist_border_km": "border km", "on_route": "route",
            "dist_detention_km": "det km", "population": "pop"}
    view = df[list(cols)].rename(columns=cols).round(0)
    print_table(view, title=f"context layers, {len(df)} {unit} units (--format csv: all columns)", limit=limit)
