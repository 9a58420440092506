"""The ASGI app: the JSON API, the workspace page, its static files, security headers and JSON errors.

``create_app(db)`` opens the store read-only and serves everything from the package itself: the
page references no other host, and the Content-Security-Policy forbids inline script and every
other origin. Requests for a Host other than the loopback names are refused (DNS rebinding), and
state-changing requests from another origin are refused (cross-site POST).
"""

from __future__ import annotations

import importlib.metadata
import json
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import jinja2
import pandas as pd
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from rasid.errors import ModelError, RasidError, StoreError
from rasid.report.arabic import font_path, latin_font_path
from rasid.web.api import router
from rasid.web.cache import ResultCache
from rasid.web.jobs import BriefJobs
from rasid.web.service import Workspace

__all__ = ["create_app", "CSP", "LOOPBACK_HOSTS"]

#: no inline script, no other origin, no plugins, no framing
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_STATIC = Path(str(resources.files("rasid.web") / "static"))


class _SecurityHeaders:
    """Pure ASGI middleware: CSP and hardening headers on every response; cross-origin POSTs refused."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(scope.get("headers") or [])
            origin = headers.get(b"origin")
            if origin is not None and urlsplit(origin.decode("latin-1")).netloc != headers.get(b"host", b"").decode(
                    "latin-1"):
                resp = JSONResponse({"message": "cross-origin requests are not accepted"}, status_code=403)
                return await resp(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                hdrs = list(message.get("headers", []))
                names = {k.lower() for k, _ in hdrs}
                if b"content-security-policy" not in names:
                    hdrs.append((b"content-security-policy", CSP.encode()))
                hdrs += [h for h in _SECURITY_HEADERS if h[0] not in names]
                if scope["path"].startswith("/api/") and b"cache-control" not in names:
                    hdrs.append((b"cache-control", b"no-store"))
                message["headers"] = hdrs
            await send(message)
        return await self.app(scope, receive, send_with_headers)


@lru_cache(maxsize=2)
def _messages(lang: str) -> dict[str, str]:
    """The page's labels in one language (static/i18n/<lang>.json)."""
    return json.loads((_STATIC / "i18n" / f"{lang}.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("rasid.web", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:3]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{loc}: {e.get('msg', 'invalid')}" if loc else str(e.get("msg", "invalid")))
    return "invalid request: " + "; ".join(parts)


def create_app(db: str | Path | None = None, *, motives: pd.DataFrame | None = None,
               allowed_hosts: list[str] | None = None, cache_items: int = 256) -> FastAPI:
    """The workspace app over the store at ``db`` (opened read-only; None: $RASID_DB or the default store).

    ``motives`` (a table from :func:`rasid.report.motives_table`) lets the explanation and the brief quote
    stated motives from news. ``allowed_hosts``: Host headers accepted (default: the loopback names).
    """
    workspace = Workspace(db, motives=motives, cache_items=cache_items)
    briefs = BriefJobs(workspace)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        briefs.close()
        workspace.close()

    app = FastAPI(title="rasid", summary="Conflict events, focus, explanation and forecasts for Iraq and Syria",
                  version=_version(), docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.workspace = workspace
    app.state.briefs = briefs
    app.state.responses = ResultCache(1024, 512 * 2**20)
    app.include_router(router)

    @app.exception_handler(RasidError)
    async def _rasid_error(request: Request, exc: RasidError) -> JSONResponse:
        if isinstance(exc, ModelError):
            return _error(422, str(exc))
        if isinstance(exc, StoreError):
            return _error(503, str(exc))
        return _error(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"message": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(lang: Annotated[Literal["ar", "en"], Query()] = "ar") -> HTMLResponse:
        """The workspace page (Arabic by default, English with ?lang=en)."""
        html = _templates().get_template("index.html").render(lang=lang, dir="rtl" if lang == "ar" else "ltr",
                                                              t=_messages(lang), version=_version())
        return HTMLResponse(html)

    @app.get("/fonts/{name}", include_in_schema=False)
    async def fonts(name: Literal["arabic.ttf", "latin.ttf"]) -> FileResponse:
        """The page's fonts, from the Python font packages (IBM Plex Sans Arabic, DejaVu Sans)."""
        path = font_path() if name == "arabic.ttf" else latin_font_path()
        return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    hosts = allowed_hosts if allowed_hosts is not None else LOOPBACK_HOSTS
    if "*" not in hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(_SecurityHeaders)
    return app


def _version() -> str:
    return importlib.metadata.version("rasid")
