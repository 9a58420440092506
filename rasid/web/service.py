"""The workspace's data service: a read-only store, the library's analyses, and their in-process cache.

Every method takes validated values (a :class:`~rasid.analysis.spec.PanelSpec`, a
:class:`~rasid.events.query.EventFilter`) and returns library tables; the API layer renders them.
Each worker thread has its own read-only connection (DuckDB connections are not shared between
threads); the store cannot change while it is open read-only, so results are cached for the life
of the process, keyed on the normalised spec.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from rasid.analysis.emerging import emerging_hotspots
from rasid.analysis.explain import explain
from rasid.analysis.focus import focus_table
from rasid.analysis.forecast import forecast
from rasid.analysis.hotspots import hotspots
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError, StoreError
from rasid.events import EventFilter, Store, parse_month
from rasid.events.actors import actor_labels, canonical_actor
from rasid.events.query import events_sql, resolve_units
from rasid.events.schema import COLUMNS, EXPORT_COLUMNS
from rasid.events.window import Window
from rasid.geo.units import unit_frame
from rasid.web.cache import ResultCache

__all__ = ["Workspace", "EventsPage", "spec_key"]

_ORDER_SQL = "ORDER BY date_start, event_id"
#: idle read-only connections kept open
_POOL = 8
#: the canonical columns in export order (as `rasid events --format jsonl`), dates as YYYY-MM-DD; names only
_RECORD_SELECT_SQL = ", ".join(
    f"strftime({c}, '%Y-%m-%d') AS {c}" if c in ("date_start", "date_end") else c
    for c in [*EXPORT_COLUMNS, *(c for c in COLUMNS if c not in EXPORT_COLUMNS)])


def spec_key(spec: PanelSpec) -> tuple:
    """Hashable, normalised identity of a spec (actor ids canonical and sorted)."""
    return (spec.unit, spec.period, str(spec.window) if spec.window else None, spec.countries,
            _actor_key(spec.actor), spec.measure)


def _actor_key(actor: str | None) -> str | None:
    if not actor:
        return None
    return ",".join(sorted({canonical_actor(a.strip()) or a.strip() for a in actor.split(",") if a.strip()}))


def _filter_key(flt: EventFilter) -> tuple:
    def norm(v):
        return tuple(sorted(v)) if v else None
    return (norm([canonical_actor(a) or a for a in flt.actors or []]), norm(flt.countries), norm(flt.admin1),
            norm(flt.admin2), flt.since, flt.until, norm(flt.event_types), norm(flt.sources))


@lru_cache(maxsize=4096)
def _code(name: str, level: str) -> tuple[str | None, str | None]:
    """(code, None) of an admin unit name or code, or (None, error message); remembered either way, so a name
    the gazetteer has to be asked about (slow) is asked once."""
    try:
        return resolve_units([name], level)[0], None
    except QueryError as exc:
        return None, str(exc)


def _codes(names: list[str] | None, level: str) -> list[str] | None:
    """Admin codes of names as the query module resolves them (raises its QueryError for unknown names)."""
    if not names:
        return names
    out = []
    for n in names:
        code, err = _code(n, level)
        if err:
            raise QueryError(err)
        out.append(code)
    return out


def _frame_size(value: object) -> int:
    """Approximate bytes of a cached value (DataFrames by their memory use)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, (bytes, str)):
        return len(value)
    if isinstance(value, tuple):
        return sum(_frame_size(v) for v in value)
    return 4096


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow rows to pandas as the store returns them: dates as datetime64, integers as nullable Int64."""
    def mapper(t):
        if pa.types.is_integer(t):
            return pd.Int64Dtype()
        if pa.types.is_boolean(t):
            return pd.BooleanDtype()
        return None
    df = table.to_pandas(types_mapper=mapper)
    for c in ("date_start", "date_end"):
        if c in df:
            df[c] = pd.to_datetime(df[c])
    return df


@dataclass(frozen=True)
class EventsPage:
    """One page of events: the rows, the number matching the filter and the page's place in it."""

    rows: pd.DataFrame
    total: int
    limit: int
    offset: int


