"""Type words ("qualifiers") of place names in Arabic and English - محافظة, قضاء, ناحية, قرية, حقل, district,
village, field ... - with the feature type each hints at, and :func:`strip_qualifiers` that removes them
from the ends of a normalised key."""

from __future__ import annotations

from rasid.lang.normalize import normalize_name

__all__ = ["QUALIFIERS_AR", "QUALIFIERS_EN", "strip_qualifiers"]

#: normalised type word -> feature-type hint. Arabic words precede the name; English ones may follow.
QUALIFIERS_AR: dict[str, str] = {
    "محافظه": "governorate", "محافظات": "governorate", "ولايه": "governorate",
    "قضا": "district", "قضاء": "district", "منطقه": "area", "مركز": "city", "اقضيه": "district",
    "ناحيه": "subdistrict", "نواحي": "subdistrict",
    "مدينه": "city", "بلده": "town", "قريه": "village", "قري": "village", "قرى": "village",
    "حي": "neighbourhood", "احيا": "neighbourhood", "مخيم": "camp", "سجن": "prison",
    "حقل": "oil_field", "حقول": "oil_field", "معمل": "gas_plant", "معبر": "crossing",
    "منفذ": "crossing", "قاعده": "military_base", "مطار": "military_base",
    # plural and dual forms heading a list ("بلدات خشام وحطلة", "منطقتي الحويش ومكيشيفة", "بلدتي X وY")
    "بلدات": "town", "بلدتي": "town", "قريتي": "village", "مناطق": "area", "منطقتي": "area",
    "مدن": "city", "مدينتي": "city", "ناحيتي": "subdistrict", "مخيمي": "camp", "حقلي": "oil_field",
}
QUALIFIERS_EN: dict[str, str] = {
    "province": "governorate", "governorate": "governorate", "governate": "governorate",
    "muhafazat": "governorate", "muhafaza": "governorate",
    "district": "district", "qada": "district", "kaza": "district", "qadha": "district",
    "subdistrict": "subdistrict", "nahiya": "subdistrict", "nahia": "subdistrict", "nahiyah": "subdistrict",
    "city": "city", "town": "town", "village": "village", "villages": "village", "towns": "town",
    "neighbourhood": "neighbourhood", "neighborhood": "neighbourhood", "quarter": "neighbourhood",
    "camp": "camp", "prison": "prison", "jail": "prison", "field": "oil_field", "fields": "oil_field",
    "oilfield": "oil_field", "gasfield": "gas_field", "crossing": "crossing", "base": "military_base",
    "airbase": "military_base", "suburb": "neighbourhood", "farm": "farm", "farms": "farm",
    "checkpoint": "checkpoint", "dam": "dam", "bridge": "bridge", "airport": "airport", "mountain": "mountain",
    "mountains": "mountain", "hill": "mountain", "refinery": "refinery", "silo": "silo", "silos": "silo",
    "station": "station", "locality": "village", "mintaqat": "district", "mintaqah": "district",
}
QUALIFIERS_EN = {normalize_name(k): v for k, v in QUALIFIERS_EN.items()}
QUALIFIERS_AR = {normalize_name(k): v for k, v in QUALIFIERS_AR.items()}
# second words of two-word English type phrases ("sub district", "oil field", "border crossing")
_EN_FILLER = frozenset(normalize_name(w) for w in ("sub", "oil", "gas", "and", "border", "refugee", "idp",
                                                   "displacement", "plant", "air", "central", "the", "of",
                                                   "area", "region", "power", "thermal", "military",
                                                   "army", "markaz", "markiz", "mintaqat"))
_AR_FILLER = frozenset(normalize_name(w) for w in (
    # buildings and sites events happen at, named after their place ("حسينية جلولاء", "مشفى الغارية",
    # "جامع الحمد"): the place is what follows
    "مستشفى", "مشفى", "جامع", "مسجد", "مرقد", "حسينية", "مدرسة", "مبنى", "مقر", "كلية", "جامعة", "محطة",
    "دوار", "حاجز", "سيطرة", "معسكر", "صوامع", "نقطة",
    "نفط", "نفطي", "النفطي", "غاز", "الغاز", "للغاز", "النفط",
                                                   "حدودي", "الحدودي", "النفطية", "نفطيه"))


def strip_qualifiers(key: str) -> tuple[str, str | None]:
    """Remove type words from the ends of a normalised key; return ``(bare_key, type_hint)``.

    "محافظه نينوي" -> ("نينوي", "governorate"); "hawija district" -> ("hawija", "district");
    "sub district of hawija" -> ("hawija", "subdistrict"). A key made only of type words is kept."""
    toks = key.split()
    hint: str | None = None
    changed = True
    while changed and len(toks) > 1:
        changed = False
        t0 = toks[0]
        if t0 in QUALIFIERS_AR or t0 in QUALIFIERS_EN:
            hint = hint or QUALIFIERS_AR.get(t0) or QUALIFIERS_EN.get(t0)
            if t0 == "sub" or (t0 == "district" and hint == "subdistrict"):
                hint = "subdistrict"
            toks = toks[1:]
            changed = True
            continue
        if t0 in _EN_FILLER or t0 in _AR_FILLER:
            # "sub district ..." / "oil field ..." / "the ..." / "of ..."
            if t0 == "sub":
                hint = "subdistrict"
            toks = toks[1:]
            changed = True
            continue
        t1 = toks[-1]
        if t1 in QUALIFIERS_EN:
            h = QUALIFIERS_EN[t1]
            if h == "district" and len(toks) > 2 and toks[-2] == "sub":
                h = "subdistrict"
            hint = hint or h
            toks = toks[:-1]
            changed = True
            continue
        if t1 in _EN_FILLER or t1 in _AR_FILLER:
            if t1 == "sub":
                hint = "subdistrict"
            toks = toks[:-1]
            changed = True
    return " ".join(toks), hint
