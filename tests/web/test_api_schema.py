"""Property-based tests generated from the OpenAPI document (schemathesis): no request gets a 5xx.

They run on a small store (the 271-event UCDP sample plus hostile news events) so that the valid
requests Hypothesis finds run real analyses quickly. Each operation gets schema-valid requests and
schema-violating ones (negative mode). Brief jobs (POST /api/brief) are left out here: each valid
request starts a background build of every analysis; that route is tested in test_api and in the browser.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from rasid.web import create_app
from rasid.web.app import LOOPBACK_HOSTS

OPERATIONS = ["/api/info", "/api/events", "/api/focus", "/api/hotspots", "/api/forecast", "/api/explain",
              "/api/series", "/api/units", "/api/brief/{job}", "/api/brief/{job}/file"]


@pytest.fixture(scope="module")
def web_schema(small_db):
    # the ASGI transport sends Host: testserver; the app refuses other hosts than loopback by default
    app = create_app(small_db, allowed_hosts=[*LOOPBACK_HOSTS, "testserver"])
    return schemathesis.openapi.from_asgi("/openapi.json", app)


CASES = [pytest.param(p, m, id=f"{p}-{m.value}") for p in OPERATIONS
         for m in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if not (p == "/api/info" and m == GenerationMode.NEGATIVE)]  # no parameters to get wrong


def _fewer_permutations(case):
    """Bound the run time: at most 999 permutations (the schema allows 9999, which takes seconds per request)."""
    if isinstance(case.query, dict) and isinstance(case.query.get("permutations"), int):
        case.query["permutations"] = min(case.query["permutations"], 999)
    return case


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_no_server_errors(web_schema, path, mode):
    op = web_schema[path]["GET"]
    seen: list[int] = []

    strategy = op.as_strategy(generation_mode=mode)
    if path == "/api/hotspots" and mode == GenerationMode.POSITIVE:
        strategy = strategy.map(_fewer_permutations)

    @given(case=strategy)
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: " \
                                            f"{response.status_code} {response.text[:300]}"
        if response.status_code >= 400:
            assert set(response.json()) == {"message"}, response.text[:300]

    run()
    assert seen  # Hypothesis did send requests
    if mode == GenerationMode.NEGATIVE:
        assert any(400 <= s < 500 for s in seen)  # invalid requests are refused, not served


def test_openapi_document_describes_every_route(web_schema):
    paths = web_schema.raw_schema["paths"]
    assert set(OPERATIONS) | {"/api/brief"} <= set(paths)
    limit = next(p for p in paths["/api/events"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 1000
    unit = next(p for p in paths["/api/focus"]["get"]["parameters"] if p["name"] == "unit")
    assert unit["schema"]["enum"] == ["admin1", "admin2"]
