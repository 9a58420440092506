"""`rasid explain` (why the actor focuses on places, the shift, a verdict per claim) and `rasid context` (the layers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from rasid.analysis.aggregate import event_units
from rasid.analysis.explain import claims_from_motives, explain, read_claims
from rasid.commands._common import (
    DEFAULT_UNIT,
    ActorOpt,
    CountryOpt,
    DbOpt,
    FormatOpt,
    UnitOpt,
    WindowOpt,
    check_format,
    console,
    emit,
    fail,
    load_events,
    make_spec,
    open_store,
    print_table,
    write_json,
)
from rasid.context import unit_features
from rasid.context.dynamic import dynamic_layers
from rasid.errors import InputError, QueryError, RasidError
from rasid.events import EventFilter
from rasid.geo.units import unit_frame
from rasid.text.documents import read_documents
from rasid.text.motives import extract_motives


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


_MOTIVE_COLUMNS = ["objective", "sentence", "places", "url", "doc_id"]


def _first_record(path: Path) -> dict | None:
    """The first JSON object of a JSONL/JSON file, or None when the file is not JSON lines."""
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    return rec if isinstance(rec, dict) else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return None


def _claim_motives(path: Path) -> pd.DataFrame:
    """Motive sentences for --claims-from: the JSONL of `rasid extract` (motive records), a motives table (CSV,
    Parquet, JSONL with objective/sentence), or analysis texts (text, HTML, JSONL, folders) read and classified."""
    if not path.exists():
        raise InputError("no such file or folder", path=path)
    if path.is_file() and path.suffix.lower() in (".csv", ".parquet"):
        return _read_motives(path)
    if path.is_file() and path.suffix.lower() in (".jsonl", ".json"):
        first = _first_record(path)
        if first is not None and ("kind" in first or {"objective", "sentence"} <= set(first)):
            rows = []
            with path.open(encoding="utf-8") as fh:
                for i, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError(f"not JSON: {exc.msg}", path=path, line=i) from exc
                    if isinstance(rec, dict) and rec.get("kind", "motive") == "motive" and "objective" in rec:
                        rows.append({c: rec.get(c) for c in _MOTIVE_COLUMNS})
            return pd.DataFrame(rows, columns=_MOTIVE_COLUMNS)
    rows = []
    for doc in read_documents(path):
        for m in extract_motives(doc.text, doc_id=doc.id):
            rows.append({"objective": m.objective, "sentence": m.sentence, "places": list(m.places), "url": doc.url,
                         "doc_id": doc.id})
    return pd.DataFrame(rows, columns=_MOTIVE_COLUMNS)


def explain_cmd(
    window: Annotated[str, typer.Option("--window", help="YYYY-MM..YYYY-MM")],
    actor: ActorOpt = None,
    country: CountryOpt = "IQ,SY",
    place: Annotated[str | None, typer.Option("--place", help="Place names or codes, comma-separated.")] = None,
    unit: UnitOpt = DEFAULT_UNIT,
    top: Annotated[int, typer.Option("--top", help="Places shown when --place is not given.")] = 5,
    measure: Annotated[str, typer.Option("--measure", help="events or deaths_best")] = "events",
    motives: Annotated[Path | None, typer.Option("--motives", help="Extracted motives (CSV/JSONL/Parquet).")] = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="Claims to test (YAML/JSON: objective, places, "
                                                "text).")] = None,
    claims_from: Annotated[Path | None, typer.Option("--claims-from", help="Analysis texts (or `rasid extract` "
                                                     "JSONL) whose stated motives are tested.")] = None,
    baseline: Annotated[str | None, typer.Option("--baseline", help="Baseline of the shift, YYYY-MM..YYYY-MM "
                                                 "(default: as long as the window, just before it).")] = None,
    boot: Annotated[int, typer.Option("--boot", help="Bootstrap replicates for the share intervals.")] = 30,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    db: DbOpt = None,
) -> None:
    """Why there: the focus per place attributed to objectives, the shift explained, a verdict per claim."""
    try:
        check_format(fmt, ("table", "json"))
        if not actor:
            raise QueryError("--actor is required (e.g. --actor IS)")
        spec = make_spec(actor=actor, country=country, unit=unit, window=window, measure=measure)
        mot = _read_motives(motives) if motives else None
        claim_list = read_claims(claims) if claims else None
        if claims_from:
            found = _claim_motives(claims_from)
            extra = claims_from_motives(found)
            if not extra:
                raise InputError("no motive sentence with a data counterpart (oil, disputed territory, corridor, "
                                 "social base, prisoners, political calendar) found", path=claims_from)
            claim_list = (claim_list or []) + extra
            mot = found if mot is None else pd.concat([mot, found], ignore_index=True)
        ev = load_events(db, spec, whole=True)
        with open_store(db) as store:
            ctx = store.events(EventFilter(countries=list(spec.countries)))
        res = explain(ev, spec, place=place, motives=mot, claims=claim_list, context_events=ctx, baseline=baseline,
                      seed=seed, top=top, n_boot=boot)
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
            kind = "" if o["kind"] == "objective" else f" ({o['kind']})"
            rows.append({"objective": o["objective"] + kind,
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
    _print_rolling(oos)
    _print_shift(d["shift"])
    _print_claims(d["claims"])
    for n in d["notes"]:
        console.print(f"note: {n}", highlight=False)


def _pct(v: float | None) -> str:
    return "" if v is None else f"{v:+.1%}"


def _print_rolling(oos: dict) -> None:
    """One row per test year: deviance gains over history of the context, static and time-varying models."""
    rows = []
    for e in oos.get("by_year", []):
        g, lg = e["gains"].get("glm", {}), e["gains"].get("lgbm", {})
        rows.append({"test year": e["test_year"], "train": f"{e['train_years'][0]}-{e['train_years'][1]}",
                     "events": e["test_events"], "context vs history (GLM)": _pct(g.get("context_vs_history")),
                     "static vs history": _pct(g.get("static_vs_history")),
                     "time-varying vs history": _pct(g.get("dynamic_vs_history")),
                     "time-varying over static": _pct(g.get("dynamic_over_static")),
                     "context vs history (LightGBM)": _pct(lg.get("context_vs_history"))})
    if rows:
        console.print("\n[bold]Out of sample, rolling[/] (deviance reduction; > +1% = adds)", highlight=False)
        print_table(pd.DataFrame(rows))


def _print_shift(sh: dict) -> None:
    """The shift model: persistence, the effects with a CI away from 1, the listed places."""
    if not sh:
        return
    console.print(f"\n[bold]Shift[/] {sh['baseline'][0]}..{sh['baseline'][1]} -> {sh['window'][0]}..{sh['window'][1]}",
                  highlight=False)
    if "persistence" not in sh:
        console.print(sh.get("verdict", ""), highlight=False)
        return
    p = sh["persistence"]
    console.print(f"persistence (log baseline share): IRR {p['irr']:.2f} [{p['ci_low']:.2f}, {p['ci_high']:.2f}] "
                  f"per SD", highlight=False)
    eff = pd.DataFrame(sh["effects"])
    if not eff.empty:
        print_table(eff[["objective", "feature", "measure", "irr", "ci_low", "ci_high", "p_value"]])
    pl = pd.DataFrame(sh["places"])
    if not pl.empty:
        print_table(pl[["unit_code", "baseline", "window", "share_baseline", "share_window", "change",
                        "predicted_share", "predicted_share_persistence"]])
    console.print(f"[bold]{sh['verdict']}[/]", highlight=False)


def _print_claims(claims: list[dict]) -> None:
    """The claim table: verdict, effect per SD with CI, out-of-sample lift, places, first quote."""
    if not claims:
        return
    rows = [{"objective": c["objective"], "verdict": c["verdict"], "feature": c["feature"] or "",
             "IRR per SD [95% CI]": ("" if c["effect"] is None else
                                     f"{c['effect']:.2f} [{c['ci_low']:.2f}, {c['ci_high']:.2f}]"),
             "lift": _pct(c["oos_lift"]), "lift given others": _pct(c["oos_lift_given_others"]),
             "holds": ", ".join(c["places_hold"]), "does not": ", ".join(c["places_not"])} for c in claims]
    console.print("\n[bold]Claims[/] (rules: docs/explain.md)", highlight=False)
    print_table(pd.DataFrame(rows))
    for c in claims:
        console.print(f"  {c['objective']}: {c['reason']}", highlight=False)
        for q in c["quotes"][:2]:
            console.print(f"    \u201c{(q.get('quote') or '')[:140]}\u201d {q.get('url') or ''}", highlight=False)


def context_cmd(
    unit: UnitOpt = DEFAULT_UNIT,
    country: CountryOpt = "IQ,SY",
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 200,
    dynamic: Annotated[bool, typer.Option("--dynamic", help="Time-varying layers per unit and month, derived from "
                                          "the store's events (needs --window).")] = False,
    window: WindowOpt = None,
    db: DbOpt = None,
) -> None:
    """The context layers per unit (oil, disputed, corridors, detention, population); --dynamic: per unit-month."""
    try:
        check_format(fmt)
        spec = make_spec(actor=None, country=country, unit=unit, window=window)
        if dynamic:
            _dynamic_cmd(spec, fmt, limit, db)
            return
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


def _dynamic_cmd(spec, fmt: str, limit: int, db: Path | None) -> None:
    """Per unit and month: events per force, forces active, site events, control changes and the model features
    (a month's values use events up to its end; the models read them one month later: no look-ahead)."""
    if spec.window is None:
        raise QueryError("--dynamic needs --window YYYY-MM..YYYY-MM")
    with open_store(db) as store:
        ev = store.events(EventFilter(countries=list(spec.countries)))
    w = spec.window.extended(12)  # the trailing features of the first months need the year before
    months = pd.DatetimeIndex(pd.period_range(w.start, w.end, freq="M").start_time)
    units = unit_frame(spec.unit, spec.countries)
    layers = dynamic_layers(ev, event_units(ev, spec.unit), units, months, unit_level=spec.unit,
                            countries=spec.countries)
    df = layers.table()
    df = df[df.month >= pd.Timestamp(spec.window.first_month)]
    df = df.merge(pd.DataFrame(units.drop(columns="geometry"))[["unit_code", "unit_en", "unit_ar"]], on="unit_code")
    df = df[["unit_code", "unit_en", "unit_ar", *[c for c in df.columns if c not in ("unit_code", "unit_en", "unit_ar")]]]
    if fmt != "table":
        emit(df.rename(columns={"month": "period"}), fmt, spec, title="", table_cols=list(df.columns), limit=limit)
        return
    busy = df[df.forces_active > 0]
    cols = ["unit_code", "unit_en", "month", "forces_active", "contest_m3", "vacuum", "oil_events", "prison_events",
            "handover", "liberation"]
    view = busy[cols].assign(month=busy.month.dt.strftime("%Y-%m"))
    print_table(view, title=f"time-varying layers, {len(busy)} unit-months with a force active "
                f"(--format csv: every unit-month and column)", limit=limit)
