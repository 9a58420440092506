"""Split the annotated news passages (not the locked test) into train and dev by OUTLET.

Passages of one outlet never land in two splits; outlets that report the same story (``story``) stay
together, so that cross-document linking can be scored within a split. Groups of outlets are
ordered by a hash of their names (deterministic, unrelated to content) and go to dev until dev holds
about ``--dev-share`` of the passages, with about the same share of Arabic passages; the rest is
train. The locked test file is read only for its outlets, which must not appear in train or dev.

Usage: ``python scripts/split_news.py tests/data/news/dev.jsonl tests/data/news/heldout.jsonl ...
--out tests/data/news [--dev-share 0.3]``; writes ``train.jsonl`` and ``dev.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path


def _groups(rows: list[dict]) -> list[list[dict]]:
    """Passages grouped by outlet, outlets joined when they share a story (union-find)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_story: dict[str, str] = {}
    for r in rows:
        o = r["outlet"]
        root(o)
        s = r.get("story")
        if s:
            if s in by_story:
                parent[root(o)] = root(by_story[s])
            else:
                by_story[s] = o
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(root(r["outlet"]), []).append(r)
    return list(out.values())


def split(rows: list[dict], dev_share: float) -> tuple[list[dict], list[dict]]:
    """(train, dev) rows, disjoint by outlet."""
    groups = sorted(_groups(rows), key=lambda g: hashlib.sha1("|".join(sorted({r["outlet"] for r in g})).encode()).hexdigest())
    n, n_ar = len(rows), sum(r["lang"] == "ar" for r in rows)
    dev: list[dict] = []
    train: list[dict] = []
    for g in groups:
        d_n, d_ar = len(dev) + len(g), sum(r["lang"] == "ar" for r in dev + g)
        fits = d_n <= dev_share * n + 2 and d_ar <= dev_share * n_ar + 2
        (dev if fits and len(g) <= 0.1 * n else train).extend(g)
    return train, dev


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dev-share", type=float, default=0.3)
    ap.add_argument("--test", type=Path, default=None, help="locked test file (only its outlets are read)")
    args = ap.parse_args()
    rows = [json.loads(line) for p in args.inputs for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [r["id"] for r in rows if not r.get("outlet")]
    if missing:
        print(f"passages without an outlet: {missing[:10]}", file=sys.stderr)
        return 2
    if args.test and args.test.exists():
        test_outlets = {json.loads(line)["outlet"] for line in args.test.read_text(encoding="utf-8").splitlines() if line.strip()}
        clash = {r["outlet"] for r in rows} & test_outlets
        if clash:
            print(f"outlets also in the locked test: {sorted(clash)}", file=sys.stderr)
            return 2
    train, dev = split(rows, args.dev_share)
    for name, part in (("train", train), ("dev", dev)):
        part.sort(key=lambda r: r["id"])
        (args.out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
        print(f"{name}: {len(part)} passages ({sum(r['lang'] == 'ar' for r in part)} Arabic), "
              f"{len({r['outlet'] for r in part})} outlets, {sum(len(r['gold']['events']) for r in part)} events")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
