"""The JSON API: events, focus, hot spots, forecasts, explanation, series, units, info and brief jobs.

Every route validates its parameters (types and limits in :mod:`rasid.web.params`, meaning by the
library's own spec types), answers from the response cache when it can, and otherwise runs the
library in a worker thread. Errors are ``{"message": ...}`` with a 4xx status (see :mod:`rasid.web.app`).
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Callable, Hashable
from importlib import resources
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from rasid.analysis.forecast import CSV_COLUMNS as FORECAST_CSV_COLUMNS
from rasid.errors import QueryError
from rasid.events.query import resolve_units
from rasid.web import render
from rasid.web.params import (
    LIMITS,
    Actor,
    Admin,
    Alpha,
    Baseline,
    Country,
    Day,
    EventFormat,
    Lang,
    Model,
    Period,
    Seed,
    TableFormat,
    Unit,
    Window_,
    WindowReq,
    check_baseline,
    event_filter,
    make_spec,
    split,
)
from rasid.web.service import spec_key

__all__ = ["router", "ErrorBody"]

_JSON = "application/json"
_CSV = "text/csv; charset=utf-8"
_GEOJSON = "application/geo+json"
_MEDIA = {"json": _JSON, "csv": _CSV, "geojson": _GEOJSON}


class ErrorBody(BaseModel):
    """Every error: one line saying what is wrong with the request."""

    message: str


_ERRORS = {400: {"model": ErrorBody, "description": "A parameter that makes no sense (bad window, unknown place...)"},
           422: {"model": ErrorBody, "description": "A parameter of the wrong type or out of range, or an "
                                                    "analysis that cannot be fitted on these data"}}
_TABLE = {200: {"content": {_JSON: {}, "text/csv": {}, _GEOJSON: {}},
                "description": "The table: JSON {meta, columns, rows}, CSV or GeoJSON"}, **_ERRORS}

router = APIRouter(prefix="/api", responses=_ERRORS)


def _ws(request: Request):
    return request.app.state.workspace


async def _cached(request: Request, key: Hashable, compute: Callable[[], bytes], media_type: str,
                  headers: dict[str, str] | None = None, filename: str | None = None) -> Response:
    """The response body of ``key`` from the cache, or computed once in a worker thread."""
    cache = request.app.state.responses
    hit, body = cache.peek(key)
    if not hit:
        body = await run_in_threadpool(cache.get, key, compute)
    hdrs = dict(headers or {})
    if filename and media_type != _JSON:
        hdrs["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body, media_type=media_type, headers=hdrs)


def _spec_meta(spec, **extra) -> dict:
    return {"actor": spec.actor, "countries": list(spec.countries), "unit": spec.unit, "period": spec.period,
            "window": str(spec.window) if spec.window else None, "measure": spec.measure, **extra}


# --- info ------------------------------------------------------------------------------------------------------------
@router.get("/info", summary="Store sources, date ranges, versions, actors and the API's limits")
async def info(request: Request) -> Response:
    """What the store holds (per source: rows, dates, countries, releases), versions and limits."""
    ws = _ws(request)

    def compute() -> bytes:
        src = ws.source_info
        vendor = json.loads((resources.files("rasid.web") / "static" / "vendor" / "VENDOR.json").read_text("utf-8"))
        versions = {p: importlib.metadata.version(p) for p in ("rasid", "fastapi", "uvicorn", "duckdb", "pandas")}
        versions.update({k: v["version"] for k, v in vendor.items()})
        lo, hi = ws.date_range
        return render.dumps({
            "store": ws.path.name,
            "date_range": {"min": lo, "max": hi},
            "sources": [{"source": r.source, "rows": int(r.rows), "min_date": str(r.min_date),
                         "max_date": str(r.max_date), "countries": list(r.countries), "versions": list(r.versions)}
                        for r in src.itertuples()],
            "data_versions": ws.data_versions,
            "actors": ws.actor_counts.to_dict("records"),
            "versions": versions,
            "limits": LIMITS,
            "units": ["admin1", "admin2"],
        })
    return await _cached(request, ("info",), compute, _JSON)


# --- events ----------------------------------------------------------------------------------------------------------
@router.get("/events", summary="Events matching the filters (as `rasid events`), one page at a time",
            responses={200: {"content": {_JSON: {}, "text/csv": {}, _GEOJSON: {}}}})
async def events(
    request: Request,
    actor: Actor = None,
    country: Country = None,
    admin1: Admin = None,
    admin2: Admin = None,
    since: Day = None,
    until: Day = None,
    source: Annotated[str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_,\s-]+$",
                                        description="ucdp_ged, acled, gtd, news ... comma-separated")] = None,
    limit: Annotated[int, Query(ge=1, le=LIMITS["page_size"], description="Page size")] = LIMITS["default_page_size"],
    offset: Annotated[int, Query(ge=0, le=LIMITS["max_offset"])] = 0,
    fmt: EventFormat = "json",
) -> Response:
    """Events in canonical columns ordered by date; ``total`` (or the X-Total-Count header) counts all matches."""
    flt = event_filter(actor=actor, country=country, admin1=admin1, admin2=admin2, since=since, until=until,
                       source=source)
    ws = _ws(request)
    key = ("events", actor, flt.countries and tuple(flt.countries), flt.admin1 and tuple(flt.admin1),
           flt.admin2 and tuple(flt.admin2), flt.since, flt.until, flt.sources and tuple(flt.sources), limit, offset,
           fmt)

    def compute() -> bytes:
        if fmt == "json":
            total, records = ws.events_records(flt, limit=limit, offset=offset)
            body = render.records_json(records, total=total, limit=limit, offset=offset)
        else:
            page = ws.events_page(flt, limit=limit, offset=offset)
            total = page.total
            body = render.events_csv(page.rows) if fmt == "csv" else render.events_geojson(page.rows)
        return json.dumps(total).encode() + b"\n" + body
    cache = request.app.state.responses
    hit, blob = cache.peek(key)
    if not hit:
        blob = await run_in_threadpool(cache.get, key, compute)
    total, body = blob.split(b"\n", 1)
    headers = {"X-Total-Count": total.decode()}
    if fmt != "json":
        headers["Content-Disposition"] = f'attachment; filename="events.{fmt}"'
    return Response(body, media_type=_MEDIA[fmt], headers=headers)


# --- analyses --------------------------------------------------------------------------------------------------------
@router.get("/focus", summary="Where the actor concentrates: the `rasid focus` table", responses=_TABLE)
async def focus(
    request: Request,
    window: WindowReq,
    actor: Actor = None,
    country: Country = None,
    baseline: Baseline = "12m",
    unit: Unit = "admin2",
    alpha: Alpha = 0.05,
    fmt: TableFormat = "json",
) -> Response:
    """Per unit: events, share, baseline share, location quotient and rate ratio with CIs, q-value, label."""
    spec = make_spec(actor=actor, country=country, unit=unit, window=window, need_window=True)
    b = check_baseline(spec, baseline)
    ws = _ws(request)

    def compute() -> bytes:
        df = ws.focus(spec, baseline=str(b), alpha=alpha)
        if fmt == "csv":
            return render.table_csv(df)
        if fmt == "geojson":
            return render.table_geojson(df, spec.unit, spec.countries)
        return render.table_json(df, **_spec_meta(spec, baseline=str(b), alpha=alpha,
                                                  total_events=df.attrs.get("total_events"),
                                                  baseline_total_events=df.attrs.get("baseline_total_events")))
    return await _cached(request, ("focus", spec_key(spec), str(b), alpha, fmt), compute, _MEDIA[fmt],
                         filename=f"focus.{fmt}")


@router.get("/hotspots", summary="Gi* hot and cold spots per unit and period, or emerging hot spot patterns",
            responses=_TABLE)
async def hotspots(
    request: Request,
    actor: Actor = None,
    country: Country = None,
    window: Window_ = None,
    unit: Unit = "admin2",
    period: Period = "month",
    emerging: Annotated[bool, Query(description="One row per unit: the emerging hot spot pattern")] = False,
    method: Annotated[Literal["permutation", "analytic"], Query()] = "permutation",
    permutations: Annotated[int, Query(ge=99, le=LIMITS["permutations"])] = 9999,
    time_lag: Annotated[int | None, Query(ge=0, le=3, description="Previous periods in the neighbourhood "
                                                                  "(analytic only)")] = None,
    seed: Seed = 0,
    alpha: Alpha = 0.05,
    fmt: TableFormat = "json",
) -> Response:
    """Rows as `rasid hotspots --format csv` (with ``emerging=true``: as `rasid hotspots --emerging`)."""
    if method == "permutation" and time_lag:
        raise QueryError("permutation inference is per period; use method=analytic with time_lag")
    spec = make_spec(actor=actor, country=country, unit=unit, window=window, period=period)
    ws = _ws(request)
    key = ("hotspots", spec_key(spec), emerging, method, permutations, time_lag, seed, alpha, fmt)
    hit, body = request.app.state.responses.peek(key)
    if hit:
        return Response(body, media_type=_MEDIA[fmt])

    def compute() -> bytes:
        full = make_spec(actor=actor, country=country, unit=unit, window=str(ws.default_window(spec).window),
                         period=period)
        df = ws.hotspots(full, emerging=emerging, method=method, permutations=permutations, seed=seed, alpha=alpha,
                         time_lag=time_lag)
        if fmt == "csv":
            return render.table_csv(df)
        if fmt == "geojson":
            return render.table_geojson(df, spec.unit, spec.countries)
        return render.table_json(df, **_spec_meta(full, emerging=emerging, method=method, alpha=alpha,
                                                  permutations=permutations if method == "permutation" else 0))
    return await _cached(request, key, compute, _MEDIA[fmt], filename=f"hotspots.{fmt}")


@router.get("/forecast", summary="Monthly forecasts per unit with intervals (as `rasid forecast`)", responses=_TABLE)
async def forecast(
    request: Request,
    actor: Actor = None,
    country: Country = None,
    unit: Unit = "admin2",
    horizon: Annotated[int, Query(ge=1, le=LIMITS["horizon"], description="Months ahead")] = 3,
    as_of: Annotated[str | None, Query(max_length=10, pattern=r"^\s*[1-9]\d{3}-\d{1,2}\s*$",
                                       description="Last observed month YYYY-MM (default: the data's last)")] = None,
    target: Annotated[Literal["events", "deaths"], Query()] = "events",
    model: Model = "ensemble",
    samples: Annotated[int, Query(ge=100, le=LIMITS["samples"])] = 1000,
    seed: Seed = 0,
    context: Annotated[bool, Query(description="Add the context layers to the learned models")] = False,
    fmt: TableFormat = "json",
) -> Response:
    """One row per unit and month ahead: mean, quantiles q05..q95, P(at least one); CSV as the CLI's."""
    spec = make_spec(actor=actor, country=country, unit=unit, measure=target)
    if as_of is not None:
        make_spec(actor=None, country=None, window=as_of)  # a real month (2018-13 is refused here)
        as_of = as_of.strip()
    ws = _ws(request)

    def compute() -> bytes:
        df = ws.forecast(spec, as_of=as_of, horizon=horizon, model=model, samples=samples, seed=seed,
                         context=context)
        df = df.assign(month=df["month"].dt.strftime("%Y-%m"))
        if fmt == "csv":
            return render.table_csv(df[FORECAST_CSV_COLUMNS])
        if fmt == "geojson":
            return render.table_geojson(df, spec.unit, spec.countries)
        return render.table_json(df, **_spec_meta(spec, as_of=as_of or df["month"].min(), horizon=horizon,
                                                  model=model, samples=samples))
    key = ("forecast", spec_key(spec), as_of, horizon, model, samples, seed, context, fmt)
    return await _cached(request, key, compute, _MEDIA[fmt], filename=f"forecast.{fmt}")


