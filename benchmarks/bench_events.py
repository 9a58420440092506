"""Ingest and query speed of the event store on a full-size UCDP GED-shaped file (~400,000 rows).

The file is resampled from the bundled GED rows (new ids, same columns and value mix) and written
once to the cache dir. Figures: rasid ingest vs DuckDB's own read_csv into a table vs pandas
read_csv, peak RSS of the ingest process, and the `rasid events` filter query on the full store.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROWS = 400_000
CACHE = Path(os.environ.get("RASID_CACHE", Path(__file__).resolve().parents[1] / ".cache")) / "bench"


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


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    f = _big_file()
    size_mb = f.stat().st_size / 1e6
    print(f"file: {f} ({ROWS:,} rows, {size_mb:,.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        code = (
            "import sys,time,resource; from rasid.events import Store; t=time.perf_counter(); "
            f"r=Store({str(db)!r}).ingest_file({str(f)!r}, source_version='99.1'); "
            "print(time.perf_counter()-t, r.rows_out, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        t_rasid, rows_out, rss_kb = float(out[0]), int(out[1]), int(out[2])

        def raw_duckdb() -> None:
            con = duckdb.connect(str(Path(tmp) / "raw.duckdb"))
            con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header=true)", [str(f)])
            con.close()

        t_duck = _timed(raw_duckdb)
        t_pandas = _timed(lambda: pd.read_csv(f, low_memory=False))

        from rasid.events import EventFilter, Store

        store = Store(db, read_only=True)
        flt = EventFilter(actors=["IS"], countries=["IQ", "SY"], admin1=["Kirkuk"],
                          since=pd.Timestamp("2018-01-01").date(), until=pd.Timestamp("2018-12-31").date())
        store.events(flt)  # warm-up (Ibis compile, polygon-free path)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            n = len(store.events(flt))
            times.append(time.perf_counter() - t)
        t_query = float(np.median(times))
    print(f"rasid ingest        {t_rasid:6.2f} s  ({rows_out:,} rows stored)")
    print(f"duckdb read_csv     {t_duck:6.2f} s  -> ratio rasid/duckdb {t_rasid / t_duck:.2f}x (target <= 1.5x)")
    print(f"pandas read_csv     {t_pandas:6.2f} s  -> ratio rasid/pandas {t_rasid / t_pandas:.2f}x")
    print(f"peak RSS of ingest  {rss_kb / 1024:6.0f} MB (target < 1500 MB)")
    print(f"events filter query {t_query * 1000:6.1f} ms median of 5 ({n:,} rows; target < 100 ms)")
    _ = resource  # (RSS measured in the child process)


if __name__ == "__main__":
    main()
