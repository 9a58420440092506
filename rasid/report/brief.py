"""The brief: gather every number from the library (:func:`build_brief`) and render it (:func:`render_brief`).

``build_brief`` only calls the analysis functions (focus, hotspots, explanation, forecast, backtest,
political calendar) and keeps their tables; ``render_brief`` turns those tables into HTML, Markdown
or PDF through the per-language Jinja2 templates. A section whose analysis module is not installed
(or fails on the data) is kept with the reason, and the brief says so instead of showing numbers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from rasid.analysis.backtest import backtest
from rasid.analysis.emerging import emerging_hotspots
from rasid.analysis.explain import explain
from rasid.analysis.focus import focus_table
from rasid.analysis.forecast import forecast
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.context.calendar import VOTE_CATEGORIES, political_calendar
from rasid.errors import QueryError, RasidError, ReportError
from rasid.events import EventFilter, actor_label, canonical_actor
from rasid.events.window import Window, WindowLike
from rasid.geo.units import unit_frame
from rasid.report import _render
from rasid.report.options import FORMATS, LANGS, check_digits, check_formats, check_query
from rasid.report.places import event_sites_ar, place_sites, site_name
from rasid.report.sources import article_line, source_ref
from rasid.text.documents import read_documents
from rasid.text.motives import extract_motives

__all__ = ["BriefData", "build_brief", "render_brief", "notable_attacks", "motives_table", "write_tables", "LANGS",
           "FORMATS", "SECTIONS"]

SECTIONS = ("findings", "attacks", "explain", "forecast", "calendar", "hotspots")
_PRECISE_DATES = {"day", "days"}
_PRECISE_PLACES = {"exact", "near", "admin3", "admin2"}


@dataclass
class BriefData:
    """Everything a brief shows: query parameters, data versions, and the library's tables per section."""

    actor: str
    actor_label: dict[str, str]
    countries: list[str]
    window: tuple[dt.date, dt.date]
    baseline: tuple[dt.date, dt.date]
    unit: str
    top_n: int
    horizon: int
    generated: dt.date
    params: dict
    data_versions: list[dict]
    totals: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    explanation: dict | None = None
    backtest: dict | None = None
    missing: dict[str, str] = field(default_factory=dict)
    spec: PanelSpec | None = None
    #: per top place: the sites of its events and where they are (:func:`rasid.report.places.place_sites`)
    places: dict[str, dict] = field(default_factory=dict)

    @property
    def top(self) -> pd.DataFrame:
        """The top focus places (rows of the focus table shown in the key findings)."""
        return self.tables.get("top", pd.DataFrame())


# --------------------------------------------------------------------------------------------------
# gathering


def _failed(name: str, exc: Exception) -> str:
    """The reason kept for a section whose analysis failed on these data."""
    kind = "" if isinstance(exc, RasidError) else f"{type(exc).__name__}: "
    return f"{name} failed on these data: {kind}{exc}"


def _sides(row: pd.Series, actor: str) -> tuple[str | None, float, float]:
    """The opposing side's canonical id, the deaths UCDP counts on that side, and on the actor's own side."""
    a, b = row.get("deaths_side_a"), row.get("deaths_side_b")
    a = 0.0 if pd.isna(a) else float(a)
    b = 0.0 if pd.isna(b) else float(b)
    if row.get("actor1_id") == actor:
        return row.get("actor2_id"), b, a
    return row.get("actor1_id"), a, b


