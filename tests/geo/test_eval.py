"""Accuracy of the top candidate on real mentions from Arabic and English news (tests/data/geo).

Targets from issue #4: admin1 >= 0.95 and admin2 >= 0.85. Measured when the set was built:
admin1 0.962 (254/264), admin2 0.954 (186/195); the asserted floors are the targets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.geo._scoring import score

EVAL = Path(__file__).parents[1] / "data" / "geo" / "eval_mentions.csv"
ADMIN1_TARGET = 0.95
ADMIN2_TARGET = 0.85


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with EVAL.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_eval_set_shape(rows: list[dict]) -> None:
    assert len(rows) >= 250
    arabic = sum(r["lang"] == "ar" for r in rows)
    assert arabic / len(rows) >= 0.60
    for r in rows:
        assert r["source_url"].startswith("http"), r["id"]
        assert r["admin1_code"], r["id"]
        assert r["mention"].strip() and r["context"].strip()


def test_accuracy_meets_targets(rows: list[dict]) -> None:
    acc1, acc2, n2 = score(rows)
    assert n2 >= 150
    assert acc1 >= ADMIN1_TARGET, f"admin1 accuracy {acc1:.3f}"
    assert acc2 >= ADMIN2_TARGET, f"admin2 accuracy {acc2:.3f}"


def test_arabic_subset_meets_targets(rows: list[dict]) -> None:
    acc1, acc2, _n2 = score([r for r in rows if r["lang"] == "ar"])
    assert acc1 >= ADMIN1_TARGET and acc2 >= ADMIN2_TARGET, (acc1, acc2)
