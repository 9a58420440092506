"""Build the UCDP place-mention evaluation set and the UCDP-coded location layer of the gazetteer.

Run from the repository root: ``python tests/data/geo/build_ucdp_sets.py``. It reads only the bundled
event file ``rasid/data/events/ucdp_ged_iq_sy.csv.gz`` (UCDP GED, CC BY 4.0) and writes:

* ``tests/data/geo/ucdp_mentions.csv`` - one row per distinct ``(country, where_coordinates)``: the
  mention as UCDP coders wrote it, UCDP's own ``adm_1``/``adm_2`` text, the event coordinates and the
  governorate/district found by point-in-polygon (:func:`rasid.geo.admin.admin_lookup`) as truth, and
  the split (``build``/``dev``/``test``) chosen by the year the string first appears;
* ``rasid/data/geo/ucdp_locations_iq_sy.csv.gz`` - the exact-location (``where_prec`` = 1) mentions of the
  **build split only**, as gazetteer places (name, type word, coordinates, event count, years).

Split (by source and year; a normalised string belongs to one split only): Iraq (HDX GED 19.1 extract)
strings first seen up to 2013 are ``build``, 2014-2015 ``dev``, 2016-2018 ``test``; Syria (GED Syria
652.1601.1911 and the GED 23.1 sample) up to 2016 ``build``, 2017 ``dev``, 2018 ``test``.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from rasid.geo.admin import admin_lookup  # noqa: E402
from rasid.geo.gazetteer import load_gazetteer, strip_qualifiers  # noqa: E402
from rasid.lang.normalize import normalize_name  # noqa: E402

EVENTS = ROOT / "rasid" / "data" / "events" / "ucdp_ged_iq_sy.csv.gz"
OUT_MENTIONS = ROOT / "tests" / "data" / "geo" / "ucdp_mentions.csv"
OUT_LAYER = ROOT / "rasid" / "data" / "geo" / "ucdp_locations_iq_sy.csv.gz"

_CUTS = {"Iraq": (2013, 2015), "Syria": (2016, 2017)}  # last build year, last dev year
_TYPE = re.compile(r"\s+(village|town|city|suburb|area|base|airbase|airport|field|fields|oilfield|dam|mountain|"
                   r"mountains|checkpoint|camp|farm|farms|locality|hill|road|lake|river|island|station|plant|"
                   r"complex|factory|crossroad|ruins|reservoir|plain|highway|brigade|shrine|castle|hospital|"
                   r"prison|bridge|neighbourhood|neighborhood|quarter|district|subdistrict|governorate|"
                   r"province|villge)$", re.I)


def _split(country: str, first: int) -> str:
    b, d = _CUTS[country]
    return "build" if first <= b else ("dev" if first <= d else "test")


def _alternatives(mention: str) -> list[str]:
    """The name forms in a UCDP string: "A / B village", "A (B) village" -> ["A", "B"] (type word dropped)."""
    s = _TYPE.sub("", mention).strip()
    parts = [p for p in re.split(r"\s*/\s*|\s*[()]\s*", s) if p.strip()]
    return parts or [s]


def _seen(mention: str) -> bool:
    """Is one of the mention's names a name of a GeoNames/WOF, admin or site place of the gazetteer
    (places coded from UCDP itself excluded)? "Never seen" names are the ones the issue targets."""
    g = load_gazetteer()
    for part in _alternatives(mention):
        for pid in g.exact.get(strip_qualifiers(normalize_name(part))[0], ()):
            if not str(g.cols["source"][pid] or "").startswith("ucdp"):
                return True
    return False


def main() -> None:
    df = pd.read_csv(EVENTS, dtype=str, keep_default_na=False)
    df = df[df.where_coordinates.str.strip() != ""].copy()
    df["year"] = df.year.astype(int)
    df["prec"] = pd.to_numeric(df.where_prec, errors="coerce")
    df = df[df.prec.between(1, 4)]
    df["mention"] = df.where_coordinates.str.replace(r"\s+", " ", regex=True).str.strip()
    df["key"] = df.mention.map(normalize_name)
    rows = []
    for (country, mention), grp in df.groupby(["country", "mention"], sort=True):
        prec = int(grp.prec.min())
        best = grp[grp.prec == prec]
        coords = best.groupby(["latitude", "longitude"]).size().sort_values(ascending=False)
        (lat, lon), n_top = coords.index[0], int(coords.iloc[0])
        rows.append({
            "country": country, "mention": mention, "key": normalize_name(mention),
            "first_year": int(grp.year.min()), "last_year": int(grp.year.max()), "n_events": len(grp),
            "where_prec": prec, "lat": float(lat), "lon": float(lon), "coord_share": round(n_top / len(best), 3),
            "adm_1": best.adm_1.mode().iloc[0], "adm_2": best.adm_2.mode().iloc[0],
            "source_dataset": ";".join(sorted(set(grp.source_dataset))),
        })
    m = pd.DataFrame(rows)
    adm = admin_lookup().lookup(m.lat.to_numpy(), m.lon.to_numpy())
    m["admin1_code"] = adm.admin1_code.to_numpy()
    m["admin2_code"] = adm.admin2_code.where(m.where_prec <= 3).to_numpy()
    m = m[m.admin1_code.notna()].copy()
    m["seen"] = m.mention.map(_seen)
    # a normalised string belongs to the split of its earliest year (so no test string is a build string)
    first = m.groupby(["country", "key"]).first_year.transform("min")
    m["split"] = [_split(c, int(f)) for c, f in zip(m.country, first, strict=True)]
    # a string coded in both countries takes its earliest split, so no test string is a build string anywhere
    order = {"build": 0, "dev": 1, "test": 2}
    m["split"] = m.groupby("key").split.transform(lambda s: min(s, key=order.get))
    m = m.sort_values(["split", "country", "mention"]).reset_index(drop=True)
    m.insert(0, "id", range(1, len(m) + 1))
    cols = ["id", "split", "country", "mention", "adm_1", "adm_2", "where_prec", "lat", "lon", "coord_share",
            "admin1_code", "admin2_code", "first_year", "last_year", "n_events", "seen", "source_dataset"]
    m[cols].to_csv(OUT_MENTIONS, index=False)
    print(m.groupby(["split", "country"]).size().to_string())

    layer = m[(m.split == "build") & (m.where_prec == 1) & (m.coord_share >= 0.6)].copy()
    layer["type_word"] = layer.mention.map(lambda s: (_TYPE.search(s).group(1).lower() if _TYPE.search(s) else ""))
    layer["name"] = layer.mention.map(lambda s: _TYPE.sub("", s).strip())
    layer = layer[~layer.type_word.isin({"district", "subdistrict", "governorate", "province"})]
    out = layer[["country", "name", "type_word", "mention", "lat", "lon", "n_events", "first_year", "last_year"]]
    with gzip.GzipFile(OUT_LAYER, "wb", mtime=0) as f:
        f.write(out.to_csv(index=False).encode("utf-8"))
    print(f"layer: {len(out)} places -> {OUT_LAYER.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
