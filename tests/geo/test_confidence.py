"""Calibrated probability and abstention: confident answers keep their place, unknown names abstain and
keep the coarser unit they are sure of (the district or governorate named), and the fields are there."""

from __future__ import annotations

import json
from importlib import resources

from rasid.geo import geocode


def test_calibration_file_is_complete() -> None:
    spec = json.loads((resources.files("rasid") / "data" / "geo" / "geocode_calibration.json").read_text("utf-8"))
    assert 0 < spec["threshold"] < 1 and 0 < spec["gov_threshold"] < 1
    for level in ("district", "governorate"):
        assert set(spec[level]["coef"]) == set(spec["features"])
        assert spec[level]["brier_oof"] < 0.15  # far better than the base rate's Brier score
        rel = spec[level]["reliability_oof"]
        top = rel[-1]
        assert top["mean_p"] > 0.9 and abs(top["observed"] - top["mean_p"]) < 0.05


def test_confident_answer() -> None:
    res = geocode("Qalb Lawzah village", country="SY")
    assert not res.abstained and res.answer is res[0]
    assert res[0].admin2_code == "SY.ID.HR"
    assert res.probability >= 0.5 and res[0].probability == res.probability
    assert "probability" in res[0].to_dict()


def test_unknown_village_keeps_the_named_district() -> None:
    res = geocode("Zzyqwarth village", context="Abu Kamal district, Deir ez Zor Governorate", country="SY")
    assert res.abstained and res.answer is None
    assert res.fallback is not None and res[0] is res.fallback
    assert (res.fallback.admin1_code, res.fallback.admin2_code, res.fallback.precision) == ("SY09", "SY.DY.AK",
                                                                                          "admin2")


def test_weak_spelling_guess_abstains_to_the_governorate() -> None:
    # a one-edit guess in a governorate the context does not confirm: not an answer, the governorate is kept
    res = geocode("Qarya Hamrinawi village", context="Salah al-Din province", country="IQ")
    assert res.abstained
    assert res.fallback is not None and res.fallback.admin1_code == "IQG16"


def test_nothing_known_abstains_without_fallback() -> None:
    res = geocode("Zzyqwarth village")
    assert res.abstained and res.fallback is None and res.answer is None


def test_bad_input_abstains() -> None:
    for m in ("", "😀", None):
        res = geocode(m)  # type: ignore[arg-type]
        assert res.abstained and not res and res.reason