@router.get("/explain", summary="Why there: objectives per place (as `rasid explain --format json`)")
async def explain(
    request: Request,
    window: WindowReq,
    actor: Annotated[str, Query(min_length=1, max_length=300, description="Actor id or name (required)")],
    country: Country = None,
    place: Admin = None,
    unit: Unit = "admin2",
    top: Annotated[int, Query(ge=1, le=LIMITS["top"], description="Places shown when place is not given")] = 5,
    measure: Annotated[Literal["events", "deaths_best"], Query()] = "events",
    boot: Annotated[int, Query(ge=0, le=LIMITS["boot"], description="Bootstrap replicates for the share CIs")] = 30,
    seed: Seed = 0,
) -> Response:
    """Places with observed and expected counts, objectives with signed shares, CIs and evidence; effects;
    the out-of-sample verdict."""
    spec = make_spec(actor=actor, country=country, unit=unit, window=window, measure=measure, need_window=True)
    if not spec.actor:
        raise QueryError("actor is required (e.g. actor=IS)")
    ws = _ws(request)
    names = split(place, "places")

    def compute() -> bytes:
        codes = _place_codes(ws, spec, names) if names else None
        return render.dumps(ws.explain(spec, places=codes, top=top, boot=boot, seed=seed))
    key = ("explain", spec_key(spec), tuple(names or ()), top, boot, seed)
    return await _cached(request, key, compute, _JSON)