class Workspace:
    """Read-only access to one store plus cached analyses; one instance per running app."""

    def __init__(self, db: str | Path | None = None, *, motives: pd.DataFrame | None = None,
                 cache_items: int = 256, cache_bytes: int = 1024 * 2**20) -> None:
        self.path = Store(db, read_only=True).path
        if not self.path.exists():
            raise StoreError("no event store here yet; run `rasid ingest FILE` first", path=self.path, exit_code=2)
        self.motives = motives
        self.results = ResultCache(cache_items, cache_bytes, sizeof=_frame_size)
        self._sql = ResultCache(1024, 64 * 2**20)
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._open: list[Store] = []
        self._lock = threading.Lock()
        with self.connection():  # fail now, not on the first request, when the file is not a store
            pass

    # --- connections -----------------------------------------------------------------------------------------------
    @contextmanager
    def connection(self) -> Iterator[Store]:
        """A read-only store for one piece of work (DuckDB connections are not shared between threads at once).

        Connections are pooled: at most :data:`_POOL` stay open when idle, so the server holds a bounded number
        however many worker threads come and go.
        """
        try:
            st = self._idle.get_nowait()
        except queue.Empty:
            st = Store(self.path, read_only=True)
            st.con  # noqa: B018 - open now so a bad file fails here
            with self._lock:
                self._open.append(st)
        try:
            yield st
        finally:
            if self._idle.qsize() < _POOL:
                self._idle.put(st)
            else:
                with self._lock:
                    self._open.remove(st)
                st.close()

    def close(self) -> None:
        """Close every connection."""
        with self._lock:
            for st in self._open:
                st.close()
            self._open.clear()
        self._idle = queue.LifoQueue()

    # --- store facts -----------------------------------------------------------------------------------------------
    @cached_property
    def source_info(self) -> pd.DataFrame:
        """Per source: rows, date range, countries, releases (the store is read-only: computed once)."""
        with self.connection() as st:
            return st.info()

    @cached_property
    def data_versions(self) -> list[dict]:
        """Releases and files behind the store (for reproducibility notes)."""
        with self.connection() as st:
            return st.data_versions()

    @cached_property
    def actor_counts(self) -> pd.DataFrame:
        """Actors in the store with their event counts and labels: labelled actors first, then the most frequent."""
        with self.connection() as st:
            t = st.table()
            ids = (t.select(a=t.actor1_id.split(", ").unnest())
                   .union(t.select(a=t.actor2_id.split(", ").unnest()), distinct=False))
            counts = ids.filter(ids.a.notnull()).group_by("a").aggregate(events=ids.a.count()).to_pyarrow().to_pandas()
        counts = counts.rename(columns={"a": "actor_id"})
        labels = actor_labels()[["actor_id", "label_en", "label_ar", "kind"]]
        df = counts.merge(labels, on="actor_id", how="left")
        df["labelled"] = df["label_en"].notna()
        df["label_en"] = df["label_en"].fillna(df["actor_id"])
        df["label_ar"] = df["label_ar"].fillna(df["actor_id"])
        df = df.sort_values(["labelled", "events", "actor_id"], ascending=[False, False, True])
        keep = df[df.labelled | (df.groupby("labelled").cumcount() < 40)]
        return keep.drop(columns="labelled").fillna({"kind": ""}).reset_index(drop=True)

    @cached_property
    def date_range(self) -> tuple[str | None, str | None]:
        """First and last event day in the store."""
        info = self.source_info
        if info.empty:
            return None, None
        return str(min(info["min_date"])), str(max(info["max_date"]))

    # --- events ----------------------------------------------------------------------------------------------------
    def events_page(self, flt: EventFilter, *, limit: int, offset: int) -> EventsPage:
        """One page of the filtered events in store order (date, id); the SQL is the query module's."""
        filter_sql, params, total = self._page_sql(flt)
        with self.connection() as store:
            # every value is a bound parameter: the filter's (from the query module) and the page bounds
            rows = store.con.sql(f"SELECT * FROM ({filter_sql}) AS q {_ORDER_SQL} LIMIT $page_limit OFFSET $page_offset",
                                 params={**params, "page_limit": limit, "page_offset": offset}).to_arrow_table()
        return EventsPage(_to_pandas(rows)[COLUMNS], int(total), limit, offset)

    def events_records(self, flt: EventFilter, *, limit: int, offset: int) -> tuple[int, list[str]]:
        """The number of matching events and one page of them as JSON records written by DuckDB.

        Same records as `rasid events --format jsonl` (keys in export order, dates as YYYY-MM-DD, missing
        values null); DuckDB writes them outside Python's lock, so a page of 500 does not stall other requests.
        """
        filter_sql, params, total = self._page_sql(flt)
        with self.connection() as store:
            rows = store.con.sql(f"SELECT to_json(r)::VARCHAR FROM (SELECT {_RECORD_SELECT_SQL} FROM ({filter_sql}) AS q "
                                 f"{_ORDER_SQL} LIMIT $page_limit OFFSET $page_offset) AS r",
                                 params={**params, "page_limit": limit, "page_offset": offset}).fetchall()
        return total, [r[0] for r in rows]

    def _page_sql(self, flt: EventFilter) -> tuple[str, dict[str, object], int]:
        """The filter's SQL and parameters (the query module's ``events_sql``) and its row count (cached)."""
        flt = dataclasses.replace(flt, admin1=_codes(flt.admin1, "admin1"), admin2=_codes(flt.admin2, "admin2"))
        filter_sql, params = events_sql(flt)
        key = _filter_key(flt)
        with self.connection() as store:
            con = store.con
            total = self._sql.get(("count", key), lambda: int(
                con.sql(f"SELECT count(*) FROM ({filter_sql}) AS q", params=params).fetchall()[0][0]))
        return filter_sql, params, total

    def _events(self, flt: EventFilter) -> pd.DataFrame:
        """All events of a filter (cached: analyses of one view share their events)."""
        def run() -> pd.DataFrame:
            with self.connection() as st:
                return st.events(flt)
        return self.results.get(("events", _filter_key(flt)), run)

    # --- analyses --------------------------------------------------------------------------------------------------
    def focus(self, spec: PanelSpec, *, baseline: str = "12m", alpha: float = 0.05) -> pd.DataFrame:
        """The focus table of ``spec.window`` against ``baseline`` (as `rasid focus`)."""
        w = spec.need_window()
        b = w.baseline(baseline)

        def run() -> pd.DataFrame:
            ev = self._events(spec.replace(window=b.union(w)).event_filter())
            return focus_table(ev, spec, baseline=b, alpha=alpha)
        return self.results.get(("focus", spec_key(spec), str(b), alpha), run)

    def default_window(self, spec: PanelSpec, months: int = 60) -> PanelSpec:
        """``spec``, or with the last ``months`` months of its events as window when it has none (as the CLI)."""
        if spec.window is not None:
            return spec
        ev = self._events(EventFilter(actors=spec.actors, countries=list(spec.countries)))
        return spec.with_default_window(ev, months)

    def hotspots(self, spec: PanelSpec, *, emerging: bool = False, method: str = "permutation",
                 permutations: int = 9999, seed: int = 0, alpha: float = 0.05,
                 time_lag: int | None = None) -> pd.DataFrame:
        """Gi* per unit and period, or the emerging hot spot pattern per unit (as `rasid hotspots`)."""
        spec.need_window()

        def run() -> pd.DataFrame:
            ev = self._events(spec.event_filter())
            if emerging:
                lag = time_lag if time_lag is not None else (1 if method == "analytic" else 0)
                return emerging_hotspots(ev, spec, method=method, time_lag=lag, permutations=permutations,
                                         seed=seed, alpha=alpha)
            return hotspots(ev, spec, permutations=permutations, seed=seed, method=method,
                            time_lag=time_lag or 0, alpha=alpha)
        key = ("hotspots", spec_key(spec), emerging, method, permutations, seed, alpha, time_lag)
        return self.results.get(key, run)

    def forecast(self, spec: PanelSpec, *, as_of: str | None = None, horizon: int = 3, model: str = "ensemble",
                 samples: int = 1000, seed: int = 0, context: bool = False) -> pd.DataFrame:
        """Forecasts per unit for the months after ``as_of`` (as `rasid forecast`)."""
        def run() -> pd.DataFrame:
            flt = EventFilter(actors=spec.actors, countries=list(spec.countries),
                              until=parse_month(as_of, end=True) if as_of else None)
            events = self._events(flt)
            info = self.source_info
            # the sources of these events cover up to their last day (quiet trailing months are zeros)
            if len(events) and "source" in events:
                info = info[info["source"].isin(set(events["source"]))]
            end = pd.to_datetime(info["max_date"]).max() if len(info) else None
            data_end = None if end is None or pd.isna(end) else end
            return forecast(events, spec, as_of=as_of, horizon=horizon, model=model, n_samples=samples, seed=seed,
                            data_end=data_end, context=context)
        key = ("forecast", spec_key(spec), as_of, horizon, model, samples, seed, context)
        return self.results.get(key, run)

    def explain(self, spec: PanelSpec, *, places: list[str] | None = None, top: int = 5, boot: int = 30,
                seed: int = 0) -> dict:
        """The explanation as `rasid explain --format json` (``places``: unit codes; else the ``top`` places).

        One run per view and choice of places: the shift and the claims are reported for the chosen places,
        so a request for some places cannot be cut from the run for all of them.
        """
        spec.need_window()
        if not spec.actor:
            raise QueryError("actor is required (e.g. actor=IS)")
        ev_flt = EventFilter(actors=spec.actors, countries=list(spec.countries))
        ctx_flt = EventFilter(countries=list(spec.countries))  # every actor: the time-varying control layers
        chosen = list(dict.fromkeys(places)) if places else None

        def run() -> dict:
            return explain(self._events(ev_flt), spec, place=chosen, motives=self.motives, seed=seed,
                           top=top, n_boot=boot, context_events=self._events(ctx_flt)).to_dict()
        which = tuple(chosen) if chosen else ("top", top)
        return self.results.get(("explain", spec_key(spec), boot, seed, id(self.motives), which), run)

    def series(self, spec: PanelSpec, *, baseline: str = "12m") -> pd.DataFrame:
        """Monthly events and deaths per unit over the baseline and the window (the long panel)."""
        w = spec.need_window()
        span = w.baseline(baseline).union(w)

        def run() -> pd.DataFrame:
            ev = self._events(spec.replace(window=span).event_filter())
            panel = build_panel(ev, spec.replace(window=span, period="month"))
            return panel.long[["unit_code", "period", "events", "deaths_best"]].copy()
        return self.results.get(("series", spec_key(spec), str(span)), run)

    def units(self, unit: str, countries: tuple[str, ...], *, simplify: float = 0.005) -> pd.DataFrame:
        """Unit polygons (simplified as one coverage, so neighbours keep shared borders) and label points."""
        def run():
            uf = unit_frame(unit, countries).copy()
            geom = uf.geometry.values
            if simplify > 0:
                geom = shapely.set_precision(shapely.coverage_simplify(geom, simplify), 1e-4)
                geom = np.where(shapely.is_valid(geom), geom, shapely.make_valid(geom))
            uf["geometry"] = geom
            pts = shapely.point_on_surface(uf.geometry.values)
            uf["label_lon"] = np.round(shapely.get_x(pts), 4)
            uf["label_lat"] = np.round(shapely.get_y(pts), 4)
            return uf
        return self.results.get(("units", unit, countries, simplify), run)

    def window_of_data(self) -> Window | None:
        """The whole months the store covers."""
        lo, hi = self.date_range
        return None if lo is None else Window(parse_month(lo[:7]), parse_month(hi[:7], end=True))
