"""Load test of `rasid serve` on the bundled store: 2,000 requests from 32 concurrent clients, loopback only.

The server runs in its own process (as a user runs it); the clients are httpx async clients in this
one. First every distinct analysis view is requested once (cold: the analysis runs, figures printed),
then 2,000 requests drawn at random from the views and from event pages (events are not warmed: each
distinct page is queried from DuckDB on its first hit during the load). Prints p50/p95/p99 latency
per endpoint and overall, errors, and whether p95 < 250 ms holds for /api/focus, /api/hotspots and
/api/events?limit=500. Bounded: at most 2,000 requests and 300 s of load; 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import httpx
import numpy as np

from rasid.events import Store

REQUESTS = 2000
CLIENTS = 32
LOAD_DEADLINE_S = 300.0
TARGET_MS = 250.0
HOST = "127.0.0.1"


def _store(tmp: Path) -> Path:
    path = tmp / "bench_web.duckdb"
    st = Store(path)
    try:
        st.ingest_file(Path(str(resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz")))
    finally:
        st.close()
    return path


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _views() -> dict[str, list[str]]:
    """Distinct URLs per endpoint: the views an analyst moves between."""
    views: dict[str, list[str]] = {"focus": [], "hotspots": [], "series": [], "forecast": [], "units": [],
                                   "info": ["/api/info"], "events": []}
    for actor in ("IS", "SYR_GOV"):
        for unit in ("admin1", "admin2"):
            for window in ("2018-01..2018-12", "2017-01..2017-12"):
                q = f"actor={actor}&unit={unit}&window={window}"
                views["focus"].append(f"/api/focus?{q}")
                views["hotspots"].append(f"/api/hotspots?{q}&period=month")
                views["series"].append(f"/api/series?{q}")
            views["forecast"].append(f"/api/forecast?actor={actor}&unit={unit}&as_of=2018-12&horizon=3")
    views["units"] = ["/api/units?unit=admin1", "/api/units?unit=admin2"]
    for actor in ("IS", "SYR_GOV", "ISF"):
        for offset in range(0, 3000, 500):
            views["events"].append(f"/api/events?actor={actor}&since=2014-01&limit=500&offset={offset}")
    for gov in ("Kirkuk", "Ninewa", "Al-Anbar", "Diyala", "Salah Al-Din", "Deir-ez-Zor", "Ar-Raqqa", "Aleppo",
                "Idleb", "Homs", "Hama", "Al-Hasakeh"):
        views["events"].append(f"/api/events?admin1={gov}&limit=500")
    return views


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def _endpoint(url: str) -> str:
    return url.split("?")[0].removeprefix("/api/")


def _pct(xs: list[float]) -> tuple[float, float, float]:
    a = np.asarray(xs) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95)), float(np.percentile(a, 99))


async def _load(base: str, urls: list[str]) -> tuple[dict[str, list[float]], list[str], float]:
    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for u in urls:
        queue.put_nowait(u)
    deadline = time.monotonic() + LOAD_DEADLINE_S
    seen: set[str] = set()

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60.0) as c:
            while not queue.empty() and time.monotonic() < deadline:
                u = queue.get_nowait()
                first = u not in seen
                seen.add(u)
                t0 = time.perf_counter()
                try:
                    r = await c.get(u)
                    ok = r.status_code == 200
                    await r.aread()
                except httpx.HTTPError as exc:
                    ok, r = False, exc
                dt = time.perf_counter() - t0
                lat.setdefault(_endpoint(u), []).append(dt)
                lat.setdefault("events?limit=500" if "limit=500" in u else "_", []).append(dt)
                if "limit=500" in u:
                    lat.setdefault("  first request" if first else "  repeated", []).append(dt)
                if not ok:
                    errors.append(f"{u}: {getattr(r, 'status_code', r)}")

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return lat, errors, time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = _store(Path(tmp))
        port = _free_port()
        base = f"http://{HOST}:{port}"
        env = {**os.environ, "RASID_CACHE": os.environ.get("RASID_CACHE", str(Path(tmp) / "cache"))}
        proc = subprocess.Popen([sys.executable, "-m", "rasid.cli", "serve", "--db", str(db), "--host", HOST,
                                 "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(f"{base}/api/info", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
            views = _views()
            print(f"server: {base} (own process), store: bundled UCDP GED Iraq+Syria, 22,202 events")
            print("cold (first request of each analysis view; the analysis runs):")
            with httpx.Client(base_url=base, timeout=600) as c:
                for ep in ("units", "series", "focus", "forecast", "hotspots"):
                    times = []
                    for u in views[ep]:
                        t0 = time.perf_counter()
                        r = c.get(u)
                        times.append(time.perf_counter() - t0)
                        assert r.status_code == 200, (u, r.text[:200])
                    print(f"  {ep:9s} {len(times):3d} views: median {np.median(times) * 1000:8.0f} ms, "
                          f"max {max(times) * 1000:8.0f} ms")
            rng = random.Random(0)
            weights = {"focus": 0.25, "hotspots": 0.2, "events": 0.3, "series": 0.1, "forecast": 0.05, "units": 0.05,
                       "info": 0.05}
            eps = list(weights)
            urls = [rng.choice(views[ep]) for ep in rng.choices(eps, weights=[weights[e] for e in eps], k=REQUESTS)]
            srv0, cli0 = _cpu_seconds(proc.pid), _own_cpu()
            lat, errors, wall = asyncio.run(_load(base, urls))
            srv_cpu, cli_cpu = _cpu_seconds(proc.pid) - srv0, _own_cpu() - cli0
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    done = sum(len(v) for k, v in lat.items() if k not in ("_", "events?limit=500", "  first request", "  repeated"))
    print(f"load: {done} requests from {CLIENTS} concurrent clients in {wall:.1f} s ({done / wall:.0f} req/s), "
          f"{len(errors)} errors")
    print(f"CPU during the load: server {srv_cpu:.1f} s ({srv_cpu / wall:.0%} of one core), clients {cli_cpu:.1f} s; "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for e in errors[:5]:
        print(f"  error: {e}")
    print(f"{'endpoint':18s} {'n':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}")
    everything: list[float] = []
    for ep in ("focus", "hotspots", "events", "events?limit=500", "  first request", "  repeated", "series",
               "forecast", "units", "info"):
        xs = lat.get(ep, [])
        if not xs:
            continue
        if ep not in ("events?limit=500", "  first request", "  repeated"):
            everything += xs
        p50, p95, p99 = _pct(xs)
        print(f"{ep:18s} {len(xs):5d} {p50:8.1f} {p95:8.1f} {p99:8.1f}")
    p50, p95, p99 = _pct(everything)
    print(f"{'all':18s} {len(everything):5d} {p50:8.1f} {p95:8.1f} {p99:8.1f}")
    met = {ep: _pct(lat[ep])[1] < TARGET_MS for ep in ("focus", "hotspots", "events?limit=500") if ep in lat}
    print(f"target p95 < {TARGET_MS:.0f} ms: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in met.items())
          + f"; errors: {len(errors)}")


if __name__ == "__main__":
    main()