def notable_attacks(events: pd.DataFrame, actor: str, *, since: dt.date, until: dt.date, n: int = 8) -> pd.DataFrame:
    """The actor's deadliest precisely dated and located events in ``since..until``, most victims first.

    Victims are the people the actor killed: everyone killed in one-sided violence by the actor, and the
    opposing side's dead (UCDP ``deaths_side_a/b``) in clashes; the actor's own dead and civilians caught in
    clashes (often killed by the other side) do not count, so air strikes on the actor rank low. Columns: ``event_id, source, source_id, source_version,
    date, country, admin1_*, admin2_*, location, site_en, site_ar, opponent_id, event_type, killed, killed_low,
    killed_high, victims, wounded, source_url, source_text, source_ref``; ``site_en`` is the site the source
    names (:func:`rasid.report.places.site_name`), ``site_ar`` its Arabic name when the data has one
    (:func:`rasid.report.places.site_name_ar`, at the event's own coordinates), else empty.
    """
    if events.empty:
        return pd.DataFrame()
    d = pd.to_datetime(events["date_start"])
    ev = events[(d >= pd.Timestamp(since)) & (d <= pd.Timestamp(until))
                & events["date_precision"].isin(_PRECISE_DATES) & events["geo_precision"].isin(_PRECISE_PLACES)]
    if ev.empty:
        return pd.DataFrame()
    sides = [_sides(r, actor) for _, r in ev.iterrows()]
    one_sided = (ev["event_type"] == "one-sided") & (ev["actor1_id"] == actor)
    total = pd.to_numeric(ev["deaths_best"], errors="coerce").fillna(0)
    victims = total.where(one_sided, pd.Series([s[1] for s in sides], index=ev.index))
    out = pd.DataFrame({
        "event_id": ev["event_id"], "source": ev["source"], "source_id": ev["source_id"],
        "source_version": ev["source_version"], "date": pd.to_datetime(ev["date_start"]).dt.date,
        "country": ev["country"], "admin1_code": ev["admin1_code"], "admin1_en": ev["admin1_en"],
        "admin1_ar": ev["admin1_ar"], "admin2_code": ev["admin2_code"], "admin2_en": ev["admin2_en"],
        "admin2_ar": ev["admin2_ar"], "location": ev["location"],
        "opponent_id": [s[0] for s in sides], "event_type": ev["event_type"],
        "killed": ev["deaths_best"], "killed_low": ev["deaths_low"], "killed_high": ev["deaths_high"],
        "victims": victims.clip(lower=0).astype("int64"),
        "wounded": ev["wounded"], "source_url": ev["source_url"], "source_text": ev["source_text"],
    })
    out = out[out["victims"] > 0].sort_values(["victims", "killed", "date"], ascending=[False, False, False])
    out = out.head(n).reset_index(drop=True)
    out.insert(out.columns.get_loc("location") + 1, "site_en", out["location"].map(site_name))
    at = ev.loc[ev["event_id"].isin(out["event_id"]), [c for c in ("event_id", "lat", "lon") if c in ev]]
    at = at.drop_duplicates("event_id")
    out.insert(out.columns.get_loc("site_en") + 1, "site_ar",
               event_sites_ar(out[["event_id", "location", "country"]].merge(at, on="event_id", how="left")))
    out["source_ref"] = [source_ref(r) for _, r in out.iterrows()]
    return out


def _place_sources(events: pd.DataFrame, codes: list[str], unit: str, per_place: int = 2) -> pd.DataFrame:
    """Per top place, the source text of its deadliest events in the window (quoted as evidence of what happened)."""
    key = "admin2_code" if unit == "admin2" else "admin1_code"
    if key not in events or events.empty:
        return pd.DataFrame()
    ev = events[events[key].isin(codes) & events["source_text"].notna()]
    ev = ev.sort_values(["deaths_best", "date_start"], ascending=[False, False]).groupby(key).head(per_place)
    out = pd.DataFrame({"unit_code": ev[key], "event_id": ev["event_id"], "date": pd.to_datetime(ev["date_start"]).dt.date,
                        "deaths_best": ev["deaths_best"], "source": ev["source"], "source_id": ev["source_id"],
                        "source_url": ev["source_url"], "source_text": ev["source_text"]})
    out["source_ref"] = [source_ref(r) for _, r in out.iterrows()]
    out["quote"] = [article_line(t) for t in out["source_text"]]
    return out.reset_index(drop=True)


