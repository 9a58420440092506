"""`rasid fetch ucdp|acled`, `rasid update`, `rasid alerts`, `rasid watch`: current data and what changed."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rasid.analysis.alerts import KINDS
from rasid.analysis.alerts import alerts as run_alerts
from rasid.commands._common import (
    DEFAULT_UNIT,
    ActorOpt,
    CountryOpt,
    DbOpt,
    check_format,
    console,
    err_console,
    fail,
    open_store,
    print_table,
    split_list,
    write_json,
)
from rasid.errors import QueryError, RasidError
from rasid.events import EventFilter, Store, parse_month
from rasid.events._countries import to_iso2
from rasid.events.fetch import Http, RetryPolicy, acled_credentials
from rasid.events.fetch import fetch_acled as fetch_acled_api
from rasid.events.fetch import fetch_ucdp as fetch_ucdp_api
from rasid.events.fetch.config import config_path, load_config, write_template
from rasid.events.fetch.update import plan_update, run_update
from rasid.report.digest import alerts_payload, alerts_section, write_digest

_DEFAULT_COUNTRIES = "IQ,SY"
CacheOpt = Annotated[Path | None, typer.Option("--cache-dir", help="Where pages of unfinished fetches wait "
                                                                    "(default: the user cache dir).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Config file (default: $RASID_CONFIG or the user "
                                                                  "config dir).", envvar="RASID_CONFIG")]
RetriesOpt = Annotated[int, typer.Option("--retries", min=1, max=20, help="Tries per request (429/5xx/network).")]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Ignore cached pages and earlier fetches; download again.")]
SkipOpt = Annotated[bool, typer.Option("--skip-bad-rows", help="Load the good rows when some are rejected.")]


def register(app: typer.Typer) -> None:
    """Add the fetch, update, alerts and watch commands to the app."""
    fetch_app = typer.Typer(help="Fetch events from the UCDP or ACLED API into the store (resumable, atomic).",
                            no_args_is_help=True)
    fetch_app.command("ucdp")(fetch_ucdp)
    fetch_app.command("acled")(fetch_acled)
    app.add_typer(fetch_app, name="fetch")
    app.command("update")(update)
    app.command("alerts")(alerts)
    app.command("watch")(watch)


def _date(text: str | None, *, end: bool = False) -> dt.date | None:
    """A day (YYYY-MM-DD) or a month's first or last day (YYYY-MM) from an option, or None."""
    return parse_month(text, end=end) if text else None


def _countries(text: str | None) -> list[str] | None:
    """Comma-separated countries; ALL means no filter."""
    items = split_list(text or _DEFAULT_COUNTRIES)
    return None if items and [i.upper() for i in items] == ["ALL"] else items


@contextmanager
def _progress():
    """A Rich progress bar on stderr (silent when stderr is not a terminal); yields the fetchers' callback."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rows]:,} rows"), TimeElapsedColumn(), console=err_console,
                  transient=True, disable=not err_console.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def update(label: str, done: int, total: int | None, rows: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total, rows=0)
            bar.update(tasks[label], completed=done, total=total, rows=rows)

        yield update


def _http(retries: int) -> Http:
    """The fetchers' HTTP client: ``retries`` tries per request on 429, 5xx and network errors."""
    return Http(policy=RetryPolicy(tries=retries))


def _report(results) -> None:
    """Each fetch's one-line summary, its notes and where its rejected rows went."""
    for r in results:
        console.print(r.summary(), highlight=False)
        for n in r.notes:
            console.print(f"  {n}", highlight=False)
        if r.rejects_file:
            console.print(f"  rejected rows and reasons: {r.rejects_file}", highlight=False)


def _interrupted() -> typer.Exit:
    """Say that Ctrl-C left the store as it was and how to resume; the exit (130) to raise."""
    err_console.print("interrupted: the store is unchanged by the unfinished fetch; run the same command again "
                      "to resume (downloaded pages are kept)", highlight=False)
    return typer.Exit(code=130)


@contextmanager
def _cli_errors() -> Iterator[None]:
    """Turn a rasid error into its one-line message and exit code, Ctrl-C into the resume hint (exit 130)."""
    try:
        yield
    except RasidError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        raise _interrupted() from None


