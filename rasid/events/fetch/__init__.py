"""Fetch current events from the UCDP and ACLED APIs into the store (resumable, atomic, idempotent).

``fetch_ucdp`` and ``fetch_acled`` download every page (cached on disk by request), then ingest the
rows through :meth:`rasid.events.Store.ingest_file` in one transaction; ``plan_update`` / ``run_update``
keep the sources of the user's config current. See ``docs/fetch.md``.
"""

from rasid.events.fetch._cache import atomic_write
from rasid.events.fetch._http import Http, RetryPolicy
from rasid.events.fetch._run import FetchResult
from rasid.events.fetch.acled import acled_credentials, fetch_acled
from rasid.events.fetch.ucdp import fetch_ucdp, ucdp_token

__all__ = ["FetchResult", "Http", "RetryPolicy", "acled_credentials", "atomic_write", "fetch_acled", "fetch_ucdp",
           "ucdp_token"]
