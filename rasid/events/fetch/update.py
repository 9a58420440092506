"""`rasid update`: fetch whatever the config's sources published since the store's last events.

The store is the memory of what was fetched: the UCDP yearly release is fetched when no row of it
is stored yet for the configured countries; Candidate releases start with the month after the last
UCDP event stored; ACLED starts ``overlap_days`` before its last stored event (ACLED revises recent
weeks; re-read rows replace themselves and add nothing). Each planned fetch is atomic; the update
stops at the first one that fails, and running it again resumes there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from rasid.errors import FetchError
from rasid.events.fetch._http import Http
from rasid.events.fetch._run import FetchResult, ProgressFn
from rasid.events.fetch.acled import acled_credentials, fetch_acled
from rasid.events.fetch.config import Config
from rasid.events.fetch.ucdp import NotReleased, fetch_ucdp
from rasid.events.query import EventFilter
from rasid.events.store import Store

__all__ = ["PlannedFetch", "UpdateResult", "plan_update", "run_update"]


@dataclass(frozen=True)
class PlannedFetch:
    """One fetch an update will run, and why."""

    source: str  # ucdp | ucdp-candidate | acled
    version: str | None
    since: dt.date | None
    until: dt.date | None
    reason: str

    def describe(self) -> str:
        """One line: what and why."""
        span = f"{self.since or '…'}..{self.until or '…'}"
        return f"{self.source} {self.version or ''} {span}: {self.reason}".replace("  ", " ")


@dataclass
class UpdateResult:
    """What an update planned, what it fetched, what it skipped and the error that stopped it (if any)."""

    planned: list[PlannedFetch]
    results: list[FetchResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict:
        """Plain dict for digests."""
        return {"planned": [p.describe() for p in self.planned], "results": [r.to_dict() for r in self.results],
                "notes": list(self.notes), "error": self.error}


def _stored(store: Store, source: str, countries: list[str]) -> pd.DataFrame:
    if not store.path.exists():
        return pd.DataFrame(columns=["date_start", "source_version"])
    return store.events(EventFilter(sources=[source], countries=countries), columns=["date_start", "source_version"])


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _next_month(d: dt.date) -> dt.date:
    return (pd.Timestamp(d).to_period("M") + 1).start_time.date()


def plan_update(store: Store, cfg: Config, *, today: dt.date | None = None) -> list[PlannedFetch]:
    """The fetches that bring the store up to date with the config's sources (nothing is fetched here)."""
    today = today or dt.date.today()
    countries = list(cfg.countries)
    plan: list[PlannedFetch] = []
    if cfg.ucdp is not None:
        have = _stored(store, "ucdp_ged", countries)
        if cfg.ucdp.version and not (have["source_version"] == cfg.ucdp.version).any():
            plan.append(PlannedFetch("ucdp", cfg.ucdp.version, cfg.since, None,
                                     f"GED {cfg.ucdp.version} is not in the store yet"))
        if cfg.ucdp.candidate:
            yearly_pending = bool(cfg.ucdp.version) and not (have["source_version"] == cfg.ucdp.version).any()
            if yearly_pending and cfg.ucdp.version[:2].isdigit():
                # GED YY.1 covers up to December of 20YY-1: the Candidate months start in January 20YY
                start: dt.date | None = dt.date(2000 + int(cfg.ucdp.version[:2]), 1, 1)
            elif len(have):
                start = _next_month(pd.to_datetime(have["date_start"]).max().date())
            else:
                start = cfg.since
            if start is not None and cfg.since is not None:
                start = max(start, cfg.since)
            if start is not None:
                start = _month_start(start)
                for year in range(start.year, today.year + 1):
                    lo, hi = max(start, dt.date(year, 1, 1)), min(dt.date(year, 12, 31), today)
                    if lo <= hi:
                        plan.append(PlannedFetch("ucdp-candidate", f"{year % 100:02d}", lo, hi,
                                                 f"Candidate months from {lo:%Y-%m}"))
    if cfg.acled is not None:
        have = _stored(store, "acled", countries)
        if len(have):
            last = pd.to_datetime(have["date_start"]).max().date()
            since = last - dt.timedelta(days=cfg.acled.overlap_days)
            reason = f"ACLED since its last stored event ({last}), {cfg.acled.overlap_days} days re-read"
        else:
            since, reason = cfg.since, "no ACLED events stored yet"
        if since is not None:
            plan.append(PlannedFetch("acled", None, since, today, reason))
    return plan


def run_update(store: Store, cfg: Config, *, plan: list[PlannedFetch] | None = None, http: Http | None = None,
               progress: ProgressFn | None = None, today: dt.date | None = None) -> UpdateResult:
    """Run the planned fetches in order, each atomic; stop at the first failure (recorded, not raised)."""
    today = today or dt.date.today()
    plan = plan_update(store, cfg, today=today) if plan is None else plan
    out = UpdateResult(planned=plan, notes=list(cfg.warnings))
    if cfg.ucdp is None and cfg.acled is None:
        out.notes.append(f"{cfg.path} configures no source ([ucdp] or [acled]); nothing to fetch")
    if cfg.acled is not None and not any(p.source == "acled" for p in plan):
        out.notes.append(f"ACLED: set since = \"YYYY-MM-DD\" in {cfg.path} for the first fetch")
    own = http is None
    client = http or Http()
    countries = list(cfg.countries)
    common = {"cache_dir": cfg.cache_dir, "http": client, "progress": progress}
    try:
        for p in plan:
            try:
                if p.source == "ucdp":
                    out.results += fetch_ucdp(store, version=str(p.version), countries=countries, since=p.since,
                                              until=p.until, token=cfg.ucdp.token, api_url=cfg.ucdp.api_url,
                                              **common)
                elif p.source == "ucdp-candidate":
                    try:
                        out.results += fetch_ucdp(store, version=str(p.version), candidate=True, countries=countries,
                                                  since=p.since, until=p.until, token=cfg.ucdp.token,
                                                  api_url=cfg.ucdp.api_url, today=today, **common)
                    except NotReleased as exc:
                        stale = p.since is not None and (today - p.since).days > 120
                        out.notes.append(f"{exc}: " + (f"if UCDP publishes no Candidate release for {p.since:%Y-%m}, "
                                                       f"move since in {cfg.path} past it" if stale
                                                       else "nothing newer yet"))
                        break  # later years cannot exist before this one
                else:
                    creds = acled_credentials(cfg.acled.section, cfg.path)
                    out.results.append(fetch_acled(store, since=p.since, until=p.until, countries=countries,
                                                   api_url=cfg.acled.api_url, credentials=creds, today=today,
                                                   **common))
            except FetchError as exc:
                done = len(out.results)
                out.error = (f"{exc} (update stopped at {p.source} {p.version or ''}; {done} fetch(es) done; "
                             "run `rasid update` again to resume)")
                break
    finally:
        if own:
            client.close()
    return out