def _place_codes(ws, spec, names: list[str]) -> list[str]:
    """Unit codes of places given as codes or names (English or Arabic)."""
    codes = set(ws.units(spec.unit, spec.countries)["unit_code"])
    out = []
    for n in names:
        code = n if n in codes else resolve_units([n], spec.unit)[0]
        if code not in codes:
            raise QueryError(f"place {n!r} is not a {spec.unit} unit of {', '.join(spec.countries)}")
        out.append(code)
    return out


@router.get("/series", summary="Monthly events and deaths per unit over the baseline and the window")
async def series(
    request: Request,
    window: WindowReq,
    actor: Actor = None,
    country: Country = None,
    unit: Unit = "admin2",
    baseline: Baseline = "12m",
    place: Admin = None,
) -> Response:
    """``{"months": [...], "units": {code: {"events": [...], "deaths": [...]}}}`` for the map slider and charts."""
    spec = make_spec(actor=actor, country=country, unit=unit, window=window, need_window=True)
    b = check_baseline(spec, baseline)
    ws = _ws(request)
    names = split(place, "places")

    def compute() -> bytes:
        long = ws.series(spec, baseline=str(b))
        if names:
            long = long[long.unit_code.isin(_place_codes(ws, spec, names))]
        months = sorted(long.period.unique())
        wide_e = long.pivot(index="unit_code", columns="period", values="events").reindex(columns=months).fillna(0)
        wide_d = long.pivot(index="unit_code", columns="period", values="deaths_best").reindex(columns=months)
        wide_d = wide_d.fillna(0)
        units = {c: {"events": [int(v) for v in wide_e.loc[c]], "deaths": [int(v) for v in wide_d.loc[c]]}
                 for c in wide_e.index}
        return render.dumps({"meta": _spec_meta(spec, baseline=str(b)),
                             "months": [f"{m:%Y-%m}" for m in months], "window_start": f"{spec.window.start:%Y-%m}",
                             "units": units})
    return await _cached(request, ("series", spec_key(spec), str(b), tuple(names or ())), compute, _JSON)


