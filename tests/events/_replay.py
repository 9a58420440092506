"""A local stand-in for the UCDP and ACLED APIs (127.0.0.1, ephemeral port, one thread) for the fetch tests.

It answers in the documented formats (UCDP ``gedevents`` pages with TotalCount/TotalPages/NextPageUrl/
Result; ACLED's OAuth token endpoint and ``acled/read`` pages) from real rows (the GED 23.1 sample and
the hand-written ACLED-layout fixture), and plays scripted faults per page: HTTP errors with or
without Retry-After, a connection dropped mid-reply, a malformed page, rejected tokens.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import math
import sys
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parent.parent / "data"
_INT = {"id", "year", "type_of_violence", "conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id",
        "number_of_sources", "where_prec", "priogrid_gid", "country_id", "event_clarity", "date_prec", "deaths_a",
        "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low"}


def ged_rows() -> list[dict]:
    """The GED 23.1 sample (Iraq and Syria) as the UCDP API writes rows: numbers typed, dates with a time."""
    with gzip.open(DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz", "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        row: dict = {}
        for k, v in r.items():
            if k in _INT:
                row[k] = int(float(v)) if v not in ("", None) else None
            elif k in ("latitude", "longitude"):
                row[k] = float(v)
            elif k in ("date_start", "date_end"):
                row[k] = f"{v[:10]}T00:00:00"
            elif k == "active_year":
                row[k] = v in ("1", "True", "true")
            else:
                row[k] = v if v != "" else None
        out.append(row)
    return out


def acled_rows() -> list[dict]:
    """The ACLED-layout fixture rows as ACLED's API writes them (every value a string)."""
    with open(DATA / "acled" / "acled_iq_sy_fixture.csv", encoding="utf-8", newline="") as fh:
        return [dict(r) for r in csv.DictReader(fh)]


