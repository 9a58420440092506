"""Benchmark: news extraction speed, linear in its input, and documents per second per core.

Run: ``python benchmarks/bench_text.py [--repeat N] [--max-chars N]``. One process, one thread for
the sentence encoder; the gazetteer and models are loaded (warm-up) before timing.

Times are CPU seconds of this process (``time.process_time``): what one core spends, whatever else
the machine runs; the wall-clock document rate is printed alongside. Printed in one run:
* time per character of hostile text from 1k to 1M characters ("ألف-" repeated, the input that was
  quadratic, and random Unicode), and the ratio of the slowest to the fastest per-character time
  from 10k up (flat = close to 1; a quadratic scan would give ~100 over that range);
* the time for 100k characters of the hostile text (target < 2 s);
* documents per second per core on the annotated news passages (train and dev splits), without and
  with stated motives (targets >= 200 and >= 40).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from rasid.text import extract_document, extract_events, make_document  # noqa: E402
from rasid.text.evaluate import load_dev  # noqa: E402

NEWS = Path(__file__).resolve().parents[1] / "tests" / "data" / "news"
TARGETS = {"events only": 200.0, "events + motives": 40.0}
ADVERSARIAL_TARGET = 2.0  # seconds for 100k characters


def _adversarial(n: int) -> str:
    return ("ألف-" * (n // 4 + 1))[:n]


def _random(n: int) -> str:
    r = random.Random(12)
    return "".join(chr(r.randint(32, 0x2FFF)) for _ in range(n))


def _seconds(text: str) -> float:
    """CPU seconds of one extraction (this process's time on its core: unaffected by other load)."""
    t = time.process_time()
    extract_events(text)
    return time.process_time() - t


def _rate(docs, *, motives: bool, repeat: int) -> tuple[float, float]:
    """(documents per CPU second, documents per wall-clock second)."""
    extract_document(docs[0], motives=motives)  # warm-up: gazetteer, encoder
    t, w = time.process_time(), time.perf_counter()
    n = 0
    for _ in range(repeat):
        for d in docs:
            extract_document(d, motives=motives)
            n += 1
    return n / (time.process_time() - t), n / (time.perf_counter() - w)


def _passages() -> list:
    """Annotated passages of the train and dev splits (never the locked test)."""
    files = [NEWS / "train.jsonl", NEWS / "dev.jsonl"]
    if not (NEWS / "train.jsonl").exists():
        files = [NEWS / "dev.jsonl", NEWS / "heldout.jsonl"]
    return [it for f in files if f.exists() for it in load_dev(f)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-chars", type=int, default=1_000_000)
    args = ap.parse_args()
    extract_events("قتل جندي في هجوم لداعش في قضاء الحويجة بمحافظة كركوك.")  # warm-up: gazetteer
    sizes = [n for n in (1_000, 10_000, 100_000, 1_000_000) if n <= args.max_chars]
    print("linear time: CPU microseconds per character of hostile text (1 core)")
    print(f"{'characters':>12s} {'alf-repeated':>14s} {'random':>10s}")
    per: dict[str, list[float]] = {"alf": [], "random": []}
    adv_100k = None
    for n in sizes:
        ta, tr = _seconds(_adversarial(n)), _seconds(_random(n))
        per["alf"].append(ta / n * 1e6)
        per["random"].append(tr / n * 1e6)
        if n == 100_000:
            adv_100k = ta
        print(f"{n:12,d} {per['alf'][-1]:14.2f} {per['random'][-1]:10.2f}", flush=True)
    for name, vals in per.items():
        tail = vals[1:] or vals
        print(f"{name}: slowest / fastest time per character from 10k up = {max(tail) / min(tail):.2f} (flat ~ 1)")
    if adv_100k is not None:
        print(f"100k characters of 'ألف-': {adv_100k:.2f} CPU s   target < {ADVERSARIAL_TARGET:.0f} s   "
              f"{'OK' if adv_100k < ADVERSARIAL_TARGET else 'ABOVE TARGET'}")
    items = _passages()
    docs = [make_document(it.text, id=it.id, published=it.published, lang=it.lang) for it in items]
    chars = sum(len(d.text) for d in docs) / max(len(docs), 1)
    print(f"news passages (train + dev): {len(docs)} documents, mean {chars:.0f} characters, 1 core")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; rates per CPU second of this process, "
          "wall-clock rate alongside)")
    for label, motives in (("events only", False), ("events + motives", True)):
        rate, wall = _rate(docs, motives=motives, repeat=args.repeat)
        target = TARGETS[label]
        print(f"{label:18s} {rate:8.1f} docs/s/core   target >= {target:.0f}   ratio {rate / target:5.2f}"
              f"   {'OK' if rate >= target else 'BELOW TARGET'}   (wall clock {wall:.1f} docs/s)", flush=True)


if __name__ == "__main__":
    main()