@contextmanager
def _fetch_session(db: Path | None, retries: int) -> Iterator[tuple[Store, Callable, Http]]:
    """What every ``rasid fetch`` runs in: the writable store, the progress bar and the HTTP client, with
    errors and Ctrl-C reported as :func:`_cli_errors` does (the store is closed first)."""
    with _cli_errors(), open_store(db, read_only=False) as store, _progress() as progress, _http(retries) as http:
        yield store, progress, http


def _fetched(results, store: Store) -> None:
    """After a fetch: what each fetch added (see :func:`_report`) and which store it went into."""
    _report(results)
    console.print(f"store: {store.path}", highlight=False)


def fetch_ucdp(
    version: Annotated[str, typer.Option("--version", help="GED release (25.1), or with --candidate a monthly "
                                                           "release (25.0.8) or a year of them (25).")],
    candidate: Annotated[bool, typer.Option("--candidate", help="UCDP Candidate (monthly) releases.")] = False,
    country: Annotated[str | None, typer.Option("--country", help="ISO2 codes, names or Gleditsch–Ward codes "
                                                                  "(default IQ,SY; ALL for every country).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First event date YYYY-MM-DD (or YYYY-MM).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last event date YYYY-MM-DD (or YYYY-MM).")] = None,
    token: Annotated[str | None, typer.Option("--token", help="UCDP access token (default: $UCDP_TOKEN).")] = None,
    api_url: Annotated[str, typer.Option("--api-url", help="UCDP API address.")] = "https://ucdpapi.pcr.uu.se/api",
    db: DbOpt = None,
    cache_dir: CacheOpt = None,
    refresh: RefreshOpt = False,
    skip_bad_rows: SkipOpt = False,
    retries: RetriesOpt = 6,
) -> None:
    """Fetch UCDP GED or Candidate events from the UCDP API; each release is ingested whole or not at all."""
    with _fetch_session(db, retries) as (store, progress, http):
        results = fetch_ucdp_api(store, version=version, candidate=candidate, countries=_countries(country),
                                 since=_date(since), until=_date(until, end=True), token=token, api_url=api_url,
                                 cache_dir=cache_dir, http=http, refresh=refresh, skip_bad_rows=skip_bad_rows,
                                 progress=progress)
    _fetched(results, store)


def _acled_creds(config: Path | None):
    """ACLED credentials from the environment or the config's [acled] table (its warnings go to stderr)."""
    section, where = {}, None
    path = config or config_path()
    if path.is_file():
        cfg = load_config(path)
        section, where = (cfg.acled.section if cfg.acled else {}), path
        for w in cfg.warnings:
            err_console.print(f"warning: {w}", highlight=False)
    return acled_credentials(section, where or path)


def _acled_since(store, countries: list[str] | None, overlap: int) -> dt.date:
    """The day ``overlap`` days before the last ACLED event stored for the countries."""
    iso2 = [to_iso2(name=c) or c for c in countries] if countries else None
    have = store.events(EventFilter(sources=["acled"], countries=iso2), columns=["date_start"])
    if not len(have):
        raise QueryError("no ACLED events in the store yet: give --since YYYY-MM-DD for the first fetch")
    return have["date_start"].max().date() - dt.timedelta(days=overlap)


def fetch_acled(
    country: Annotated[str | None, typer.Option("--country", help="Names or ISO2 codes (default IQ,SY).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First event date YYYY-MM-DD (default: 30 days "
                                                              "before the last ACLED event stored).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last event date (default today).")] = None,
    api_url: Annotated[str, typer.Option("--api-url", help="ACLED API address.")] = "https://acleddata.com",
    db: DbOpt = None,
    config: ConfigOpt = None,
    cache_dir: CacheOpt = None,
    refresh: RefreshOpt = False,
    skip_bad_rows: SkipOpt = False,
    retries: RetriesOpt = 6,
) -> None:
    """Fetch ACLED events (OAuth with $ACLED_EMAIL / $ACLED_PASSWORD or the config's [acled]) into the store."""
    with _cli_errors():
        creds, countries = _acled_creds(config), _countries(country)
    with _fetch_session(db, retries) as (store, progress, http):
        start = _date(since) or _acled_since(store, countries, 30)
        result = fetch_acled_api(store, since=start, until=_date(until, end=True), countries=countries,
                                 api_url=api_url, credentials=creds, cache_dir=cache_dir, http=http, refresh=refresh,
                                 skip_bad_rows=skip_bad_rows, progress=progress)
    _fetched([result], store)


