"""OCHA common operational data for Syria in the gazetteer: the 272 sub-districts (COD-AB admin3 names and
p-codes) and the Aleppo communities (COD-PS admin4), placed through their p-code hierarchy.

* ``geo/ocha_syr_admin3.csv`` - sub-districts (``SY020300`` …) with their OCHA district and governorate;
* ``geo/ocha_syr_admin2_crosswalk.csv`` - OCHA district p-code -> the district polygon code used here;
* ``geo/ocha_syr_communities_aleppo.csv`` - communities (``C1366`` …) with English and Arabic names.

The files carry no coordinates. A sub-district becomes a ``subdistrict`` place at its seat town (a known
place of the same name in its district), else at its district's point. A community whose name (Arabic,
or romanisation key of the English) is already a place of its district is merged into it (the place
then lists ``ocha-syr-cod`` among its sources and gains the sub-district); otherwise it is a new
``village`` at its sub-district's point with ``located = "admin3"`` (precision ``admin3``). Private to
:mod:`rasid.geo._build`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from rasid.errors import GeoError
from rasid.lang.normalize import detect_script, normalize_name
from rasid.lang.translit import rom_key

__all__ = ["SOURCE", "add_ocha_syria", "split_names"]

SOURCE = "ocha-syr-cod"
_ADMIN = frozenset({"governorate", "district", "subdistrict", "region"})
_SETTLED = frozenset({"city", "town", "village", "locality", "settlement", "neighbourhood", "abandoned_place",
                      "farm"})
_SPLIT = re.compile(r"\s+-\s+|_+|\s*/\s*|\s*\\+\s*|\s*\(\s*|\s*\)\s*")
_MARKAZ = re.compile(r"^(?:مركز)\s*")


def split_names(name: str) -> list[str]:
    """The names in an OCHA name field: "Tal Elsus - Abu Sus", "الصياح_صياح ظاهرية", "قزل/غزل",
    "Big Jaddaa (Al-Karameh)" -> each alternative, first one first."""
    parts = [p.strip(" -") for p in _SPLIT.split(name or "")]
    return [p for p in dict.fromkeys(parts) if p]


def _keys(name: str) -> list[str]:
    """Match keys of one name: the normalised form (Arabic) or the romanisation key (Latin)."""
    if not name:
        return []
    if detect_script(name) == "ar":
        k = normalize_name(_MARKAZ.sub("", name))
        return [k] if len(k.replace(" ", "")) >= 2 else []
    k = rom_key(name)
    return [f"~{k}"] if len(k) >= 3 else []


class _DistrictIndex:
    """(district code, match key) -> populated places already in the builder."""

    def __init__(self, b: Any) -> None:
        self.b = b
        self.idx: dict[tuple[str, str], list[int]] = {}
        for _key, _loose, pid, name, _lang in b.names:
            row = b.places[pid]
            if row["country"] != "SY" or row["feature_type"] in _ADMIN:
                continue
            self.add(pid, [name])

    def add(self, pid: int, names: list[str]) -> None:
        a2 = self.b.places[pid]["admin2_code"]
        if not a2:
            return
        for n in names:
            for k in _keys(n):
                lst = self.idx.setdefault((a2, k), [])
                if pid not in lst:
                    lst.append(pid)

    def find(self, a2: str, names: list[str], settled_only: bool = False) -> int | None:
        """The most plausible known place of district ``a2`` named by one of ``names``."""
        best: tuple[float, int] | None = None
        for n in names:
            for k in _keys(n):
                for pid in self.idx.get((a2, k), ()):
                    row = self.b.places[pid]
                    if settled_only and row["feature_type"] not in _SETTLED:
                        continue
                    rank = (row["population"] or 0) + 1000 * (row["feature_type"] in ("city", "town"))
                    if best is None or rank > best[0]:
                        best = (rank, pid)
        return best[1] if best else None


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise GeoError(f"cannot read OCHA list: {exc}", path=path) from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise GeoError(f"missing columns {', '.join(missing)}", path=path)
    return df


def add_ocha_syria(b: Any, d: Path, prior: Callable[[str, int], float], unit_pid: dict[str, int]) -> None:
    """Add the OCHA sub-districts and Aleppo communities to the builder ``b`` (see the module doc)."""
    geo = d / "geo"
    cross = _read(geo / "ocha_syr_admin2_crosswalk.csv", ["ocha_adm2_pcode", "adm2_code"])
    to_a2 = dict(zip(cross["ocha_adm2_pcode"], cross["adm2_code"], strict=True))
    adm3 = _read(geo / "ocha_syr_admin3.csv", ["adm3_pcode", "adm3_en", "adm3_ar", "adm2_pcode", "adm1_pcode"])
    comm = _read(geo / "ocha_syr_communities_aleppo.csv", ["adm4_pcode", "name_en", "name_ar", "adm3_pcode"])
    index = _DistrictIndex(b)
    sub_pid: dict[str, int] = {}
    for r in adm3.to_dict("records"):
        a2 = to_a2.get(r["adm2_pcode"])
        if a2 not in unit_pid:
            raise GeoError(f"no district polygon for OCHA district {r['adm2_pcode']!r}",
                           path=geo / "ocha_syr_admin2_crosswalk.csv")
        dist = b.places[unit_pid[a2]]
        names = [r["adm3_en"], r["adm3_ar"]]
        seat = index.find(a2, [r["adm3_ar"], r["adm3_en"]], settled_only=True)
        at = b.places[seat] if seat is not None else dist
        pid = b.add_place(name=r["adm3_en"], name_ar=_MARKAZ.sub("", r["adm3_ar"]) or r["adm3_ar"],
                          feature_type="subdistrict", country="SY", lat=at["lat"], lon=at["lon"], population=0,
                          admin1_code=dist["admin1_code"], admin1_en=dist["admin1_en"], admin1_ar=dist["admin1_ar"],
                          admin2_code=a2, admin2_en=dist["admin2_en"], admin2_ar=dist["admin2_ar"],
                          admin3_code=r["adm3_pcode"], admin3_en=r["adm3_en"],
                          admin3_ar=_MARKAZ.sub("", r["adm3_ar"]) or r["adm3_ar"],
                          # located by its seat only (no polygon): a little below polygon-backed sub-districts
                          prior=round(prior("subdistrict", 0) - 0.05, 4),
                          source=f"{SOURCE}:admin3", located="point" if seat is not None else "admin2")
        for n in names:
            b.add_name(pid, n, bare_markaz=True)
        sub_pid[r["adm3_pcode"]] = pid
    for r in comm.to_dict("records"):
        sp = sub_pid.get(r["adm3_pcode"])
        if sp is None:
            raise GeoError(f"community {r['adm4_pcode']} names an unknown sub-district {r['adm3_pcode']!r}",
                           path=geo / "ocha_syr_communities_aleppo.csv")
        sub = b.places[sp]
        names_en, names_ar = split_names(r["name_en"]), split_names(r["name_ar"])
        pid = index.find(sub["admin2_code"], names_ar + names_en)
        if pid is not None:
            row = b.places[pid]
            tag = f"{SOURCE}:{r['adm4_pcode']}"
            row["sources"] = f"{row['sources']};{tag}" if row["sources"] else tag
            if not row["admin3_code"]:
                row["admin3_code"], row["admin3_en"], row["admin3_ar"] = (sub["admin3_code"], sub["admin3_en"],
                                                                          sub["admin3_ar"])
            if not row["name_ar"] and names_ar:
                row["name_ar"] = names_ar[0]
        else:
            pid = b.add_place(name=names_en[0] if names_en else names_ar[0], name_ar=names_ar[0] if names_ar else None,
                              feature_type="village", country="SY", lat=sub["lat"], lon=sub["lon"], population=0,
                              **{k: sub[k] for k in ("admin1_code", "admin1_en", "admin1_ar", "admin2_code",
                                                     "admin2_en", "admin2_ar", "admin3_code", "admin3_en",
                                                     "admin3_ar")},
                              prior=prior("village", 0), source=f"{SOURCE}:{r['adm4_pcode']}", located="admin3")
        for n in names_en + names_ar:
            b.add_name(pid, n)
        index.add(pid, names_en + names_ar)
