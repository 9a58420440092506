"""Word lists live in rasid/data/text/*.csv, one alternative per row with its rationale."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from rasid.errors import InputError
from rasid.text.extract import lexicon

DATA = resources.files("rasid") / "data" / "text"


def test_every_row_has_a_pattern_and_a_rationale() -> None:
    files = [p for p in DATA.iterdir() if p.name.endswith(".csv")]
    assert {p.name for p in files} >= {"attack.csv", "actors.csv", "casualties.csv", "casualty_nouns.csv",
                                       "context.csv", "event_types.csv", "places.csv", "targets.csv"}
    for p in files:
        with p.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, p.name
        for r in rows:
            assert r.get("rationale") or r.get("source"), (p.name, r)
            if "pattern" in r:
                re.compile(r["pattern"])
                assert r["lang"] in ("ar", "en")


def test_lists_load_once_in_file_order() -> None:
    assert lexicon.lists("event_types")[0] == "prison_attack"
    assert lexicon.terms("casualties", "capture")[0] == "اختطاف"
    assert lexicon.noun_counts()["عنصرين"] == 2
    assert lexicon._table.cache_info().currsize >= 1


def test_unknown_list_names_the_file() -> None:
    with pytest.raises(InputError, match="casualties.csv"):
        lexicon.terms("casualties", "no_such_list")
