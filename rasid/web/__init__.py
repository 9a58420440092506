"""rasid in the browser: a JSON API over the store and a bilingual (Arabic-first) analyst workspace.

``create_app(db)`` builds the ASGI app (FastAPI); ``rasid serve`` runs it with uvicorn on 127.0.0.1.
See ``docs/web.md``.
"""

from rasid.web.app import CSP, create_app

__all__ = ["create_app", "CSP"]
