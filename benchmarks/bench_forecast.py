"""Full rolling-origin backtest on the bundled data: admin2 units of Iraq and Syria, 60 origins, horizons 1-6,
all models. Target: under 2 minutes on a 2-core machine. Prints per-model wall and CPU-share timings.

Run: python benchmarks/bench_forecast.py [--unit admin2] [--samples 1000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from importlib import resources
from pathlib import Path

import pandas as pd

from rasid.analysis.backtest import backtest
from rasid.analysis.forecast import MODELS
from rasid.analysis.spec import PanelSpec
from rasid.events import EventFilter, Store

TARGET_S = 120.0


def main() -> None:
    """Ingest the bundled GED into a temporary store, run the backtest, print timings and the headline table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--unit", default="admin2")
    ap.add_argument("--start", default="2014-01")
    ap.add_argument("--end", default="2018-12")
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--target", default="events")
    args, _ = ap.parse_known_args()  # benchmarks/run.py passes its own filters through sys.argv
    ged = Path(str(resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.ingest_file(ged)
        events = store.events(EventFilter(actors=["IS"], countries=["IQ", "SY"]))
        store.close()
    n_origins = len(pd.period_range(args.start, args.end, freq="M"))
    cpu0, t0 = os.times(), time.perf_counter()
    res = backtest(events, PanelSpec(unit=args.unit, countries=["IQ", "SY"], measure=args.target), start=args.start, end=args.end, horizons=range(1, 7), models=MODELS, n_samples=args.samples)
    wall, cpu1 = time.perf_counter() - t0, os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    n_units = res.predictions.unit_code.nunique()
    print(f"backtest {args.unit} x {n_units} units, {n_origins} origins, horizons 1-6, {len(MODELS)} models, "
          f"{args.samples} samples, target {args.target}")
    print(f"wall {wall:.1f}s (target < {TARGET_S:.0f}s: {'OK' if wall < TARGET_S else 'SLOW'}), "
          f"CPU {cpu:.1f}s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("wall seconds per step (fit + sample; baselines are tiny):")
    for k, v in sorted(res.timings.items(), key=lambda kv: -kv[1]):
        if k != "total":
            print(f"  {k:14s} {v:7.2f}s  {v / wall:6.1%}")
    s = res.summary[res.summary.horizon.isin([1, 3])]
    cols = ["model", "horizon", "crps", "mse_log1p", "brier", "coverage90", "crps_skill_vs_no_change",
            "crps_skill_vs_mean12"]
    print(s[cols].round(3).to_string(index=False))


if __name__ == "__main__":
    main()
