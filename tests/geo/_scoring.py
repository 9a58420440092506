"""Top-candidate accuracy of the geocoder on a labelled mention set (shared by the eval and held-out tests)."""

from __future__ import annotations

from rasid.geo import geocode


def score(rows: list[dict], with_context: bool = True) -> tuple[float, float, int]:
    """(admin1 accuracy, admin2 accuracy over rows with a district label, number of such rows)."""
    ok1 = ok2 = n2 = 0
    for r in rows:
        res = geocode(r["mention"], context=r["context"] if with_context else None)
        top = res[0] if res else None
        ok1 += bool(top and top.admin1_code == r["admin1_code"])
        if r["admin2_code"]:
            n2 += 1
            ok2 += bool(top and top.admin2_code == r["admin2_code"])
    return ok1 / len(rows), ok2 / n2, n2
