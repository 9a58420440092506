"""Ingest and query speed of the event store on a full-size UCDP GED-shaped file (400,000 rows).

The file is resampled from the bundled GED rows (new ids, same columns and value mix) and written
once to the cache dir. In one run, alternating so that machine load hits both alike:

* rasid ingest (sniff, hash, typed read, every validation, lookups, commit, close) against DuckDB's
  own ``read_csv`` into a table of a fresh database file (with close), each in a fresh process,
  clocks started after the imports; the ratio is of the medians (wall time, and CPU time, which
  moves less when other processes load the machine); peak RSS of each process;
* the ``rasid events`` filter query (actor, countries, governorate, one year) on the ingested
  store: p50 and p95 over repeated runs, plus two other common filters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 400_000
ROUNDS = 3
QUERIES = 40
CACHE = Path(os.environ.get("RASID_CACHE", Path(__file__).resolve().parents[1] / ".cache")) / "bench"

# both clocks start after the imports and stop after the database is closed (checkpoint included)
_RASID = """
import json, resource, sys, time
from rasid.events import Store
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
with Store(sys.argv[2]) as s:
    r = s.ingest_file(sys.argv[1], source_version="99.1")
print(json.dumps({"s": time.perf_counter() - t, "cpu": cpu() - c, "rows": r.rows_out,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
_DUCKDB = """
import json, resource, sys, time
import duckdb
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header=true)", [sys.argv[1]])
rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
con.close()
print(json.dumps({"s": time.perf_counter() - t, "cpu": cpu() - c, "rows": rows,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _big_file() -> Path:
    out = CACHE / f"ged_resampled_{ROWS}.csv"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    src = resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz"
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(0)
    big = df.iloc[rng.integers(0, len(df), ROWS)].reset_index(drop=True)
    big["id"] = (10_000_000 + np.arange(ROWS)).astype(str)
    big["source_dataset"] = ""
    big.to_csv(out, index=False)
    return out


def _run(script: str, f: Path, db: Path) -> dict:
    """One timed run in a fresh process."""
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-c", script, str(f), str(db)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    f = _big_file()
    print(f"file: {f} ({ROWS:,} rows, {f.stat().st_size / 1e6:,.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        db, raw = Path(tmp) / "bench.duckdb", Path(tmp) / "raw.duckdb"
        rasid_runs, duck_runs = [], []
        for _ in range(ROUNDS):
            duck_runs.append(_run(_DUCKDB, f, raw))
            rasid_runs.append(_run(_RASID, f, db))
        t_rasid = float(np.median([r["s"] for r in rasid_runs]))
        t_duck = float(np.median([r["s"] for r in duck_runs]))
        rss = max(r["rss_mb"] for r in rasid_runs)
        rss_duck = max(r["rss_mb"] for r in duck_runs)
        rows_out = rasid_runs[-1]["rows"]

        from rasid.events import EventFilter, Store

        store = Store(db, read_only=True)
        filters = {
            "IS, IQ+SY, Kirkuk, 2018": EventFilter(actors=["IS"], countries=["IQ", "SY"], admin1=["Kirkuk"],
                                                   since=pd.Timestamp("2018-01-01").date(),
                                                   until=pd.Timestamp("2018-12-31").date()),
            "IS, IQ+SY, all years": EventFilter(actors=["IS"], countries=["IQ", "SY"]),
            "SY, 2016": EventFilter(countries=["SY"], since=pd.Timestamp("2016-01-01").date(),
                                    until=pd.Timestamp("2016-12-31").date()),
        }
        lat: dict[str, list[float]] = {}
        sizes: dict[str, int] = {}
        for name, flt in filters.items():
            store.events(flt)  # warm-up: Ibis compile and the admin names
            lat[name] = []
            for _ in range(QUERIES):
                t = time.perf_counter()
                sizes[name] = len(store.events(flt))
                lat[name].append((time.perf_counter() - t) * 1000)
        store.close()
    runs_r = ", ".join(f"{r['s']:.2f}" for r in rasid_runs)
    runs_d = ", ".join(f"{r['s']:.2f}" for r in duck_runs)
    print(f"rasid ingest        {t_rasid:6.2f} s  median of {ROUNDS} ({rows_out:,} rows stored; runs {runs_r})")
    print(f"duckdb read_csv     {t_duck:6.2f} s  median of {ROUNDS} (runs {runs_d})")
    cpu_ratio = np.median([r["cpu"] for r in rasid_runs]) / np.median([r["cpu"] for r in duck_runs])
    print(f"ingest ratio        {t_rasid / t_duck:6.2f} x rasid/duckdb wall time (target <= 1.5x); "
          f"CPU time {cpu_ratio:.2f} x")
    print(f"peak RSS of ingest  {rss:6.0f} MB (target < 1000 MB; duckdb read_csv alone: {rss_duck:.0f} MB)")
    for name, ms in lat.items():
        p50, p95 = np.percentile(ms, [50, 95])
        target = " (target p95 < 100 ms)" if name.endswith("2018") else ""
        print(f"events query        p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {name}: {sizes[name]:,} rows{target}")


if __name__ == "__main__":
    main()
