"""Folded text and the regexes compiled for it (``rasid.lang.fold``)."""

from __future__ import annotations

import re

from rasid.lang.fold import fold, fold_pattern, rx


def test_folded_text_is_lower_case_and_keeps_offsets() -> None:
    f = fold("ISIS Killed ÉTÉ في الرَّمادي")
    assert f.text == f.text.lower()
    assert f.text.startswith("isis killed été")
    s, e = f.span(0, 4)
    assert "ISIS Killed"[s:e] == "ISIS"


def test_rx_matches_folded_text_whatever_the_case_of_pattern_and_text() -> None:
    text = fold("Daesh (ISIS) claimed the attack in الرمادي").text
    assert rx(r"ISIS").search(text)
    assert rx(r"daesh \(isis\) CLAIMED").search(text)
    assert rx(r"الرمادى").search(text)  # Egyptian ى folds like ي


def test_rx_keeps_escapes_and_group_names_and_is_case_sensitive() -> None:
    p = rx(r"(?P<Who>ISIS)\S+\W\D")
    assert p.groupindex == {"Who": 1}
    assert r"\S" in p.pattern and r"\W" in p.pattern and r"\D" in p.pattern  # not \s, \w, \d
    assert not p.flags & re.IGNORECASE  # case-insensitive matching turns off the literal-prefix scan
    assert rx(r"\S+").fullmatch("ab") and not rx(r"\S+").fullmatch("a b")
    assert rx(r"(?P<a>x)(?P=a)").search("xx")


def test_fold_pattern_is_idempotent_on_arabic_letters() -> None:
    p = fold_pattern("قتلى مدينة الموصل إثر هجوم")
    assert fold_pattern(p) == p
