"""Scoring of extracted events against a hand-annotated set (the dev set in tests/data/news).

Matcher (docs/extraction.md): within one document, a predicted event matches a gold event when the
governorate (``admin1_en``) is equal and the dates agree: both unknown, or within one day, or, for
a gold date given only as a month (``YYYY-MM``), the predicted day falls in that month. Pairs are
taken greedily, best first (same district, then closest date, then same actor). Unmatched
predictions are false positives, unmatched gold events false negatives. Field accuracy (actor,
target, event type, killed, wounded, attackers killed) is exact match over matched pairs, with
None == None counted as agreement.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rasid.text.documents import make_document
from rasid.text.extract import ExtractedEvent, extract_events

__all__ = ["DevItem", "load_dev", "match_events", "score", "FIELDS"]

FIELDS = ("actor", "target", "event_type", "killed", "wounded", "attackers_killed", "claimed")


@dataclass
class DevItem:
    """One annotated passage."""

    id: str
    text: str
    published: str | None
    lang: str
    url: str | None
    gold_events: list[dict]
    gold_motives: list[str] = field(default_factory=list)
    title: str | None = None


def load_dev(path: str | Path) -> list[DevItem]:
    """The dev set (JSONL, one passage per line)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            out.append(DevItem(r["id"], r["text"], r.get("published"), r.get("lang", "ar"), r.get("url"),
                               r["gold"]["events"], r["gold"].get("motives", []), r.get("title")))
    return out


def _date_ok(pred: dt.date | None, gold: str | None) -> tuple[bool, int]:
    if gold is None:
        return pred is None, 0
    if pred is None:
        return False, 99
    if len(gold) == 7:  # month
        y, m = int(gold[:4]), int(gold[5:7])
        return (pred.year, pred.month) == (y, m), 1
    g = dt.date.fromisoformat(gold)
    diff = abs((pred - g).days)
    return diff <= 1, diff


def _pred_view(e: ExtractedEvent | dict) -> dict:
    if isinstance(e, dict):
        return e
    return {"date": e.date, "admin1": e.admin1_en, "admin2": e.admin2_en, "actor": e.actor_id, "target": e.target,
            "event_type": e.event_type, "killed": e.killed, "wounded": e.wounded,
            "attackers_killed": e.attackers_killed, "claimed": e.claimed}


def match_events(pred: list, gold: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (pred index, gold index) under the matcher above."""
    pv = [_pred_view(p) for p in pred]
    cands = []
    for i, p in enumerate(pv):
        for j, g in enumerate(gold):
            if p["admin1"] != g["admin1"]:
                continue
            ok, diff = _date_ok(p["date"], g["date"])
            if not ok:
                continue
            key = (0 if g.get("admin2") and p["admin2"] == g.get("admin2") else 1, diff,
                   0 if p["actor"] == g["actor"] else 1, 0 if p["killed"] == g["killed"] else 1, abs(i - j))
            cands.append((key, i, j))
    cands.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _k, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def score(items: Iterable[DevItem], *, lang: str | None = None, extractor=None) -> dict:
    """Event precision/recall/F1 and per-field accuracy over the dev set (optionally one language)."""
    tp = fp = fn = 0
    agree = {f: 0 for f in FIELDS}
    n_pairs = 0
    details = []
    for it in items:
        if lang and it.lang != lang:
            continue
        doc = make_document(it.text, id=it.id, published=it.published, lang=it.lang)
        pred = (extractor or extract_events)(doc)
        pairs = match_events(pred, it.gold_events)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(it.gold_events) - len(pairs)
        for i, j in pairs:
            p = _pred_view(pred[i])
            g = it.gold_events[j]
            n_pairs += 1
            for f in FIELDS:
                gv = g.get("actor" if f == "actor" else f)
                if p[f] == gv:
                    agree[f] += 1
                else:
                    details.append((it.id, f, p[f], gv))
        for i in set(range(len(pred))) - {i for i, _ in pairs}:
            details.append((it.id, "FP", _pred_view(pred[i])["admin1"], str(_pred_view(pred[i])["date"])))
        for j in set(range(len(it.gold_events))) - {j for _, j in pairs}:
            g = it.gold_events[j]
            details.append((it.id, "FN", g["admin1"], g["date"]))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = {f: (agree[f] / n_pairs if n_pairs else 0.0) for f in FIELDS}
    return {"tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec, "f1": f1, "pairs": n_pairs,
            "field_accuracy": acc, "details": details}
