"""Benchmark: news extraction speed in documents per second per core on the dev set.

Run: ``python benchmarks/bench_text.py [--repeat N]``. One process, one thread for the sentence
encoder; models and the gazetteer are loaded (warm-up) before timing. Targets: >= 100 docs/s
without motives, >= 20 docs/s with motives.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from rasid.text import extract_document, make_document  # noqa: E402
from rasid.text.evaluate import load_dev, score  # noqa: E402

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "news" / "dev.jsonl"
TARGETS = {"events only": 100.0, "events + motives": 20.0}


def _rate(docs, *, motives: bool, repeat: int) -> float:
    extract_document(docs[0], motives=motives)  # warm-up: gazetteer, encoder
    t = time.perf_counter()
    n = 0
    for _ in range(repeat):
        for d in docs:
            extract_document(d, motives=motives)
            n += 1
    return n / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    items = load_dev(DEV)
    docs = [make_document(it.text, id=it.id, published=it.published, lang=it.lang) for it in items]
    chars = sum(len(d.text) for d in docs) / len(docs)
    print(f"dev set: {len(docs)} documents, mean {chars:.0f} characters, 1 core")
    for label, motives in (("events only", False), ("events + motives", True)):
        rate = _rate(docs, motives=motives, repeat=args.repeat)
        target = TARGETS[label]
        print(f"{label:18s} {rate:8.1f} docs/s/core   target >= {target:.0f}   ratio {rate / target:5.2f}"
              f"   {'OK' if rate >= target else 'BELOW TARGET'}")
    r = score(items)
    ra = score(items, lang="ar")
    print(f"quality: event P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}; "
          f"Arabic F1 {ra['f1']:.3f}, killed {ra['field_accuracy']['killed']:.3f}, "
          f"wounded {ra['field_accuracy']['wounded']:.3f}")


if __name__ == "__main__":
    main()
