"""Extraction is linear in its input (issue #12): the work per character stays flat from 10k to 100k
characters of hostile text, and no clause (the unit every scan works on) is unbounded.

Work is counted deterministically as Python function calls (cProfile), not timed: timing lives in
``make bench`` (benchmarks/bench_text.py)."""

from __future__ import annotations

import cProfile
import pstats
import random

import pytest

from rasid.lang.fold import fold
from rasid.text import extract_events
from rasid.text.extract.clauses import MAX_CLAUSE, split_clauses
from rasid.text.extract.pipeline import WINDOW, windows


def _alf(n: int) -> str:
    return ("ألف-" * (n // 4 + 1))[:n]  # the input that was quadratic (202 s at 69k characters)


def _random(n: int) -> str:
    r = random.Random(7)
    return "".join(chr(r.randint(32, 0x2FFF)) for _ in range(n))


def _events(n: int) -> str:
    parts = (f"قتل {i % 40 + 2} جنود وأصيب {i % 7 + 1} آخرون في هجوم لداعش على قرية في قضاء الحويجة بمحافظة كركوك "
             f"يوم {i % 28 + 1} أيار 2021. " for i in range(n // 60 + 1))
    return "".join(parts)[:n]


def _calls(text: str) -> int:
    prof = cProfile.Profile()
    prof.enable()
    extract_events(text, published="2021-06-01")
    prof.disable()
    return pstats.Stats(prof).total_calls


@pytest.mark.parametrize("make", [_alf, _random, _events], ids=["alf", "random", "events"])
def test_work_per_character_is_flat(make) -> None:
    small, large = make(10_000), make(100_000)
    per_small = _calls(small) / len(small)
    per_large = _calls(large) / len(large)
    assert per_large <= 1.15 * per_small, (per_small, per_large)


def test_clauses_are_bounded() -> None:
    ft = fold(_alf(100_000) + " " + "كلمة " * 20_000).text
    spans = split_clauses(ft)
    assert spans and max(b - a for a, b in spans) <= MAX_CLAUSE
    assert len(spans) <= 2 * len(ft) // MAX_CLAUSE + 2


def test_windows_cover_the_text() -> None:
    text = "قتل جندي في كركوك. " * 20_000
    ws = windows(text)
    assert ws[0][0] == 0 and ws[-1][1] == len(text)
    assert all(b0 == a1 for (_a0, b0), (a1, _b1) in zip(ws, ws[1:], strict=False))
    assert all(0 < b - a <= WINDOW for a, b in ws)
    assert all(text[b - 2:b] == ". " for _a, b in ws[:-1])  # cut at a sentence end


def test_events_in_a_long_text_keep_their_offsets() -> None:
    lead = "قتل ثلاثة جنود في هجوم لداعش على نقطة للجيش في قضاء الحويجة بمحافظة كركوك. "
    text = "نص عادي عن الطقس والأسعار في الأسواق. " * 6000 + lead
    assert len(text) > WINDOW
    evs = extract_events(text)
    assert [(e.admin1_en, e.killed) for e in evs] == [("Kirkuk", 3)]
    a, b = evs[0].evidence["place"]
    assert "الحويجة" in text[a:b]