def _update(cfg, db: Path | None, *, dry_run: bool = False, retries: int = 6):
    """Plan (and unless ``dry_run`` run) an update; returns (plan, result or None, store path)."""
    with open_store(db or cfg.db, read_only=False) as store:
        plan = plan_update(store, cfg)
        if dry_run:
            return plan, None, store.path
        with _progress() as progress, _http(retries) as http:
            res = run_update(store, cfg, plan=plan, http=http, progress=progress)
        return plan, res, store.path


def update(
    config: ConfigOpt = None,
    db: DbOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be fetched, fetch nothing.")] = False,
    init: Annotated[bool, typer.Option("--init", help="Write a commented config file to start from.")] = False,
    retries: RetriesOpt = 6,
) -> None:
    """Fetch what the configured sources published since the last events in the store."""
    with _cli_errors():
        if init:
            console.print(f"wrote {write_template(config)}; edit it, then run `rasid update`", highlight=False)
            return
        cfg = load_config(config)
        for w in cfg.warnings:
            err_console.print(f"warning: {w}", highlight=False)
        plan, res, path = _update(cfg, db, dry_run=dry_run, retries=retries)
    for p in plan if dry_run else []:
        console.print(f"would fetch {p.describe()}", highlight=False)
    if res is not None:
        _report(res.results)
        for n in res.notes:
            console.print(n, highlight=False)
    if not plan:
        console.print("nothing to fetch: the store is as current as the config asks", highlight=False)
    if dry_run:
        return
    console.print(f"store: {path}", highlight=False)
    if res.error:
        raise fail(RasidError(res.error))


def _alert_events(store, actor: str | None, countries: list[str] | None):
    """The actor's events and the last day their sources cover."""
    events = store.events(EventFilter(actors=split_list(actor), countries=countries))
    info = store.info()
    if len(events):
        info = info[info["source"].isin(set(events["source"]))]
    end = pd.to_datetime(info["max_date"]).max() if len(info) else None
    return events, (None if end is None or pd.isna(end) else end)


def _run_alerts(store, *, actor, countries, unit, as_of, months, kinds, samples):

    events, end = _alert_events(store, actor, countries)
    if not len(events):
        raise QueryError(f"no events for {actor or 'any actor'} in {', '.join(countries or ['any country'])}")
    return run_alerts(events, unit=unit, countries=countries, as_of=as_of, months=months, data_end=end, actor=actor,
               kinds=tuple(kinds), n_samples=samples)


def alerts(
    actor: ActorOpt = None,
    country: CountryOpt = None,
    unit: Annotated[str, typer.Option("--unit", help="admin2 (districts, the default) or admin1 "
                                                     "(governorates).")] = DEFAULT_UNIT,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Month YYYY-MM (default: the last month the store "
                                                              "covers).")] = None,
    months: Annotated[int, typer.Option("--months", min=1, max=24, help="How many months up to --as-of.")] = 1,
    kinds: Annotated[str | None, typer.Option("--kinds", help="Comma-separated kinds (default all): new_hotspot, "
                                                              "intensifying, spread, forecast_exceedance, "
                                                              "lethality.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or md")] = "table",
    samples: Annotated[int, typer.Option("--samples", help="Forecast draws per unit.")] = 1000,
    db: DbOpt = None,
) -> None:
    """What changed in the latest month(s): new hot spots, intensifying, spread, above-forecast, deadlier."""
    try:
        check_format(fmt, ("table", "json", "md"))
        countries = [c.upper() for c in split_list(country or _DEFAULT_COUNTRIES)]
        with open_store(db) as store:
            df = _run_alerts(store, actor=actor, countries=countries, unit=unit, as_of=as_of, months=months,
                             kinds=split_list(kinds) or list(KINDS), samples=samples)
    except RasidError as exc:
        raise fail(exc) from exc
    payload = alerts_payload(df)
    if fmt == "json":
        write_json(payload)
        return
    if fmt == "md":
        sys.stdout.write(alerts_section(payload, "en") + "\n" + '<div dir="rtl" lang="ar">\n\n'
                         + alerts_section(payload, "ar") + "\n</div>\n")
        return
    title = f"alerts for {actor or 'all actors'} per {unit}, {df.attrs['as_of']}"
    if not len(df):
        console.print(f"{title}: none (nothing crossed a threshold)", highlight=False)
    else:
        view = df[["month", "unit_en", "kind", "events", "deaths", "baseline_events"]].rename(
            columns={"unit_en": "place", "baseline_events": "12m before"})
        view.insert(0, "#", range(1, len(view) + 1))
        print_table(view, title=title)
        for i, text in enumerate(df["text_en"], 1):
            console.print(f"{i}. {text}", highlight=False)
    for n in df.attrs.get("notes", []):
        err_console.print(f"note: {n}", highlight=False)


