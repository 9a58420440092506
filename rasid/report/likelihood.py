"""Calibrated likelihood words (US ICD 203 scale) in English and Arabic, from a probability.

The scale and its Arabic wording are data (``rasid/data/report/likelihood.csv``): seven bands from
"almost no chance" (1–5%) to "almost certain" (95–99%), as in Intelligence Community Directive 203,
*Analytic Standards* (2015), section D.6.e(2)(a). docs/brief.md shows the table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Likelihood", "scale", "likelihood"]


@dataclass(frozen=True)
class Likelihood:
    """One band of the scale: ``low``..``high`` probability and its words."""

    key: str
    low: float
    high: float
    en: str
    ar: str
    ar_lead: str  # the band as it opens an Arabic sentence: "من المرجّح جداً أن ..."
    source_url: str

    def to_dict(self) -> dict:
        """Plain dict for templates."""
        return dict(self.__dict__)


@lru_cache(maxsize=1)
def scale() -> tuple[Likelihood, ...]:
    """The seven bands, lowest first."""
    text = (resources.files("rasid") / "data" / "report" / "likelihood.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return tuple(Likelihood(r["key"], float(r["low"]), float(r["high"]), r["en"], r["ar"], r["ar_lead"],
                            r["source_url"]) for r in rows)


def likelihood(p: float) -> Likelihood:
    """The band holding probability ``p`` (0..1); values beyond 1–99% take the end bands.

    A probability on a boundary goes to the band above it (0.55 is "likely", 0.95 "almost certain").
    """
    bands = scale()
    if p != p:  # NaN
        raise ValueError("likelihood of NaN")
    for band in bands:
        if p < band.high:
            return band
    return bands[-1]