@router.get("/units", summary="Unit polygons (GeoJSON) with Arabic and English names",
            responses={200: {"content": {_GEOJSON: {}}}})
async def units(
    request: Request,
    unit: Unit = "admin2",
    country: Country = None,
    simplify: Annotated[float, Query(ge=0.0, le=0.05, description="Simplification tolerance in degrees "
                                                                  "(0: full detail)")] = 0.005,
) -> Response:
    """Governorates or districts of the countries, simplified as one coverage (shared borders stay shared)."""
    spec = make_spec(actor=None, country=country, unit=unit)
    ws = _ws(request)
    return await _cached(request, ("units", unit, spec.countries, simplify),
                         lambda: render.units_geojson(ws.units(unit, spec.countries, simplify=simplify)), _GEOJSON)


# --- brief -----------------------------------------------------------------------------------------------------------
@router.post("/brief", status_code=202, summary="Start building the brief of a view (HTML or PDF)")
async def brief_start(
    request: Request,
    window: WindowReq,
    actor: Annotated[str, Query(min_length=1, max_length=300)] = "IS",
    country: Country = None,
    unit: Unit = "admin2",
    baseline: Baseline = "12m",
    lang: Lang = "ar",
    fmt: Annotated[Literal["html", "pdf"], Query(alias="format")] = "html",
) -> JSONResponse:
    """A job id; poll ``GET /api/brief/{job}`` until ``status`` is ``done``, then download its ``file``."""
    spec = make_spec(actor=actor, country=country, unit=unit, window=window, need_window=True)
    b = check_baseline(spec, baseline)
    if len(split(actor, "actors") or []) != 1:
        raise QueryError("a brief is about one actor")
    job = request.app.state.briefs.submit(actor=spec.actor.strip(), countries=spec.countries, window=str(spec.window),
                                          baseline=str(b), unit=spec.unit, lang=lang, fmt=fmt)
    return JSONResponse(job.public(), status_code=202)


_JOB = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="Job id from POST /api/brief")]


@router.get("/brief/{job}", summary="State of a brief job")
async def brief_status(request: Request, job: _JOB) -> JSONResponse:
    """``queued``, ``running``, ``done`` (with the file's URL) or ``failed`` (with the reason)."""
    j = request.app.state.briefs.get(job)
    if j is None:
        return JSONResponse({"message": f"no brief job {job}"}, status_code=404)
    return JSONResponse(j.public())


@router.get("/brief/{job}/file", summary="The built brief (download)",
            responses={200: {"content": {"text/html": {}, "application/pdf": {}}}, 404: {"model": ErrorBody}})
async def brief_file(request: Request, job: _JOB) -> Response:
    """The HTML or PDF file of a finished job, as an attachment."""
    j = request.app.state.briefs.get(job)
    if j is None or j.status != "done" or j.path is None or not j.path.exists():
        return JSONResponse({"message": f"brief {job} is not ready"}, status_code=404)
    media = "application/pdf" if j.path.suffix == ".pdf" else "text/html; charset=utf-8"
    return FileResponse(j.path, media_type=media, filename=j.path.name,
                        headers={"Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                                                            "font-src data:; sandbox"})