_EVERY = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_every(text: str) -> float:
    """'1d' / '6h' / '30m' / '45s' / '1w' -> seconds."""
    m = _EVERY.match(text or "")
    if not m or int(m[1]) < 1:
        raise QueryError(f"--every {text!r} must look like 1d, 6h, 30m, 45s or 1w")
    return float(int(m[1]) * _SECONDS[m[2].lower()])


def _cycle(cfg, db: Path | None, retries: int, samples: int) -> dict:
    """One watch cycle: update, then the alerts of every configured actor; the digest dict."""
    now = dt.datetime.now(dt.UTC)
    digest: dict = {"generated_at": now.strftime("%Y-%m-%d %H:%M UTC"), "config": str(cfg.path), "errors": []}
    try:
        _, res, path = _update(cfg, db, retries=retries)
        digest["store"] = str(path)
        digest["update"] = {**res.to_dict(), "summaries": [r.summary() for r in res.results]}
    except RasidError as exc:
        digest["update"] = {"error": str(exc), "summaries": [], "notes": []}
    try:
        with open_store(db or cfg.db) as store:
            info = store.info()
            digest["data"] = [{"source": r.source, "rows": int(r.rows), "min_date": str(r.min_date),
                               "max_date": str(r.max_date), "versions": list(r.versions)} for r in info.itertuples()]
            digest["alerts"] = []
            for actor in cfg.actors:
                try:
                    df = _run_alerts(store, actor=actor, countries=list(cfg.countries), unit=cfg.unit, as_of=None,
                                     months=1, kinds=list(KINDS), samples=samples)
                    digest["alerts"].append(alerts_payload(df))
                except RasidError as exc:
                    digest["errors"].append(f"alerts for {actor}: {exc}")
    except RasidError as exc:
        digest["errors"].append(str(exc))
    return digest


def watch(
    every: Annotated[str, typer.Option("--every", help="Interval: 1d, 6h, 30m, 1w ...")] = "1d",
    out: Annotated[Path | None, typer.Option("--out", help="Digest folder (default: the config's digests, else "
                                                          "./digests).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    once: Annotated[bool, typer.Option("--once", help="One cycle, then exit (for cron).")] = False,
    runs: Annotated[int | None, typer.Option("--runs", min=1, help="Stop after this many cycles.")] = None,
    retries: RetriesOpt = 6,
    samples: Annotated[int, typer.Option("--samples", help="Forecast draws per unit.")] = 1000,
) -> None:
    """Run `update` then `alerts` on a schedule; each digest (JSON + bilingual Markdown) lands in --out.

    Safe to stop at any moment: fetches commit whole or not at all, digests are written under a temporary
    name and renamed.
    """
    try:
        interval = parse_every(every)
        cfg = load_config(config)
    except RasidError as exc:
        raise fail(exc) from exc
    folder = out or cfg.digests or Path("digests")
    limit = 1 if once else runs
    done = 0
    try:
        while True:
            started = time.monotonic()
            digest = _cycle(cfg, db, retries, samples)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            paths = write_digest(digest, folder, stamp)
            n = sum(len(a.get("alerts", [])) for a in digest.get("alerts", []))
            err = digest.get("update", {}).get("error") or (digest["errors"][0] if digest["errors"] else None)
            console.print(f"{stamp}: {n} alert(s); digest {paths[1]}" + (f"; error: {err}" if err else ""),
                          highlight=False)
            done += 1
            if limit is not None and done >= limit:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        err_console.print("stopped", highlight=False)
