"""The JSON API over the bundled store: same rows as the CLI, validation, limits, security headers, read-only."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time

import duckdb
import pytest
import shapely.geometry
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rasid.cli import app as cli
from rasid.web import CSP, create_app


@pytest.fixture(scope="module")
def client(bundled_db):
    app = create_app(bundled_db)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def _cli(db, *args: str) -> str:
    res = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.stdout


def _err(r, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"message"} and body["message"]
    return body["message"]


# --- info and units ------------------------------------------------------------------------------------------------
def test_info_lists_sources_ranges_actors_versions(client):
    info = client.get("/api/info").json()
    assert info["date_range"] == {"min": "1989-01-01", "max": "2018-12-31"}
    (src,) = info["sources"]
    assert src["source"] == "ucdp_ged" and src["rows"] == 22202 and src["countries"] == ["IQ", "SY"]
    actors = {a["actor_id"]: a for a in info["actors"]}
    assert actors["IS"]["label_ar"].startswith("تنظيم الدولة") and actors["IS"]["events"] > 4000
    assert info["versions"]["leaflet"] == "1.9.4" and info["versions"]["uplot"] == "1.6.32"
    assert info["limits"]["page_size"] == 1000


def test_units_geojson_has_both_languages_and_valid_polygons(client):
    r = client.get("/api/units", params={"unit": "admin1"})
    assert r.headers["content-type"].startswith("application/geo+json")
    feats = r.json()["features"]
    assert len(feats) == 32  # 18 Iraqi governorates + 14 Syrian ones
    kirkuk = next(f for f in feats if f["properties"]["unit_en"] == "Kirkuk")
    assert kirkuk["properties"]["unit_ar"] == "كركوك"
    geom = shapely.geometry.shape(kirkuk["geometry"])
    assert geom.is_valid and geom.contains(shapely.geometry.Point(44.39, 35.47))
    label = shapely.geometry.Point(kirkuk["properties"]["label_lon"], kirkuk["properties"]["label_lat"])
    assert geom.buffer(1e-6).contains(label)
    iq = client.get("/api/units", params={"unit": "admin2", "country": "IQ"}).json()["features"]
    assert iq and {f["properties"]["country"] for f in iq} == {"IQ"}


# --- events --------------------------------------------------------------------------------------------------------
def test_events_csv_is_the_cli_csv(client, bundled_db):
    q = {"actor": "IS", "admin1": "Kirkuk", "since": "2018-01", "until": "2018-12"}
    r = client.get("/api/events", params={**q, "format": "csv", "limit": 1000})
    assert r.status_code == 200 and r.headers["x-total-count"] == "43"
    out = _cli(bundled_db, "events", "--actor", "IS", "--admin1", "Kirkuk", "--since", "2018-01", "--until", "2018-12",
               "--format", "csv")
    assert r.text == out


def test_events_json_records_are_the_cli_jsonl(client, bundled_db):
    q = {"actor": "IS", "admin2": "IQG13Q04", "since": "2017-01", "until": "2018-12"}
    body = client.get("/api/events", params={**q, "limit": 1000}).json()
    out = _cli(bundled_db, "events", "--actor", "IS", "--admin2", "IQG13Q04", "--since", "2017-01", "--until",
               "2018-12", "--format", "jsonl")
    cli_rows = [json.loads(line) for line in out.splitlines()]
    assert body["events"] == cli_rows and len(cli_rows) == body["total"] > 20
    assert [list(e) for e in body["events"][:1]] == [list(cli_rows[0])]  # same keys in the same order


def test_events_json_pages_are_ordered_and_disjoint(client):
    q = {"actor": "IS", "country": "IQ", "since": "2017-01", "until": "2017-12"}
    full = client.get("/api/events", params={**q, "limit": 1000}).json()
    assert full["total"] == full["count"] and 100 < full["total"] <= 1000
    p1 = client.get("/api/events", params={**q, "limit": 40, "offset": 0}).json()
    p2 = client.get("/api/events", params={**q, "limit": 40, "offset": 40}).json()
    assert p1["total"] == p2["total"] == full["total"]
    ids = [e["event_id"] for e in p1["events"] + p2["events"]]
    assert ids == [e["event_id"] for e in full["events"][:80]] and len(set(ids)) == 80
    dates = [e["date_start"] for e in full["events"]]
    assert dates == sorted(dates) and all(d.startswith("2017-") for d in dates)
    assert all(e["country"] == "IQ" and "IS" in (e["actor1_id"], e["actor2_id"]) for e in full["events"])


def test_events_geojson_and_arabic_admin_names(client):
    r = client.get("/api/events", params={"admin1": "كركوك", "since": "2018-01", "until": "2018-02", "format": "geojson"})
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["features"]
    assert all(f["properties"]["admin1_en"] == "Kirkuk" for f in fc["features"])
    assert all(f["geometry"]["type"] == "Point" for f in fc["features"] if f["geometry"])


@pytest.mark.parametrize(("params", "status", "needle"), [
    ({"limit": 0}, 422, "limit"),
    ({"limit": 1001}, 422, "limit"),
    ({"offset": -1}, 422, "offset"),
    ({"since": "yesterday"}, 422, "since"),
    ({"since": "2018-13"}, 400, "2018-13"),
    ({"since": "2018-06", "until": "2018-01"}, 400, "before"),
    ({"admin1": "Atlantis"}, 400, "Atlantis"),
    ({"country": "Iraq"}, 422, "country"),
    ({"format": "xml"}, 422, "format"),
    ({"actor": ",".join(["IS"] * 30)}, 400, "too many"),
])
def test_events_bad_parameters_get_a_4xx_message(client, params, status, needle):
    assert needle in _err(client.get("/api/events", params=params), status)


def test_sql_injection_is_just_an_unknown_actor(client):
    r = client.get("/api/events", params={"actor": "IS') OR 1=1; DROP TABLE events; --", "limit": 5})
    assert r.status_code == 200 and r.json()["total"] == 0
    assert client.get("/api/events", params={"limit": 1}).json()["total"] == 22202


# --- analyses: the CLI's rows --------------------------------------------------------------------------------------
def test_focus_json_and_csv_match_the_cli(client, bundled_db):
    q = {"actor": "IS", "window": "2018-01..2018-12", "unit": "admin1"}
    r = client.get("/api/focus", params={**q, "format": "csv"})
    out = _cli(bundled_db, "focus", "--actor", "IS", "--window", "2018-01..2018-12", "--unit", "admin1",
               "--format", "csv")
    assert r.text == out
    body = client.get("/api/focus", params=q).json()
    header = next(csv.reader(io.StringIO(out)))
    assert body["columns"] == header and len(body["rows"]) == 32
    assert body["meta"]["baseline"] == "2017-01..2017-12" and body["meta"]["total_events"] > 0
    cli_rows = json.loads(_cli(bundled_db, "focus", "--actor", "IS", "--window", "2018-01..2018-12", "--unit",
                               "admin1", "--format", "json"))
    assert body["rows"] == cli_rows
    kirkuk = next(row for row in body["rows"] if row["unit_en"] == "Kirkuk")
    assert kirkuk["events"] == 43 and kirkuk["rr_low"] <= kirkuk["rate_ratio"] <= kirkuk["rr_high"]


def test_hotspots_and_emerging_match_the_cli(client, bundled_db):
    args = ["--actor", "IS", "--unit", "admin1", "--window", "2017-01..2018-12", "--method", "analytic"]
    q = {"actor": "IS", "unit": "admin1", "window": "2017-01..2018-12", "method": "analytic", "format": "csv"}
    assert client.get("/api/hotspots", params=q).text == _cli(bundled_db, "hotspots", *args, "--format", "csv")
    em = client.get("/api/hotspots", params={**q, "emerging": "true"}).text
    assert em == _cli(bundled_db, "hotspots", *args, "--emerging", "--format", "csv")
    rows = client.get("/api/hotspots", params={**q, "format": "json", "emerging": "true"}).json()["rows"]
    assert len(rows) == 32 and {"pattern", "mk_tau", "n_hot"} <= set(rows[0])


def test_hotspots_default_window_is_the_cli_default(client):
    body = client.get("/api/hotspots", params={"actor": "IS", "unit": "admin1", "method": "analytic"}).json()
    assert body["meta"]["window"] == "2014-01..2018-12"  # the last 60 months of the actor's events


def test_forecast_csv_matches_the_cli(client, bundled_db):
    r = client.get("/api/forecast", params={"actor": "IS", "unit": "admin1", "horizon": 2, "as_of": "2018-06",
                                            "format": "csv"})
    out = _cli(bundled_db, "forecast", "--actor", "IS", "--unit", "admin1", "--horizon", "2", "--as-of", "2018-06",
               "--format", "csv")
    assert r.text == out
    rows = client.get("/api/forecast", params={"actor": "IS", "unit": "admin1", "horizon": 2,
                                               "as_of": "2018-06"}).json()["rows"]
    assert {r["month"] for r in rows} == {"2018-07", "2018-08"} and len(rows) == 64
    assert all(r["q05"] <= r["q25"] <= r["q50"] <= r["q75"] <= r["q95"] for r in rows)


def test_explain_matches_the_cli_for_a_place_and_for_the_top_places(client, bundled_db):
    base = ["explain", "--actor", "IS", "--window", "2018-01..2018-12", "--unit", "admin1", "--boot", "3",
            "--format", "json"]
    q = {"actor": "IS", "window": "2018-01..2018-12", "unit": "admin1", "boot": 3}
    web = client.get("/api/explain", params={**q, "place": "Kirkuk"}).json()
    assert web == json.loads(_cli(bundled_db, *base, "--place", "Kirkuk"))
    (kirkuk,) = web["places"]
    assert kirkuk["unit_en"] == "Kirkuk" and kirkuk["objectives"] and web["out_of_sample"]["verdict"]
    top = client.get("/api/explain", params={**q, "top": 3}).json()
    assert top == json.loads(_cli(bundled_db, *base, "--top", "3"))


@pytest.mark.parametrize(("path", "params", "status", "needle"), [
    ("/api/focus", {"window": "2019-01..2018-01"}, 400, "ends before it starts"),
    ("/api/focus", {"window": "2000-01..2018-12"}, 400, "at most 120"),
    ("/api/focus", {"window": "2018-01..2018-12", "baseline": "15y"}, 400, "at most 120"),
    ("/api/focus", {"window": "2018-01..2018-12", "unit": "grid"}, 422, "unit"),
    ("/api/focus", {}, 422, "window"),
    ("/api/focus", {"window": "1990-01..1990-12", "actor": "IS"}, 400, "no located events"),
    ("/api/hotspots", {"permutations": 50000}, 422, "permutations"),
    ("/api/hotspots", {"time_lag": 1}, 400, "analytic"),
    ("/api/forecast", {"horizon": 13}, 422, "horizon"),
    ("/api/forecast", {"actor": "IS", "as_of": "2030-01"}, 400, "after the last month"),
    ("/api/explain", {"window": "2018-01..2018-12"}, 422, "actor"),
    ("/api/explain", {"window": "2018-01..2018-12", "actor": "IS", "place": "Atlantis", "unit": "admin1"}, 400, "Atlantis"),
    ("/api/units", {"unit": "admin3"}, 422, "unit"),
])
def test_analysis_parameters_are_validated(client, path, params, status, needle):
    assert needle in _err(client.get(path, params=params), status)


def test_repeated_views_are_served_from_the_cache(client):
    q = {"actor": "IS", "window": "2016-01..2016-12", "unit": "admin1"}
    cache = client.app.state.responses
    first = client.get("/api/focus", params=q)
    hits = cache.hits
    again = client.get("/api/focus", params=q)
    assert again.content == first.content and cache.hits == hits + 1
    # the same spec written differently is the same entry (actor names and country order are normalised)
    alias = client.get("/api/focus", params={**q, "actor": "ISIS", "country": "SY,IQ"})
    assert alias.json()["rows"] == first.json()["rows"]


# --- security ------------------------------------------------------------------------------------------------------
def test_security_headers_and_no_inline_script(client):
    for path in ("/", "/api/info", "/static/js/main.js"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    html = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in html and '<html lang="en" dir="ltr">' in client.get("/?lang=en").text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
    assert scripts and all(body.strip() == "" for body in scripts)
    assert all(re.search(r'src="/static/', tag) for tag in re.findall(r"<script\b[^>]*>", html))
    assert not re.search(r"\son\w+\s*=", html) and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_host_header_and_cross_origin_posts_are_refused(client):
    assert client.get("/api/info", headers={"host": "evil.example"}).status_code == 400
    r = client.post("/api/brief", params={"window": "2018-01..2018-12"}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and "cross-origin" in r.json()["message"]


def test_store_is_read_only_and_unchanged(client, bundled_db):
    before = hashlib.sha256(bundled_db.read_bytes()).hexdigest()
    ws = client.app.state.workspace
    with ws.connection() as store, pytest.raises(duckdb.Error):
        store.con.execute("CREATE TABLE hacked (x INTEGER)")
    client.get("/api/events", params={"limit": 5})
    assert hashlib.sha256(bundled_db.read_bytes()).hexdigest() == before


def test_unknown_routes_and_jobs_are_json_404(client):
    assert _err(client.get("/api/nothing"), 404)
    assert "no brief job" in _err(client.get("/api/brief/0123456789abcdef"), 404)
    assert _err(client.get("/api/brief/0123456789abcdef/file"), 404)


def test_brief_job_reports_a_failure_as_a_message(client):
    r = client.post("/api/brief", params={"actor": "NoSuchActor", "window": "2018-01..2018-12", "lang": "en"})
    assert r.status_code == 202
    job = r.json()
    for _ in range(600):
        job = client.get(f"/api/brief/{job['job']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "failed" and "no events of actor 'NoSuchActor'" in job["message"]
    assert "a brief is about one actor" in _err(client.post("/api/brief", params={"actor": "IS,HTS",
                                                                                  "window": "2018-01..2018-12"}), 400)