def _top_places(focus: pd.DataFrame, units: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The ``top_n`` ranked rows with their governorate names and a significance flag."""
    gov = pd.DataFrame(units).drop(columns="geometry", errors="ignore")[["unit_code", "admin1_en", "admin1_ar"]]
    top = focus[focus["events"] > 0].head(top_n).merge(gov, on="unit_code", how="left")
    alpha = float(focus.attrs.get("alpha", 0.05))
    top["significant"] = top["q_value"] < alpha
    top["direction"] = np.where(top["location_quotient"] > 1, "up", np.where(top["location_quotient"] < 1, "down",
                                                                               "flat"))
    return top


def motives_table(paths: list[str | Path], *, use_encoder: bool = True) -> pd.DataFrame:
    """Stated motives of news files (text, HTML, JSONL or folders) as the table :func:`explain` quotes from.

    Columns ``objective, sentence, places, url, doc_id, published, confidence`` (one row per sentence
    and objective), from :func:`rasid.text.read_documents` and :func:`rasid.text.motives.extract_motives`.
    """
    rows = []
    for doc in read_documents([str(p) for p in paths]):
        for m in extract_motives(doc.text, doc_id=doc.id, use_encoder=use_encoder):
            rows.append({"objective": m.objective, "sentence": m.sentence, "places": "|".join(m.places),
                         "url": doc.url, "doc_id": doc.id, "published": doc.published, "confidence": m.confidence})
    cols = ["objective", "sentence", "places", "url", "doc_id", "published", "confidence"]
    return pd.DataFrame(rows, columns=cols)


def _explain_section(events: pd.DataFrame, data: BriefData, codes: list[str], options: dict) -> None:
    """Per-place objectives, effect sizes, evidence and the out-of-sample check from rasid.analysis.explain."""
    kw = {"place": codes, **options}
    try:
        exp = explain(events, data.spec, **kw)
    except Exception as exc:  # noqa: BLE001 - a failed analysis becomes a stated gap, not a crash
        data.missing["explain"] = _failed("explain", exc)
        return
    data.params["explain"] = {k: v for k, v in kw.items() if k not in ("place", "motives", "context_events")}
    if kw.get("motives") is not None:
        data.params["explain"]["motive_sentences"] = len(kw["motives"])
        data.tables["motives"] = kw["motives"]
    data.explanation = json.loads(json.dumps(exp.to_dict(), default=_json_default))
    data.tables.update(_explain_tables(data.explanation))


def _explain_tables(d: dict) -> dict[str, pd.DataFrame]:
    """Flatten an explanation dict into CSV-able tables (places x objectives, evidence)."""
    rows, ev_rows = [], []
    for place in d.get("places", []) or []:
        base = {k: v for k, v in place.items() if not isinstance(v, list | dict)}
        for obj in place.get("objectives", []) or []:
            r = {**base, **{f"objective_{k}": v for k, v in obj.items() if not isinstance(v, list | dict)}}
            rows.append(r)
            for e in obj.get("evidence", []) or []:
                ev_rows.append({"unit_code": place.get("unit_code"), "objective": obj.get("objective"),
                                **(e if isinstance(e, dict) else {"text": e})})
        for e in place.get("evidence", []) or []:
            ev_rows.append({"unit_code": place.get("unit_code"), **(e if isinstance(e, dict) else {"text": e})})
    out = {"explain_objectives": pd.DataFrame(rows)}
    if ev_rows:
        out["explain_evidence"] = pd.DataFrame(ev_rows)
    return out


def _json_default(o: object) -> object:
    """JSON for numpy / pandas / dates."""
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, dt.date | pd.Timestamp):
        return str(o)[:10]
    if isinstance(o, pd.DataFrame):
        return o.to_dict("records")
    return str(o)


def _forecast_section(events: pd.DataFrame, data: BriefData, codes: list[str], options: dict,
                      bt_options: dict) -> None:
    """Forecast for the top places (rasid.analysis.forecast) and its backtest skill (rasid.analysis.backtest)."""
    # forecast from the window's last month, or from the last month the data cover if that is earlier
    # (a store whose newest release ends before the window); months without events still count as data
    covered = [pd.Timestamp(v["max_date"]) for v in data.data_versions if v.get("max_date")]
    as_of = pd.Timestamp(data.window[1]).to_period("M").to_timestamp()
    if covered:
        as_of = min(as_of, max(covered).to_period("M").to_timestamp())
    kw = {"seed": 0, **options}
    kw.setdefault("data_end", as_of)
    try:
        fc = forecast(events, data.spec, as_of=as_of, horizon=data.horizon, **kw)
    except Exception as exc:  # noqa: BLE001 - a failed analysis becomes a stated gap, not a crash
        data.missing["forecast"] = _failed("forecast", exc)
        return
    data.params["forecast"] = {"as_of": f"{as_of:%Y-%m}", **{k: v for k, v in kw.items() if k != "data_end"}}
    order = {c: i for i, c in enumerate(codes)}
    fc = fc[fc["unit_code"].isin(codes)].assign(_o=lambda x: x["unit_code"].map(order))
    data.tables["forecast"] = fc.sort_values(["_o", "horizon"]).drop(columns="_o").reset_index(drop=True)
    # origins: the window's months whose every horizon is still observed, so the skill is measured on the window
    end = as_of - pd.DateOffset(months=data.horizon)
    origins = int(bt_options.pop("origins", 12))
    start = max(pd.Timestamp(data.window[0]), end - pd.DateOffset(months=origins - 1))
    model = kw.get("model", "ensemble")
    # the table's two baselines, and the probabilistic ones the verdict weighs the model against
    bkw = {"models": tuple(dict.fromkeys(("no_change", "mean12", "poisson_last", "conflictology", model))),
           "n_samples": kw.get("n_samples", 1000),
           "seed": 0, "n_boot": 500, **bt_options}
    try:
        res = backtest(events, data.spec, start=start, end=end, horizons=tuple(range(1, data.horizon + 1)), **bkw)
    except Exception as exc:  # noqa: BLE001 - a failed analysis becomes a stated gap, not a crash
        data.missing["backtest"] = _failed("backtest", exc)
        return
    data.params["backtest"] = {"start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}", **bkw}
    summ = res.summary
    data.tables["backtest"] = summ.reset_index(drop=True)
    mine = summ[summ["model"] == model].sort_values("horizon")
    skill = [c for c in mine.columns if c.startswith("crps_skill_vs_")]
    if mine.empty or mine[skill].isna().any(axis=None):
        data.missing["backtest"] = ("the skill is undefined for this window: the baselines' CRPS is zero "
                                    "(no events in the backtest months)")
        return
    baselines = [b for b in bkw["models"] if b != model]
    data.backtest = {"model": model, "baselines": baselines, "start": str(start.date()), "end": str(end.date()),
                     "rows": json.loads(mine.to_json(orient="records")),
                     "verdict": _verdicts(res, model)}


def _verdicts(res, model: str) -> dict[str, str]:
    """The scorecard's one-line verdict in each language; empty when no baseline was backtested beside the model."""
    try:
        return {lang: res.verdict(lang, model=model) for lang in LANGS}
    except QueryError:
        return {}


def _calendar_section(data: BriefData) -> None:
    """Votes held in the window and scheduled in the 12 months after it (no hindsight milestones)."""
    frames = [political_calendar(c) for c in data.countries]
    cal = pd.concat(frames).drop_duplicates(subset=["date", "country", "event"]) if frames else pd.DataFrame()
    if cal.empty:
        data.tables["calendar"] = cal
        return
    votes = cal[cal["category"].isin(VOTE_CATEGORIES)]
    start, end = pd.Timestamp(data.window[0]), pd.Timestamp(data.window[1])
    ahead_end = end + pd.DateOffset(months=12)
    during = votes[(votes["date"] >= start) & (votes["date"] <= end)].assign(when="window")
    ahead = votes[(votes["date"] > end) & (votes["date"] <= ahead_end)].assign(when="ahead")
    data.tables["calendar"] = pd.concat([during, ahead]).sort_values("date").reset_index(drop=True)


def _hotspots_section(events: pd.DataFrame, data: BriefData) -> None:
    """Emerging-hotspot pattern per district over baseline + window (rasid.analysis.emerging), for the map."""
    try:
        hs = emerging_hotspots(events, data.spec.replace(window=Window(data.baseline[0], data.window[1])))
    except Exception as exc:  # noqa: BLE001 - a failed analysis becomes a stated gap, not a crash
        data.missing["hotspots"] = _failed("emerging_hotspots", exc)
        return
    data.params["hotspots"] = {"start": str(data.baseline[0]), "end": str(data.window[1]), "method": "analytic"}
    data.tables["hotspots"] = hs.reset_index(drop=True)


def build_brief(store, *, actor: str = "IS", countries: list[str] | None = None, window: WindowLike = "2018-01..2018-12",
                baseline: str = "12m", unit: str = "admin2", top_n: int = 5, horizon: int = 3, n_attacks: int = 8,
                recent_months: int = 3, sections: tuple[str, ...] = SECTIONS, generated: dt.date | None = None,
                explain_options: dict | None = None, forecast_options: dict | None = None,
                backtest_options: dict | None = None, motives: pd.DataFrame | None = None,
                on_step: Callable[[str], None] | None = None) -> BriefData:
    """Query the store and run the analyses for one actor, region and window; returns the brief's data.

    ``*_options`` are passed on to :func:`rasid.analysis.explain.explain`, :func:`~rasid.analysis.forecast.forecast`
    and :func:`~rasid.analysis.backtest.backtest` (e.g. fewer bootstrap draws for quick runs). ``motives``
    (see :func:`motives_table`) gives the explanation quoted statements of motive to cite per place.
    ``on_step`` is called with the name of each step as it starts (a progress display; the library prints
    nothing). The options are checked first (:func:`rasid.report.options.check_query`); its warnings are kept
    in ``params["warnings"]``.
    """
    step = on_step or (lambda _name: None)
    step("checking the options")
    warnings = check_query(store, actor=actor, countries=countries, window=window, baseline=baseline, unit=unit,
                           top_n=top_n, horizon=horizon)
    actor_id = canonical_actor(actor) or actor
    spec = PanelSpec.make(unit=unit, window=window, countries=countries, actor=actor_id)
    ctry = list(spec.countries)
    win = spec.need_window()
    bwin = win.baseline(baseline)
    w, b = win.as_tuple(), bwin.as_tuple()
    step("reading the events")
    events = store.events(spec.event_filter(window=bwin.union(win)))
    if events.empty:
        raise QueryError(f"no events of {actor_id} in {', '.join(ctry)} between {b[0]} and {w[1]}")
    d = pd.to_datetime(events["date_start"])
    in_w = events[(d >= pd.Timestamp(w[0])) & (d <= pd.Timestamp(w[1]))]
    params = {"actor": actor_id, "countries": ctry, "window": f"{w[0]}..{w[1]}", "baseline": f"{b[0]}..{b[1]}",
              "baseline_spec": baseline, "unit": unit, "top_n": top_n, "horizon": horizon,
              "n_attacks": n_attacks, "recent_months": recent_months, **({"warnings": warnings} if warnings else {})}
    data = BriefData(
        spec=spec, actor=actor_id, actor_label={lg: actor_label(actor_id, lg) for lg in LANGS}, countries=ctry, window=w,
        baseline=b, unit=unit, top_n=top_n, horizon=horizon, generated=generated or dt.date.today(), params=params,
        data_versions=store.data_versions(),
        totals={"events": len(in_w), "deaths": int(pd.to_numeric(in_w["deaths_best"]).fillna(0).sum()),
                "baseline_events": len(events) - len(in_w)},
    )
    step("measuring the focus")
    focus = focus_table(events, spec, baseline=bwin)
    units = unit_frame(unit, ctry)
    data.tables["focus"] = focus
    data.totals.update(located_events=int(focus.attrs.get("total_events", focus["events"].sum())),
                       located_baseline_events=int(focus.attrs.get("baseline_total_events",
                                                                   focus["baseline_events"].sum())))
    top = _top_places(focus, units, top_n)
    data.tables["top"] = top
    codes = top["unit_code"].tolist()
    monthly = build_panel(events, spec.replace(window=bwin.union(win)), units=units).long
    data.tables["monthly"] = monthly[monthly["unit_code"].isin(codes)].reset_index(drop=True)
    recent_from = max(w[0], (pd.Timestamp(w[1]) - pd.DateOffset(months=recent_months) + pd.Timedelta(days=1)).date())
    data.params["recent_from"] = str(recent_from)
    data.tables["attacks"] = notable_attacks(in_w, actor_id, since=recent_from, until=w[1], n=n_attacks)
    data.tables["place_sources"] = _place_sources(in_w, codes, unit)
    step("naming the places")
    data.places = place_sites(in_w, codes, unit)
    events_all = (store.events(EventFilter(actors=[actor_id], countries=ctry, until=win.end))
                  if {"explain", "forecast"} & set(sections) else events)
    if "explain" in sections:
        if motives is not None and "published" in motives:  # no hindsight: nothing published after the window
            pub = pd.to_datetime(motives["published"], errors="coerce")
            motives = motives[pub.isna() | (pub <= pd.Timestamp(w[1]))].reset_index(drop=True)
        # every actor's events in the region: the time-varying control layers come from them
        ctx_events = store.events(EventFilter(countries=ctry, until=win.end))
        opts = {"n_boot": 50, "seed": 0, "context_events": ctx_events,
                **({"motives": motives} if motives is not None else {}), **(explain_options or {})}
        step("explaining the focus")
        _explain_section(events_all, data, codes, opts)
    if "forecast" in sections:
        step("forecasting and backtesting")
        _forecast_section(events_all, data, codes, forecast_options or {}, dict(backtest_options or {}))
    if "calendar" in sections:
        _calendar_section(data)
    if "hotspots" in sections:
        step("emerging hot spots")
        _hotspots_section(events, data)
    return data


# --------------------------------------------------------------------------------------------------
# rendering


def write_tables(data: BriefData, out_dir: str | Path) -> list[Path]:
    """Write every table behind the brief's numbers as CSV (plus params.json with the data versions)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in data.tables.items():
        p = out / f"{name}.csv"
        frame = pd.DataFrame(df).drop(columns="geometry", errors="ignore")
        frame.to_csv(p, index=False)
        paths.append(p)
    p = out / "params.json"
    p.write_text(json.dumps({"params": data.params, "data_versions": data.data_versions, "totals": data.totals,
                             "missing": data.missing, "explanation": data.explanation, "backtest": data.backtest,
                             "places": data.places},
                            ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
    paths.append(p)
    return paths


def render_brief(data: BriefData, lang: str = "en", fmt: str = "html", out_dir: str | Path = ".", *,
                 digits: str = "arabic", basename: str | None = None, charts: bool = True) -> list[Path]:
    """Write the brief in one language and one or more formats (``html``, ``md``, ``pdf``, comma-separated).

    ``charts=False`` leaves the charts and maps out (a text-only brief, quick to render).
    """
    if lang not in LANGS:
        raise ReportError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    formats = check_formats(fmt)
    check_digits(digits)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = basename or f"brief_{data.actor}_{'-'.join(data.countries)}_{data.window[0]:%Y%m}-{data.window[1]:%Y%m}_{lang}"
    return _render.write(data, lang, formats, out, stem, digits, charts=charts)
