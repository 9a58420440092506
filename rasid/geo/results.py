"""Public result types of the geocoder: :class:`Candidate` (one possible place), :class:`GeocodeResult`
(the ranked candidates with a calibrated probability and abstention) and :class:`PlaceMention` (a place
found in free text)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

__all__ = ["Candidate", "GeocodeResult", "PlaceMention"]

@dataclass
class Candidate:
    """One possible place for a mention, with admin units in both languages and how sure we are."""

    name: str
    name_ar: str | None
    feature_type: str
    lat: float
    lon: float
    country: str | None
    admin1_code: str | None
    admin1_en: str | None
    admin1_ar: str | None
    admin2_code: str | None
    admin2_en: str | None
    admin2_ar: str | None
    admin3_code: str | None
    admin3_en: str | None
    admin3_ar: str | None
    precision: str
    score: float
    direction: str | None = None
    distance_km: float | None = None
    matched: str = ""
    reason: str = ""
    place_id: int = -1
    population: int = 0
    probability: float | None = None  # calibrated P(right district) of the answer; set on the first candidate

    def to_dict(self) -> dict:
        """Plain dict (JSON-ready) with all fields."""
        return asdict(self)


class GeocodeResult(list):
    """A list of :class:`Candidate`, best first, with ``reason`` saying why it is empty or how the
    best one was chosen.

    ``probability`` is the calibrated probability that the best place guessed lies in the right
    district (``probability_governorate``: the right governorate). Below the threshold the result
    ``abstained``: the place is "not found", ``guesses`` lists the best guesses and ``fallback`` is the
    coarser unit it is sure of (the district or governorate named in the mention or context, or the
    governorate all likely guesses share), put first in the list; None when it is sure of nothing."""

    def __init__(self, items: list[Candidate] | None = None, reason: str = "", *,
                 probability: float | None = None, probability_governorate: float | None = None,
                 abstained: bool = False, fallback: Candidate | None = None,
                 guesses: list[Candidate] | None = None) -> None:
        super().__init__(items or [])
        self.reason = reason
        self.probability = probability
        self.probability_governorate = probability_governorate
        self.abstained = abstained if items else True
        self.fallback = fallback
        self.guesses = guesses if guesses is not None else list(self)
        self.features: Mapping[str, float] | None = None  # what the probability was computed from (read-only)

    @property
    def answer(self) -> Candidate | None:
        """The place answered (None when abstained): the level to trust is ``fallback``."""
        return None if self.abstained or not self else self[0]

    def to_dicts(self) -> list[dict]:
        """The candidates as plain dicts, best first."""
        return [c.to_dict() for c in self]


@dataclass
class PlaceMention:
    """A place named in free text: ``text[start:end]`` is the name; ``phrase_start`` includes a type
    word or relative phrase before it ("قضاء", "جنوب غرب"); ``candidate`` is the best match."""

    text: str
    start: int
    end: int
    phrase_start: int
    candidate: Candidate | None
    hint: str | None = None
    direction: str | None = None
    n_candidates: int = 0
    alternatives: list[Candidate] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        """Plain dict with the candidate nested as a dict."""
        d = {k: getattr(self, k) for k in ("text", "start", "end", "phrase_start", "hint", "direction",
                                           "n_candidates")}
        d["candidate"] = self.candidate.to_dict() if self.candidate else None
        return d
