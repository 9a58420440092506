"""Scoring of extracted events against the hand-annotated news corpus (tests/data/news, gold format v2).

Matcher (docs/extraction.md): within one document, a predicted event matches a gold event when the
governorate (``admin1_en``) is equal and the dates agree: both unknown, or within one day, or, for
a gold date given only as a month (``YYYY-MM``), the predicted day falls in that month. Pairs are
taken greedily, best first (same district, then closest date, then same actor, then same killed).
Unmatched predictions are false positives, unmatched gold events false negatives. Field accuracy is
exact match over matched pairs, with None == None counted as agreement.

Aggregates only: :func:`score` returns per-item details separately (``details``) so that a caller
scoring the locked test split can drop them unread (see :func:`split_report`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rasid.text.documents import make_document
from rasid.text.extract import ExtractedEvent, extract_events

__all__ = ["DevItem", "load_dev", "load_corpus", "match_events", "score", "FIELDS", "PHENOMENA", "split_report",
           "gold_precision"]

FIELDS = ("actor", "target", "event_type", "killed", "wounded", "captured", "attackers_killed", "claimed",
          "background", "admin2", "precision")
COUNT_FIELDS = ("killed", "wounded", "captured", "attackers_killed")
PHENOMENA = ("discourse_place", "common_word_place", "specific_site", "casualty_roles", "explicit_zero", "bound",
             "total_sum", "later_incident", "non_victim_number", "background", "multi_event", "told_twice",
             "motive_only", "admin1_only", "city_centre", "negative", "cross_doc")
_GOLD_DEFAULTS = {"background": False, "captured": None, "admin2": None, "claimed": False, "attackers_killed": None}


@dataclass
class DevItem:
    """One annotated passage (v1 keys, plus v2 ``outlet``, ``phenomena`` and ``story``)."""

    id: str
    text: str
    published: str | None
    lang: str
    url: str | None
    gold_events: list[dict]
    gold_motives: list[str] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    phenomena: list[str] = field(default_factory=list)
    story: str | None = None


def load_corpus(path: str | Path) -> list[DevItem]:
    """Annotated passages of one JSONL file; gold events get v2 defaults (``background`` False,
    ``captured`` None) when the file is still v1."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            events = [{**_GOLD_DEFAULTS, **e} for e in r["gold"]["events"]]
            out.append(DevItem(r["id"], r["text"], r.get("published"), r.get("lang", "ar"), r.get("url"), events,
                               r["gold"].get("motives", []), r.get("title"), r.get("outlet"),
                               list(r.get("phenomena") or []), r.get("story")))
    return out


load_dev = load_corpus


def gold_precision(g: dict) -> str:
    """``admin2`` when the gold event names a district, else ``admin1``."""
    return "admin2" if g.get("admin2") else "admin1"


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
        v = {**_GOLD_DEFAULTS, **e}
        v.setdefault("precision", "admin2" if v.get("admin2") else "admin1")
        return v
    # getattr: an older extractor (scored for the "before" figures) has no captured / background fields
    return {"date": e.date, "admin1": e.admin1_en, "admin2": e.admin2_en, "actor": e.actor_id, "target": e.target,
            "event_type": e.event_type, "killed": e.killed, "wounded": e.wounded,
            "captured": getattr(e, "captured", None), "attackers_killed": e.attackers_killed, "claimed": e.claimed,
            "background": bool(getattr(e, "background", False)), "precision": "admin2" if e.admin2_en else "admin1"}


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
                   0 if p["actor"] == g["actor"] else 1, 0 if p["killed"] == g["killed"] else 1,
                   0 if bool(p["background"]) == bool(g.get("background")) else 1, abs(i - j))
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


def _gold_value(g: dict, f: str):
    if f == "precision":
        return gold_precision(g)
    if f == "background":
        return bool(g.get("background"))
    return g.get(f)


def predict(items: Iterable[DevItem], extractor: Callable | None = None) -> dict[str, list]:
    """Predicted events per item id (run once, score many ways)."""
    fn = extractor or extract_events
    out = {}
    for it in items:
        doc = make_document(it.text, id=it.id, published=it.published, lang=it.lang)
        out[it.id] = fn(doc)
    return out


