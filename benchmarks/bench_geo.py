"""Geocoder speed: gazetteer load time from the cached tables, lookups per second over the real
evaluation mentions (tests/data/geo/eval_mentions.csv), and find_places throughput on news text.

Figures printed: cold load (build, only if the cache is missing), cached load in a fresh process,
lookups/s cold (first sight of each mention: analysis caches cleared) and after warm-up (repeated
mentions, the news-stream case: the result is cached per (mention, context, country) and rebuilt as new
objects on every call), with and without surrounding context, on the news mentions and on the UCDP
place strings, and ratios against the issue's targets (>= 20,000/s; < 1 s).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

from rasid.geo import find_places, geocode
from rasid.geo import gazetteer as gz
from rasid.geo.geocoder import clear_caches

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "geo" / "eval_mentions.csv"
UCDP = ROOT / "tests" / "data" / "geo" / "ucdp_mentions.csv"
LOOKUP_TARGET = 20_000.0
LOAD_TARGET = 1.0


def _rate(fn, items: list, seconds: float = 2.0) -> float:
    n = 0
    t = time.perf_counter()
    while time.perf_counter() - t < seconds:
        for it in items:
            fn(it)
        n += len(items)
    return n / (time.perf_counter() - t)


def main() -> None:
    p_path, _n_path = gz._cache_files()
    if not p_path.exists():
        t = time.perf_counter()
        gz.load_gazetteer()
        print(f"gazetteer build (first use, cache missing) {time.perf_counter() - t:6.2f} s")
    code = ("import time; t0=time.perf_counter(); from rasid.geo.gazetteer import load_gazetteer; "
            "t=time.perf_counter(); g=load_gazetteer(); t1=time.perf_counter(); "
            "print(t1-t, t1-t0, len(g.places), len(g.names))")
    loads, totals = [], []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        secs, total, n_places, n_names = out.stdout.split()
        loads.append(float(secs))
        totals.append(float(total))
    load, total = min(loads), min(totals)
    print(f"gazetteer load from the cached tables {load:6.3f} s ({int(n_places):,} places, {int(n_names):,} name rows) "
          f"-> {load / LOAD_TARGET:.2f}x of the 1 s budget")
    print(f"  same, including Python imports in a fresh process {total:6.3f} s")

    with EVAL.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    mentions = [r["mention"] for r in rows]
    pairs = [(r["mention"], r["context"]) for r in rows]
    g = gz.load_gazetteer()
    g.strong_keys(), g.skeleton_index(), g.romidx.deletes()  # one-time lazy indexes of the fallbacks
    geocode("30 km south of Kirkuk")  # load the admin polygons once

    clear_caches()
    t = time.perf_counter()
    for m in mentions:
        geocode(m)
    cold = len(mentions) / (time.perf_counter() - t)
    clear_caches()
    t = time.perf_counter()
    for m, c in pairs:
        geocode(m, context=c)
    cold_ctx = len(pairs) / (time.perf_counter() - t)
    warm = _rate(geocode, mentions)
    warm_ctx = _rate(lambda mc: geocode(mc[0], context=mc[1]), pairs)
    print(f"geocode, {len(mentions)} eval mentions ({sum(r['lang'] == 'ar' for r in rows)} Arabic):")
    print(f"  cold (first sight)          {cold:10,.0f} lookups/s -> {cold / LOOKUP_TARGET:.2f}x of target")
    print(f"  cold with context           {cold_ctx:10,.0f} lookups/s -> {cold_ctx / LOOKUP_TARGET:.2f}x of target")
    print(f"  after warm-up               {warm:10,.0f} lookups/s -> {warm / LOOKUP_TARGET:.2f}x of target (>= 20,000/s)")
    print(f"  after warm-up, with context {warm_ctx:10,.0f} lookups/s -> {warm_ctx / LOOKUP_TARGET:.2f}x of target")

    with UCDP.open(encoding="utf-8") as f:
        ucdp = [(r["mention"], "IQ" if r["country"] == "Iraq" else "SY") for r in csv.DictReader(f)]
    clear_caches()
    t = time.perf_counter()
    for m, cty in ucdp:
        geocode(m, country=cty)
    cold_u = len(ucdp) / (time.perf_counter() - t)
    warm_u = _rate(lambda mc: geocode(mc[0], country=mc[1]), ucdp)
    print(f"geocode, {len(ucdp)} UCDP GED place strings (Latin, with country; romanisation and calibration on):")
    print(f"  cold (first sight)          {cold_u:10,.0f} lookups/s -> {cold_u / LOOKUP_TARGET:.2f}x of target")
    print(f"  after warm-up               {warm_u:10,.0f} lookups/s -> {warm_u / LOOKUP_TARGET:.2f}x of target")

    text = " ".join(r["context"] for r in rows)
    find_places(text)
    t = time.perf_counter()
    reps = 20
    for _ in range(reps):
        found = find_places(text)
    dt = (time.perf_counter() - t) / reps
    print(f"find_places on {len(text):,} characters of news text: {dt * 1000:.1f} ms "
          f"({len(text) / dt / 1e6:.2f} M chars/s, {len(found)} mentions)")


if __name__ == "__main__":
    main()
