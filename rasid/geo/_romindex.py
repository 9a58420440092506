"""Transliteration-aware lookup over the gazetteer's names: romanisation keys, their near neighbours
(edit distance on the keys, through a single-deletion index) and consonant skeletons shared with the
Arabic names. Built once with the gazetteer's index (pickled next to it); the deletion index is built
on first use. Private to :mod:`rasid.geo.gazetteer` and :mod:`rasid.geo.geocoder`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rasid.lang.translit import edit_distance, rom_skeleton_ar, rom_variants

__all__ = ["RomIndex", "build_rom_index"]

_DOUBLE = re.compile(r"(.)\1+")
_MIN_FUZZY = 5  # keys shorter than this are compared exactly only


class RomIndex:
    """``rom``: key -> ((place id, loss), ...) from every Latin name (and its qualifier-free variants);
    ``skel``: consonant skeleton -> place ids from Latin and Arabic names."""

    def __init__(self, rom: dict[str, tuple[tuple[int, float], ...]], skel: dict[str, tuple[int, ...]]) -> None:
        self.rom = rom
        self.skel = skel
        self._deletes: dict[str, tuple[str, ...]] | None = None

    def __getstate__(self) -> dict:
        return {"rom": self.rom, "skel": self.skel}

    def __setstate__(self, st: dict) -> None:
        self.rom, self.skel, self._deletes = st["rom"], st["skel"], None

    def deletes(self) -> dict[str, tuple[str, ...]]:
        """Single-character deletions of every key of 5+ letters -> the keys (built on first use)."""
        if self._deletes is None:
            out: dict[str, list[str]] = {}
            for k in self.rom:
                if len(k) >= _MIN_FUZZY:
                    for i in range(len(k)):
                        d = k[:i] + k[i + 1:]
                        lst = out.get(d)
                        if lst is None:
                            out[d] = [k]
                        elif lst[-1] != k:
                            lst.append(k)
            self._deletes = {d: tuple(v) for d, v in out.items()}
        return self._deletes

    def near(self, key: str) -> list[tuple[int, str]]:
        """``(distance, key)`` of indexed keys within 1 edit (2 for keys of 8+ letters) of ``key``,
        nearest first; same first letter required beyond one edit."""
        n = len(key)
        if n < _MIN_FUZZY:
            return []
        dele = self.deletes()
        cands: set[str] = set()
        q1 = {key[:i] + key[i + 1:] for i in range(n)}
        for q in (key, *q1):
            cands.update(dele.get(q, ()))
            if q in self.rom:
                cands.add(q)
        limit = 2 if n >= 8 else 1
        if limit == 2:
            for q in q1:
                for i in range(len(q)):
                    cands.update(dele.get(q[:i] + q[i + 1:], ()))
        out = []
        for k in cands:
            if k == key:
                continue
            dist = edit_distance(key, k, limit)
            if dist <= limit and (dist == 1 or k[0] == key[0]):
                out.append((dist, k))
        out.sort()
        return out


def build_rom_index(names: Iterable[tuple[str, int, str]]) -> RomIndex:
    """Index ``(normalised key, place id, lang)`` name rows (the gazetteer's ``names`` table)."""
    rom: dict[str, dict[int, float]] = {}
    skel: dict[str, list[int]] = {}
    for key, pid, lang in names:
        if lang == "ar":
            sk = rom_skeleton_ar(key)
            if len(sk) >= 3:
                lst = skel.setdefault(sk, [])
                if not lst or lst[-1] != pid:
                    lst.append(pid)
            continue
        for k, loss in rom_variants(key):
            if len(k) < 3:
                continue
            d = rom.setdefault(k, {})
            if loss < d.get(pid, 9.0):
                d[pid] = loss
            if loss == 0.0:
                sk = _DOUBLE.sub(r"\1", "".join(ch for ch in k if ch not in "aeiouwy"))
                if len(sk) >= 3:
                    lst = skel.setdefault(sk, [])
                    if not lst or lst[-1] != pid:
                        lst.append(pid)
    return RomIndex({k: tuple(v.items()) for k, v in rom.items()},
                    {k: tuple(dict.fromkeys(v)) for k, v in skel.items()})