def score(items: Iterable[DevItem], *, lang: str | None = None, extractor: Callable | None = None,
          predictions: dict[str, list] | None = None, phenomenon: str | None = None) -> dict:
    """Event precision/recall/F1, per-field accuracy over matched pairs, negatives kept clean and
    all counts exact, over the items (optionally one language or one phenomenon tag).

    ``details`` lists per-item errors; callers scoring the locked test must not read it."""
    tp = fp = fn = 0
    agree = {f: 0 for f in FIELDS}
    counts_exact = 0
    n_pairs = 0
    n_items = n_neg = neg_clean = 0
    details = []
    for it in items:
        if lang and it.lang != lang:
            continue
        if phenomenon and phenomenon not in it.phenomena:
            continue
        n_items += 1
        if predictions is not None and it.id in predictions:
            pred = predictions[it.id]
        else:
            doc = make_document(it.text, id=it.id, published=it.published, lang=it.lang)
            pred = (extractor or extract_events)(doc)
        gold = it.gold_events
        if not gold:
            n_neg += 1
            neg_clean += not pred
        pairs = match_events(pred, gold)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(gold) - len(pairs)
        for i, j in pairs:
            p = _pred_view(pred[i])
            g = gold[j]
            n_pairs += 1
            counts_exact += all(p[f] == g.get(f) for f in COUNT_FIELDS)
            for f in FIELDS:
                gv = _gold_value(g, f)
                if p[f] == gv:
                    agree[f] += 1
                else:
                    details.append((it.id, f, p[f], gv))
        for i in set(range(len(pred))) - {i for i, _ in pairs}:
            details.append((it.id, "FP", _pred_view(pred[i])["admin1"], str(_pred_view(pred[i])["date"])))
        for j in set(range(len(gold))) - {j for _, j in pairs}:
            g = gold[j]
            details.append((it.id, "FN", g["admin1"], g["date"]))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = {f: (agree[f] / n_pairs if n_pairs else None) for f in FIELDS}
    return {"items": n_items, "gold": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec,
            "f1": f1, "pairs": n_pairs, "field_accuracy": acc,
            "counts_exact": counts_exact / n_pairs if n_pairs else None,
            "negatives": n_neg, "negatives_clean": neg_clean / n_neg if n_neg else None, "details": details}


def _strip(r: dict) -> dict:
    return {k: v for k, v in r.items() if k != "details"}


def split_report(items: list[DevItem], *, extractor: Callable | None = None, locked: bool = False,
                 linker: Callable | None = None) -> dict:
    """Aggregate figures of one split: overall, per language, per phenomenon and cross-document
    linking. With ``locked=True`` (the test split) no per-item detail leaves this function."""
    preds = predict(items, extractor)
    out = {"all": score(items, predictions=preds), "ar": score(items, lang="ar", predictions=preds),
           "en": score(items, lang="en", predictions=preds),
           "phenomena": {ph: score(items, phenomenon=ph, predictions=preds) for ph in PHENOMENA
                         if any(ph in it.phenomena for it in items)}}
    if linker is not None:
        out["cross_doc"] = cross_doc_score(items, preds, linker)
    if locked:
        out = {k: (_strip(v) if k in ("all", "ar", "en", "cross_doc") else {ph: _strip(r) for ph, r in v.items()})
               for k, v in out.items()}
    return out


def cross_doc_score(items: list[DevItem], preds: dict[str, list], linker: Callable) -> dict:
    """Cross-document linking: gold pairs are news (not background) gold events of two passages with
    the same ``story`` that match each other (same governorate, compatible dates); a pair is found when
    the linker puts the predicted events matched to them in one cluster. A false link joins the news
    events of two passages of different stories (or of none)."""
    by_id = {it.id: it for it in items}
    matched: dict[tuple[str, int], int] = {}  # (item id, pred index) -> gold index
    for it in items:
        for i, j in match_events(preds[it.id], it.gold_events):
            matched[(it.id, i)] = j
    events, keys = [], []
    for it in items:
        for i, ev in enumerate(preds[it.id]):
            events.append(ev)
            keys.append((it.id, i))
    clusters = linker(events)  # one cluster label per event
    gold_pairs = 0
    found = 0
    false_links = 0
    links = 0
    story_items = [it for it in items if it.story]
    for a in range(len(story_items)):
        for b in range(a + 1, len(story_items)):
            ia, ib = story_items[a], story_items[b]
            if ia.story != ib.story:
                continue
            for ga in (g for g in ia.gold_events if not g.get("background")):
                for gb in (g for g in ib.gold_events if not g.get("background")):
                    if ga["admin1"] != gb["admin1"] or not _dates_compatible(ga["date"], gb["date"]):
                        continue
                    gold_pairs += 1
                    pa = [k for k, (iid, i) in enumerate(keys) if iid == ia.id and matched.get((iid, i)) is not None
                          and ia.gold_events[matched[(iid, i)]] is ga]
                    pb = [k for k, (iid, i) in enumerate(keys) if iid == ib.id and matched.get((iid, i)) is not None
                          and ib.gold_events[matched[(iid, i)]] is gb]
                    found += any(clusters[x] == clusters[y] for x in pa for y in pb)
    members: dict[object, list[int]] = {}
    for k, c in enumerate(clusters):
        members.setdefault(c, []).append(k)
    for ks in members.values():
        for x in range(len(ks)):
            for y in range(x + 1, len(ks)):
                (ia, i), (ib, j) = keys[ks[x]], keys[ks[y]]
                if ia == ib:
                    continue
                ga, gb = matched.get((ia, i)), matched.get((ib, j))
                if ga is None or gb is None:
                    continue
                if by_id[ia].gold_events[ga].get("background") or by_id[ib].gold_events[gb].get("background"):
                    continue
                links += 1
                if not (by_id[ia].story and by_id[ia].story == by_id[ib].story):
                    false_links += 1
    return {"gold_pairs": gold_pairs, "found": found, "recall": found / gold_pairs if gold_pairs else None,
            "links": links, "false_links": false_links,
            "precision": (links - false_links) / links if links else None}


def _dates_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    if len(a) == 7 or len(b) == 7:
        return a[:7] == b[:7]
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= 1