class Replay:
    """The server and its script: ``faults[key]`` is a queue of actions played before the normal answer.

    Keys: ``("ucdp", version, page)``, ``("acled", page)``, ``("token",)``. Actions: ``("status", code)``,
    ``("status", code, {"Retry-After": "1"})``, ``("drop",)`` (cut the body short and close),
    ``("malformed",)`` (200 with a body that is not the documented JSON), ``("sleep", seconds)``.
    """

    def __init__(self) -> None:
        self.ucdp_token = "good-token"
        self.ucdp_releases: dict[str, list[dict]] = {}
        self.acled_email, self.acled_password = "analyst@example.org", "s3cret"
        self.acled: list[dict] = []
        self.acled_token_reads: int | None = None  # reads a bearer token is good for (None: unlimited)
        self.faults: dict[tuple, deque] = defaultdict(deque)
        self.log: list[dict] = []
        self._tokens: dict[str, int] = {}
        self._refresh: set[str] = set()
        self._n = 0
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fault(self, key: tuple, *actions: tuple) -> None:
        """Queue faults for a key."""
        self.faults[key].extend(actions)

    def requests(self, kind: str) -> list[dict]:
        """Logged requests of one kind (ucdp, acled, token)."""
        return [r for r in self.log if r["kind"] == kind]

    def __enter__(self) -> Replay:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # -- answers ---------------------------------------------------------------------------------------
    def _ucdp(self, h: _Handler, version: str, q: dict) -> None:
        page = int(q.get("page", ["0"])[0])
        self.log.append({"kind": "ucdp", "version": version, "page": page, "query": q,
                         "token": h.headers.get("x-ucdp-access-token")})
        if self._play(h, ("ucdp", version, page)):
            return
        if h.headers.get("x-ucdp-access-token") != self.ucdp_token:
            return h.reply(401, b"API token required. Add header: x-ucdp-access-token", "text/plain")
        if version not in self.ucdp_releases:
            return h.reply(404, b'{"Message":"No HTTP resource was found"}')
        rows = self.ucdp_releases[version]
        if "Country" in q:
            codes = {int(c) for c in q["Country"][0].split(",")}
            rows = [r for r in rows if r["country_id"] in codes]
        if "StartDate" in q:
            rows = [r for r in rows if r["date_start"][:10] >= q["StartDate"][0]]
        if "EndDate" in q:
            rows = [r for r in rows if r["date_start"][:10] <= q["EndDate"][0]]
        size = int(q.get("pagesize", ["100"])[0])
        pages = math.ceil(len(rows) / size)
        base = f"{self.url}/api/gedevents/{version}?pagesize={size}&page="
        body = {"TotalCount": len(rows), "TotalPages": pages,
                "PreviousPageUrl": base + str(page - 1) if page > 0 else "",
                "NextPageUrl": base + str(page + 1) if page + 1 < pages else "",
                "Result": rows[page * size:(page + 1) * size]}
        h.reply(200, json.dumps(body).encode())

    def _token(self, h: _Handler, form: dict) -> None:
        self.log.append({"kind": "token", "grant": form.get("grant_type", [""])[0]})
        if self._play(h, ("token",)):
            return
        grant = form.get("grant_type", [""])[0]
        ok = form.get("client_id", [""])[0] == "acled" and (
            (grant == "password" and form.get("username", [""])[0] == self.acled_email
             and form.get("password", [""])[0] == self.acled_password)
            or (grant == "refresh_token" and form.get("refresh_token", [""])[0] in self._refresh))
        if not ok:
            return h.reply(400, b'{"error":"invalid_grant","error_description":"The user credentials were incorrect."}')
        with self._lock:
            self._n += 1
            tok, ref = f"tok{self._n}", f"ref{self._n}"
        self._tokens[tok] = self.acled_token_reads if self.acled_token_reads is not None else -1
        self._refresh.add(ref)
        h.reply(200, json.dumps({"token_type": "Bearer", "expires_in": 86400, "access_token": tok,
                                 "refresh_token": ref}).encode())

    def _acled(self, h: _Handler, q: dict) -> None:
        page = int(q.get("page", ["1"])[0])
        auth = h.headers.get("Authorization", "")
        self.log.append({"kind": "acled", "page": page, "query": q, "auth": auth})
        if self._play(h, ("acled", page)):
            return
        tok = auth.removeprefix("Bearer ")
        left = self._tokens.get(tok)
        if left is None or left == 0:
            return h.reply(401, b'{"status":401,"success":false,"error":"Unauthorized"}')
        if left > 0:
            self._tokens[tok] = left - 1
        rows = self.acled
        if "iso" in q:
            isos = set(q["iso"][0].split("|"))
            rows = [r for r in rows if r["iso"] in isos]
        if "event_date" in q:
            lo, hi = q["event_date"][0].split("|")
            rows = [r for r in rows if lo <= _iso_date(r["event_date"]) <= hi]
        limit = int(q.get("limit", ["5000"])[0])
        data = rows[(page - 1) * limit:page * limit]
        h.reply(200, json.dumps({"status": 200, "success": True, "last_update": 1, "count": len(data),
                                 "messages": [], "data": data, "filename": "acled"}).encode())

    def _play(self, h: _Handler, key: tuple) -> bool:
        """Play the next queued fault for ``key``; True when it answered the request."""
        with self._lock:
            queue = self.faults.get(key)
            action = queue.popleft() if queue else None
        if action is None:
            return False
        kind = action[0]
        if kind == "sleep":
            time.sleep(action[1])
            return False
        if kind == "status":
            headers = action[2] if len(action) > 2 else {}
            h.reply(action[1], b'{"Message":"fault"}', headers=headers)
        elif kind == "drop":
            body = b'{"TotalCount": 10, "TotalPages": 1, "Result": [{"id": 1, "side_a": "Government of'
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body) + 5000))
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()
            h.close_connection = True
        elif kind == "malformed":
            h.reply(200, b"<html><body>Service temporarily unavailable</body></html>", "text/html")
        return True

    def _handler(self):
        replay = self

        class Handler(_Handler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                q = parse_qs(parts.query)
                if parts.path.startswith("/api/gedevents/"):
                    replay._ucdp(self, parts.path.rsplit("/", 1)[-1], q)
                elif parts.path == "/api/acled/read":
                    replay._acled(self, q)
                else:
                    self.reply(404, b"{}")

            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(n).decode())
                if urlsplit(self.path).path == "/oauth/token":
                    replay._token(self, form)
                else:
                    self.reply(404, b"{}")

        return Handler


class _Server(ThreadingHTTPServer):
    """Quiet when a client hangs up mid-reply (the tests kill clients on purpose)."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def reply(self, status: int, body: bytes, ctype: str = "application/json", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def _iso_date(text: str) -> str:
    """'05 October 2021' or '2021-10-05' -> '2021-10-05' (the fixture uses both)."""
    t = text.strip()
    if t[:4].isdigit():
        return t[:10]
    return dt.datetime.strptime(t, "%d %B %Y").date().isoformat()
