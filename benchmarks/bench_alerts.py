"""Alerts on history: false-alarm and hit rates per kind, before and after tuning, on tuning and test years.

Data: the bundled UCDP GED, Islamic State events in Iraq and Syria. Alert months 2006-01..2014-12 tune
the thresholds; 2015-01..2018-06 are the locked test years (the last months need six months after them
to judge). "Nothing changed" and the rates are defined in rasid/analysis/alert_eval.py and docs/alerts.md.

    python benchmarks/bench_alerts.py            # print the figures (about 5 minutes on 2 cores)
    python benchmarks/bench_alerts.py --tune     # also write rasid/data/alerts/thresholds.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import pandas as pd

from rasid.analysis.alert_eval import GRID, false_alarm_table, outcome_labels, signal_history, tune
from rasid.analysis.alerts import AlertRules
from rasid.events import EventFilter, Store

TUNE = ("2006-01", "2014-12")
TEST = ("2015-01", "2018-06")
COUNTRIES = ["IQ", "SY"]
COLS = ["kind", "alerts", "on_nothing_changed", "on_changed", "false_alarms_per_unit_year", "false_alarms_per_month",
        "hit_rate", "share_on_nothing_changed"]


def _events() -> pd.DataFrame:
    path = Path(str(resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz"))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.duckdb") as store:
        store.ingest_file(path)
        return store.events(EventFilter(actors=["IS"], countries=COUNTRIES))


def _show(title: str, df: pd.DataFrame) -> None:
    print(f"\n{title}")
    print(df[COLS].to_string(index=False, float_format=lambda x: f"{x:.3f}"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tune", action="store_true", help="write the chosen thresholds to rasid/data/alerts")
    ap.add_argument("--units", default="admin2,admin1")
    ap.add_argument("--target", type=float, default=0.05, help="false alarms per unit-year allowed on tuning years")
    args = ap.parse_args()
    events = _events()
    chosen: dict[str, dict] = {}
    for unit in args.units.split(","):
        t0 = time.perf_counter()
        base = AlertRules()
        sig = signal_history(events, unit=unit, countries=COUNTRIES, start=TUNE[0], end=TEST[1], rules=base)
        secs = time.perf_counter() - t0
        labels = {name: outcome_labels(events, unit=unit, countries=COUNTRIES, start=a, end=b)
                  for name, (a, b) in (("tune", TUNE), ("test", TEST))}
        n_months = sig["month"].nunique()
        print(f"\n=== {unit}: {sig.unit_code.nunique()} units, {n_months} alert months, "
              f"{secs:.0f}s for the signals ({secs / n_months:.2f}s a month) ===")
        for name, lab in labels.items():
            print(f"{name}: {len(lab):,} unit-months, nothing changed {lab.stable.mean():.1%}, "
                  f"changed {lab.changed.mean():.1%}")
        _show(f"{unit} hand-set defaults, tuning years {TUNE[0]}..{TUNE[1]}",
              false_alarm_table(sig, labels["tune"], base))
        rules, grid = tune(sig, labels["tune"], base, target=args.target)
        picked = {k: getattr(rules, k) for params in GRID.values() for k in params}
        print(f"\nchosen on the tuning years (target <= {args.target} false alarms per unit-year): {picked}")
        tuned_tune = false_alarm_table(sig, labels["tune"], rules)
        _show(f"{unit} tuned, tuning years", tuned_tune)
        _show(f"{unit} hand-set defaults, TEST years {TEST[0]}..{TEST[1]}", false_alarm_table(sig, labels["test"], base))
        tuned_test = false_alarm_table(sig, labels["test"], rules)
        _show(f"{unit} tuned, TEST years {TEST[0]}..{TEST[1]} (locked: read once, after choosing)", tuned_test)
        chosen[unit] = {**picked, "_tuning": tuned_tune[COLS].round(4).to_dict("records"),
                        "_test": tuned_test[COLS].round(4).to_dict("records"),
                        "_met_target": sorted(set(grid[grid.meets_target].kind))}
    if args.tune:
        out = Path(__file__).resolve().parent.parent / "rasid" / "data" / "alerts" / "thresholds.json"
        doc = {"_about": (f"Alert thresholds chosen by benchmarks/bench_alerts.py --tune on the bundled UCDP GED "
                          f"(Islamic State, Iraq and Syria): per kind, the rule with the most alerts on changed "
                          f"unit-months among those with at most {args.target} false alarms per nothing-changed "
                          f"unit-year over alert months {TUNE[0]}..{TUNE[1]}. _tuning and _test record the rates "
                          f"on those months and on the locked test months {TEST[0]}..{TEST[1]}."),
               "target_false_alarms_per_unit_year": args.target, "units": chosen}
        out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {out}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
