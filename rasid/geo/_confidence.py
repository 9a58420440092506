"""Calibrated confidence of a geocoding answer: the probability that the top candidate lies in the right
district (and, separately, the right governorate), from a logistic model over features of the match
and its context. Coefficients live in ``rasid/data/geo/geocode_calibration.json``, fitted on the build
and dev splits of the labelled mentions by ``benchmarks/eval_geo.py --fit`` (see docs/geo.md).
Private to :mod:`rasid.geo.geocoder`.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from rasid.errors import GeoError

__all__ = ["FEATURES", "Model", "load_model"]

#: feature names, in the order of the model's coefficients
FEATURES = (
    "how_exact", "how_romanised", "how_loose", "how_skeleton", "how_fuzzy", "how_phrase", "how_unit",
    "quality", "ft_admin", "ft_city", "ft_site", "ft_region", "log_pop", "ucdp_source",
    "ctx_a1", "in_ctx_a1", "ctx_a2", "in_ctx_a2", "country_given",
    "log_hits", "log_districts", "share_district", "share_governorate", "margin_district", "margin_governorate",
    "hint_match", "alternatives",
)
_HOW = {"exact": "how_exact", "prefix": "how_exact", "adjective": "how_exact", "first item of a list": "how_exact",
        "romanised": "how_romanised", "loose": "how_loose", "cross-script": "how_skeleton",
        "skeleton": "how_skeleton", "fuzzy": "how_fuzzy", "inside phrase": "how_phrase", "unit": "how_unit"}


class Model:
    """Two logistic models (district, governorate) with the abstention threshold."""

    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.threshold = float(spec["threshold"])
        self.gov_threshold = float(spec["gov_threshold"])
        self._w = {lvl: ([float(spec[lvl]["coef"].get(f, 0.0)) for f in FEATURES], float(spec[lvl]["intercept"]))
                   for lvl in ("district", "governorate")}

    def prob(self, feats: dict[str, float], level: str = "district") -> float:
        """P(top candidate right at ``level``) for one feature dict."""
        w, b = self._w[level]
        z = b + sum(wi * feats.get(f, 0.0) for wi, f in zip(w, FEATURES, strict=True))
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The fitted model, or None when the calibration file is absent (probabilities are then None)."""
    path = resources.files("rasid") / "data" / "geo" / "geocode_calibration.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise GeoError(f"cannot read the geocoder calibration: {exc}", path=str(path)) from exc
    try:
        return Model(spec)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeoError(f"malformed geocoder calibration ({exc})", path=str(path)) from exc


def features(*, how: str, quality: float, ft: str, population: int, ucdp: bool, ctx_a1: bool, in_ctx_a1: bool,
             ctx_a2: bool, in_ctx_a2: bool, country_given: bool, scores: list[tuple[float, str | None, str | None]],
             hint_match: bool, alternatives: bool) -> dict[str, float]:
    """Feature dict of an answer; ``scores`` are ``(raw score, admin1, admin2)`` of the ranked
    candidates, best first (the top's admin units are the first entry's)."""
    f = dict.fromkeys(FEATURES, 0.0)
    f[_HOW.get(how, "how_exact")] = 1.0
    f["quality"] = quality
    f["ft_admin"] = float(ft in ("governorate", "district", "subdistrict"))
    f["ft_city"] = float(ft in ("city", "town"))
    f["ft_region"] = float(ft == "region")
    f["ft_site"] = float(ft not in ("governorate", "district", "subdistrict", "city", "town", "region", "village",
                                    "locality", "neighbourhood", "abandoned_place", "farm", "settlement", "campus"))
    f["log_pop"] = math.log10(population + 1) / 6.0
    f["ucdp_source"] = float(ucdp)
    f["ctx_a1"], f["in_ctx_a1"], f["ctx_a2"], f["in_ctx_a2"] = map(float, (ctx_a1, in_ctx_a1, ctx_a2, in_ctx_a2))
    f["country_given"] = float(country_given)
    f["hint_match"] = float(hint_match)
    f["alternatives"] = float(alternatives)
    if scores:
        top, a1, a2 = scores[0]
        pos = [max(s, 0.0) + 0.05 for s, _a, _b in scores]
        tot = sum(pos)
        f["log_hits"] = math.log10(len(scores)) / 1.0
        f["log_districts"] = math.log10(len({b for _s, _a, b in scores})) / 1.0
        f["share_district"] = sum(p for p, (_s, _a, b) in zip(pos, scores, strict=True) if b == a2) / tot
        f["share_governorate"] = sum(p for p, (_s, a, _b) in zip(pos, scores, strict=True) if a == a1) / tot
        other2 = [s for s, _a, b in scores if b != a2]
        other1 = [s for s, a, _b in scores if a != a1]
        f["margin_district"] = min(1.0, top - other2[0]) if other2 else 1.0
        f["margin_governorate"] = min(1.0, top - other1[0]) if other1 else 1.0
    return f
