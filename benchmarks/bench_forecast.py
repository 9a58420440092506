"""Full rolling-origin backtest on the bundled data: IS in Iraq and Syria, origins 2015-01..2018-12, horizons 1-6,
every model (baselines, glm, hurdle, lgbm, qlgbm, the ensemble), 1000 draws, recalibration on, per admin1 and
admin2. Target: each under 2 minutes on a 2-core machine. Prints wall and CPU seconds per stage, the load, and
the scorecard's headline: PIT coverage of the 50% and 90% intervals and the ensemble's CRPS skill against
every baseline with its 90% block-bootstrap interval, per level and horizon.

Run: python benchmarks/bench_forecast.py [--units admin1,admin2] [--target events] [--samples 1000]
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
from rasid.analysis.forecast_baselines import BASELINES
from rasid.analysis.spec import PanelSpec
from rasid.events import EventFilter, Store

TARGET_S = 120.0


def main() -> None:
    """Ingest the bundled GED into a temporary store, run the backtests, print timings and the headline table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", default="admin1,admin2")
    ap.add_argument("--start", default="2015-01")
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
    for unit in args.units.split(","):
        cpu0, t0 = os.times(), time.perf_counter()
        res = backtest(events, PanelSpec(unit=unit, countries=["IQ", "SY"], measure=args.target), start=args.start,
                       end=args.end, horizons=range(1, 7), models=MODELS, n_samples=args.samples)
        wall, cpu1 = time.perf_counter() - t0, os.times()
        cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
        n_units = res.predictions.unit_code.nunique()
        print(f"\nbacktest {unit} x {n_units} units, {n_origins} scored origins (+ warm-up), horizons 1-6, "
              f"{len(MODELS)} models, {args.samples} draws, target {args.target}")
        print(f"wall {wall:.1f}s (target < {TARGET_S:.0f}s: {'OK' if wall < TARGET_S else 'SLOW'}), "
              f"CPU {cpu:.1f}s (CPU/wall {cpu / wall:.2f}), load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        print("wall seconds per stage:")
        for k, v in sorted(res.timings.items(), key=lambda kv: -kv[1]):
            if k != "total":
                print(f"  {k:14s} {v:7.2f}s  {v / wall:6.1%}")
        s = res.summary[res.summary.model == "ensemble"].sort_values("horizon")
        rows = []
        for r in s.itertuples():
            rec = {"h": r.horizon, "crps": round(r.crps, 3), "cov50": round(r.coverage50, 3),
                   "cov90": round(r.coverage90, 3), "pit_ks": round(r.pit_ks, 3)}
            for b in BASELINES:
                rec[b] = (f"{getattr(r, f'crps_skill_vs_{b}'):+.3f} [{getattr(r, f'crps_skill_vs_{b}_lo'):+.2f},"
                          f"{getattr(r, f'crps_skill_vs_{b}_hi'):+.2f}]")
            rows.append(rec)
        print("ensemble: CRPS, PIT coverage, KS, CRPS skill vs each baseline [90% block-bootstrap interval]")
        print(pd.DataFrame(rows).to_string(index=False))
        print(res.verdict("en"))


if __name__ == "__main__":
    main()
