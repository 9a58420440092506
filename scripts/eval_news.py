"""`make eval`: aggregate extraction figures on the news corpus splits (train, dev, locked test).

Prints, per split: passages, gold events, event precision / recall / F1, per-field accuracy over
matched events, per language, per phenomenon and cross-document linking; for the rules alone and
for rules plus the learned layer. The locked test split (tests/data/news/test.jsonl) is scored as
aggregates only: per-item errors are never printed for it (``--errors`` refuses it).

Usage: ``python scripts/eval_news.py [--splits train,dev,test] [--modes rules,hybrid] [--errors dev]``

``--code DIR`` scores the extractor of another checkout (e.g. a worktree of an older commit, for the
"before" figures) with this repository's evaluator and corpus: DIR's ``rasid`` package is imported,
``rasid/text/evaluate.py`` is loaded from here.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "tests" / "data" / "news"
LOCKED = "test"
_SHORT = {"actor": "actor", "target": "target", "event_type": "type", "killed": "killed", "wounded": "wounded",
          "captured": "captured", "attackers_killed": "att.k", "claimed": "claim", "background": "bg",
          "admin2": "admin2", "precision": "prec"}


def _f(v) -> str:
    return "   -" if v is None else f"{v:.3f}"


FIELDS: tuple[str, ...] = ()


def _evaluator():
    """This repository's evaluator module (also when another checkout's ``rasid`` is imported)."""
    spec = importlib.util.spec_from_file_location("_rasid_news_evaluate", ROOT / "rasid" / "text" / "evaluate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _row(label: str, r: dict) -> str:
    acc = r["field_accuracy"]
    return (f"  {label:18s} {r['items']:4d} {r['gold']:4d}  {_f(r['precision'])} {_f(r['recall'])} {_f(r['f1'])}  "
            + " ".join(f"{_f(acc[f]):>{max(5, len(_SHORT[f]))}s}" for f in FIELDS)
            + f"  {_f(r['counts_exact'])} {_f(r['negatives_clean'])}")


def _header() -> str:
    return (f"  {'':18s} {'pass':>4s} {'gold':>4s}  {'P':>5s} {'R':>5s} {'F1':>5s}  "
            + " ".join(f"{_SHORT[f]:>{max(5, len(_SHORT[f]))}s}" for f in FIELDS) + f"  {'cnts':>5s} {'neg.ok':>5s}")


def _extractor(mode: str):
    from rasid.text.extract import extract_events

    if "learned" in inspect.signature(extract_events).parameters:
        return partial(extract_events, learned=(mode == "hybrid"))
    if mode == "hybrid":
        return None
    return extract_events


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", default="train,dev,test")
    ap.add_argument("--modes", default="rules,hybrid")
    ap.add_argument("--errors", default=None, help="print per-item errors of this split (never the locked test)")
    ap.add_argument("--code", default=None, help="score the extractor of this checkout instead")
    args = ap.parse_args()
    global FIELDS
    if args.code:
        sys.path.insert(0, str(Path(args.code).resolve()))
    ev = _evaluator()
    FIELDS = ev.FIELDS
    try:
        from rasid.text.link import cluster_events
    except ImportError:  # an older checkout: no cross-document linking
        cluster_events = None
    import rasid

    print(f"extractor: {Path(rasid.__file__).parent}")
    if args.errors == LOCKED:
        print("refused: the locked test split is scored as aggregates only (docs/extraction.md)", file=sys.stderr)
        return 2
    for split in args.splits.split(","):
        path = NEWS / f"{split}.jsonl"
        if not path.exists():
            print(f"\n[{split}] {path.name} not present")
            continue
        items = ev.load_corpus(path)
        n_ar = sum(it.lang == "ar" for it in items)
        outlets = {it.outlet for it in items if it.outlet}
        print(f"\n[{split}] {len(items)} passages ({n_ar} Arabic, {len(items) - n_ar} English), "
              f"{sum(len(it.gold_events) for it in items)} gold events, {len(outlets)} outlets"
              + ("  -- LOCKED: aggregates only" if split == LOCKED else ""))
        for mode in args.modes.split(","):
            ex = _extractor(mode)
            if ex is None:
                print(f" {mode}: no learned layer in this version")
                continue
            rep = ev.split_report(items, extractor=ex, locked=(split == LOCKED), linker=cluster_events)
            print(f" {mode}")
            print(_header())
            for key in ("all", "ar", "en"):
                print(_row(key, rep[key]))
            for ph, r in rep["phenomena"].items():
                print(_row(ph, r))
            cd = rep.get("cross_doc")
            if cd:
                print(f"  cross-document links: {cd['found']}/{cd['gold_pairs']} same-story pairs linked "
                      f"(recall {_f(cd['recall'])}), {cd['links']} links, {cd['false_links']} false "
                      f"(precision {_f(cd['precision'])})")
            if args.errors == split:
                for d in rep["all"]["details"]:
                    print("   ", d)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
