"""Geocoder evaluation on labelled real mentions: UCDP GED place strings (tests/data/geo/ucdp_mentions.csv)
and news mentions (eval_mentions.csv, heldout_mentions.csv, arabic_news_mentions.csv), by split, language,
seen/never-seen name.

``python benchmarks/eval_geo.py [--json out.json] [--mode country|context|alone]`` prints, per group:
``n``, coverage (share answered, i.e. not abstained), governorate and district accuracy of the top
candidate, accuracy when answered, and ``gov_final`` (answered: the top's governorate; abstained: the
governorate kept as fallback). The locked ``test`` split is scored in aggregate only: this script never
prints or writes a test mention. Works on old code too (no ``abstained`` attribute: everything answered).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from rasid.geo import geocode

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "geo"
_COUNTRY = {"Iraq": "IQ", "Syria": "SY"}


def load_rows() -> list[dict]:
    """All labelled mentions as dicts: ``set, split, lang, seen, mention, context, country, admin1, admin2``."""
    rows: list[dict] = []
    with (DATA / "ucdp_mentions.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append({"set": "ucdp", "split": r["split"], "lang": "en",
                         "seen": "seen" if r["seen"] == "True" else "unseen", "mention": r["mention"],
                         "context": ", ".join(x for x in (r["adm_2"], r["adm_1"]) if x),
                         "country": _COUNTRY[r["country"]], "admin1": r["admin1_code"],
                         "admin2": r["admin2_code"] or "", "id": r["id"]})
    with (DATA / "arabic_news_mentions.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append({"set": "news-ar", "split": r["split"], "lang": "ar",
                         "seen": "seen" if r["seen"] == "True" else "unseen", "mention": r["mention"],
                         "context": r["context"], "country": None, "admin1": r["admin1_code"],
                         "admin2": r["admin2_code"] or "", "id": r["id"]})
    for name, split in (("eval_mentions.csv", "build"), ("heldout_mentions.csv", "dev")):
        with (DATA / name).open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append({"set": "news", "split": split, "lang": r["lang"], "seen": "news",
                             "mention": r["mention"], "context": r["context"], "country": None,
                             "admin1": r["admin1_code"], "admin2": r["admin2_code"] or "", "id": r["id"]})
    return rows


def run(rows: list[dict], mode: str) -> list[dict]:
    """Geocode every row; adds ``top1, top2, answered, fb1, prob`` to a copy of each row."""
    out = []
    for r in rows:
        if mode == "alone":
            res = geocode(r["mention"])
        elif mode == "country":
            res = geocode(r["mention"], country=r["country"])
        else:
            res = geocode(r["mention"], context=r["context"], country=r["country"])
        top = res[0] if res else None
        abst = bool(getattr(res, "abstained", False)) or top is None
        fb = getattr(res, "fallback", None)
        fb1 = fb.admin1_code if fb is not None else None
        guesses = getattr(res, "guesses", res)
        guess = guesses[0] if guesses else None
        out.append({**r, "top1": top.admin1_code if top else None, "top2": top.admin2_code if top else None,
                    "answered": not abst, "fb1": fb1, "prob": getattr(res, "probability", None),
                    "prob1": getattr(res, "probability_governorate", None),
                    "guess1": guess.admin1_code if guess else None, "guess2": guess.admin2_code if guess else None,
                    "features": getattr(res, "features", None)})
    return out


def metrics(res: list[dict]) -> dict:
    """Aggregate figures of a group of scored rows."""
    n = len(res)
    if not n:
        return {"n": 0}
    d = [r for r in res if r["admin2"]]
    ans = [r for r in res if r["answered"]]
    ans_d = [r for r in ans if r["admin2"]]
    ok1 = sum(r["top1"] == r["admin1"] for r in res)
    ok2 = sum(r["top2"] == r["admin2"] for r in d)
    final1 = sum((r["top1"] if r["answered"] else r["fb1"]) == r["admin1"] for r in res)
    # the target: right district when answering; when abstaining, the governorate kept is right
    safe = sum((r["top2"] == r["admin2"]) if r["answered"] else (r["fb1"] == r["admin1"]) for r in d)
    return {
        "n": n, "n_district": len(d), "coverage": round(len(ans) / n, 3),
        "gov_top": round(ok1 / n, 3), "district_top": round(ok2 / len(d), 3) if d else None,
        "gov_answered": round(sum(r["top1"] == r["admin1"] for r in ans) / len(ans), 3) if ans else None,
        "district_answered": round(sum(r["top2"] == r["admin2"] for r in ans_d) / len(ans_d), 3) if ans_d else None,
        "gov_final": round(final1 / n, 3),
        "district_or_safe_abstain": round(safe / len(d), 3) if d else None,
    }


def groups(res: list[dict]) -> dict[str, dict]:
    """Figures per split x set, language and seen/unseen."""
    out: dict[str, dict] = {}
    for split in ("build", "dev", "test"):
        s = [r for r in res if r["split"] == split]
        out[f"{split}/all"] = metrics(s)
        for key, vals in (("set", ("ucdp", "news", "news-ar")), ("lang", ("en", "ar")), ("seen", ("seen", "unseen"))):
            for v in vals:
                sub = [r for r in s if r[key] == v]
                if sub:
                    out[f"{split}/{key}={v}"] = metrics(sub)
        u = [r for r in s if r["set"] == "ucdp" and r["seen"] == "unseen"]
        if u:
            out[f"{split}/ucdp-unseen"] = metrics(u)
        for c in ("IQ", "SY"):
            sub = [r for r in s if r["country"] == c]
            if sub:
                out[f"{split}/ucdp-{c}"] = metrics(sub)
                out[f"{split}/ucdp-{c}-unseen"] = metrics([r for r in sub if r["seen"] == "unseen"])
        ar = [r for r in s if r["set"] == "news-ar"]
        for v in ("seen", "unseen"):
            sub = [r for r in ar if r["seen"] == v]
            if sub:
                out[f"{split}/news-ar-{v}"] = metrics(sub)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("country", "context", "alone"), nargs="*",
                    default=["country", "context"])
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    ap.add_argument("--fit", action="store_true", help="fit the calibration on build+dev and write it")
    args = ap.parse_args()
    rows = load_rows()
    if args.fit:
        from calibrate_geo import fit  # noqa: PLC0415 - sibling script, only for --fit

        fit([r for r in rows if r["split"] != "test"], run)
        return
    report = {}
    for mode in args.mode:
        res = run(rows, mode)
        report[mode] = groups(res)
        print(f"\n== mode: {mode} (mention{' + country' if mode != 'alone' else ''}"
              f"{' + adm_2/adm_1 text or news fragment' if mode == 'context' else ''}) ==")
        cols = ("n", "coverage", "gov_top", "district_top", "gov_answered", "district_answered", "gov_final",
                "district_or_safe_abstain")
        print(f"{'group':28s}" + "".join(f"{c[:14]:>15s}" for c in cols))
        for g, m in report[mode].items():
            print(f"{g:28s}" + "".join(f"{'' if m.get(c) is None else m.get(c):>15}" for c in cols))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
