"""The annotated news corpus (tests/data/news): splits disjoint by outlet, gold format v2 complete,
sizes issue #14 asks for. Reads only metadata and labels of the locked test split, never prints it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rasid.text.evaluate import PHENOMENA
from rasid.text.extract import EVENT_TYPES, TARGETS

NEWS = Path(__file__).parents[1] / "data" / "news"
SPLITS = ("train", "dev", "test")
PASSAGE_KEYS = {"id", "text", "published", "url", "lang", "title", "outlet", "phenomena", "gold"}
EVENT_KEYS = {"date", "admin1", "admin2", "actor", "claimed", "target", "event_type", "killed", "wounded",
              "attackers_killed", "background", "captured"}


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    return {s: [json.loads(line) for line in (NEWS / f"{s}.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()] for s in SPLITS}


def test_only_the_three_splits_hold_passages() -> None:
    assert sorted(p.name for p in NEWS.glob("*.jsonl")) == ["dev.jsonl", "test.jsonl", "train.jsonl"]


def test_sizes(rows) -> None:
    everything = [r for s in SPLITS for r in rows[s]]
    assert len(everything) >= 450
    assert sum(r["lang"] == "ar" for r in everything) >= 300
    assert len({r["outlet"] for r in everything}) >= 50
    assert len(rows["test"]) >= 120
    assert len(rows["train"]) > len(rows["dev"]) >= 80


def test_outlets_disjoint_between_splits(rows) -> None:
    outlets = {s: {r["outlet"] for r in rows[s]} for s in SPLITS}
    assert not outlets["train"] & outlets["dev"]
    assert not outlets["train"] & outlets["test"]
    assert not outlets["dev"] & outlets["test"]


def test_ids_urls_and_texts_unique(rows) -> None:
    everything = [r for s in SPLITS for r in rows[s]]
    for key in ("id", "url"):
        dup = [k for k, n in Counter(r[key] for r in everything).items() if n > 1]
        assert not dup, (key, len(dup))
    heads = Counter(r["text"][:120] for r in everything)
    assert max(heads.values()) == 1


def test_gold_v2_fields(rows) -> None:
    for s in SPLITS:
        for r in rows[s]:
            assert PASSAGE_KEYS <= set(r), (s, sorted(PASSAGE_KEYS - set(r)))
            assert r["lang"] in ("ar", "en") and r["outlet"] and r["url"].startswith(("http://", "https://"))
            assert set(r["phenomena"]) <= set(PHENOMENA)
            assert ("cross_doc" in r["phenomena"]) == bool(r.get("story"))
            assert ("negative" in r["phenomena"]) == (not r["gold"]["events"])
            for e in r["gold"]["events"]:
                assert EVENT_KEYS <= set(e), (s, sorted(EVENT_KEYS - set(e)))
                assert isinstance(e["background"], bool)
                assert e["event_type"] in EVENT_TYPES and (e["target"] in TARGETS or e["target"] is None)
                for k in ("killed", "wounded", "captured", "attackers_killed"):
                    assert e[k] is None or (isinstance(e[k], int) and e[k] >= 0)


def test_every_phenomenon_in_train_and_dev(rows) -> None:
    for s in ("train", "dev"):
        seen = Counter(p for r in rows[s] for p in r["phenomena"])
        assert set(PHENOMENA) <= set(seen), (s, sorted(set(PHENOMENA) - set(seen)))


def test_stories_stay_in_one_split(rows) -> None:
    where: dict[str, set[str]] = {}
    for s in SPLITS:
        for r in rows[s]:
            if r.get("story"):
                where.setdefault(r["story"], set()).add(s)
    assert all(len(v) == 1 for v in where.values())
