"""Maps a reader can use: one Iraq–Syria border, labels without overlap, country names, scale, no-events entry."""

from __future__ import annotations

import matplotlib.figure
import pandas as pd
import shapely

from rasid.geo.units import unit_frame
from rasid.report import Formatter
from rasid.report.maps import _Placer, consistent_units, focus_map


def _country(g, c):
    return shapely.union_all(g[g.country == c].geometry.values)


def test_iraq_and_syria_share_one_border():
    raw = unit_frame("admin2", ["IQ", "SY"])
    fixed = consistent_units(raw)
    iq, sy = _country(fixed, "IQ"), _country(fixed, "SY")
    assert shapely.area(shapely.intersection(iq, sy)) < 1e-6  # no overlap
    both = shapely.union_all([iq, sy])
    gap = shapely.difference(shapely.buffer(shapely.buffer(both, 0.05), -0.05), both)
    near = [p for p in shapely.get_parts(gap) if shapely.distance(p, iq) < 1e-6 and shapely.distance(p, sy) < 1e-6]
    raw_gap = sum(shapely.area(p) for p in shapely.get_parts(shapely.difference(
        shapely.buffer(shapely.buffer(shapely.union_all(raw.geometry.values), 0.05), -0.05),
        shapely.union_all(raw.geometry.values))))
    assert sum(shapely.area(p) for p in near) < 0.05 * raw_gap  # the slivers between the files are gone
    assert list(fixed.unit_code) == list(raw.unit_code)  # same units, same order


def test_placer_never_overlaps():
    fig = matplotlib.figure.Figure(figsize=(4, 4))
    ax = fig.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    placer = _Placer(fig, ax)
    for i in range(40):
        placer.add(f"label {i}", 5 + (i % 3) * 0.1, 5, size=9)
    assert placer.placed and placer.dropped  # crowded anchors: some labels move, the rest are dropped
    boxes = placer.boxes
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_focus_map_has_what_a_reader_needs():
    units = unit_frame("admin2", ["IQ", "SY"])
    admin1 = unit_frame("admin1", ["IQ", "SY"])
    focus = pd.DataFrame({"unit_code": ["SY.DY.AK", "SY.DY.MY", "IQG13Q02"], "share": [0.34, 0.07, 0.01],
                          "rising": [True, False, True]})
    places = pd.DataFrame({"unit_code": ["SY.DY.AK", "SY.DY.MY"], "label": ["البوكمال", "الميادين"],
                           "short": ["البوكمال", "الميادين"], "x": [float("nan")] * 2, "y": [float("nan")] * 2})
    chart = focus_map(units, admin1, focus, {"title": "الحصة", "share": "الحصة", "rising": "ارتفاع",
                                             "none": "لا أحداث خلال فترة التقرير"}, Formatter("ar"), places=places)
    texts = chart.texts
    from rasid.report.arabic import shape
    for s in ("العراق", "سوريا", "لا أحداث خلال فترة التقرير", "البوكمال", "الأنبار"):
        assert shape(s) in texts, s
    assert any("كم" in t or shape("كم") in t for t in texts)  # the scale bar
    assert chart.png.startswith(b"\x89PNG")
