"""Maps for the brief: the actor's focus and its hotspot classes, drawn so a reader can use them.

Both maps show district (or grid-cell) fills with governorate outlines and one border line between Iraq
and Syria (the two countries' boundary files come from different sources and neither meet nor agree: the
Syrian units are trimmed where they overlap Iraq and take the slivers between the two, see
:func:`consistent_units`), country names, a scale bar, a legend with a "no events" entry, labels for the
places the brief discusses and for governorates, placed so that no two labels overlap (a label that
cannot be placed is dropped, least important first), and an inset that zooms on the discussed places.
"""

from __future__ import annotations

import math
from functools import lru_cache

import geopandas as gpd
import matplotlib
import matplotlib.colors
import matplotlib.lines
import matplotlib.patches
import matplotlib.patheffects
import matplotlib.ticker
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rasid.report.arabic import register_fonts
from rasid.report.charts import Chart, _Labeller, _png
from rasid.report.format import Formatter
from rasid.report.places import ar_spelling

__all__ = ["focus_map", "hotspot_map", "consistent_units", "HOTSPOT_COLOURS", "COUNTRY_NAMES"]

# emerging-hotspot patterns (ESRI's names) -> colour; "no pattern detected" stays grey
HOTSPOT_COLOURS = {
    "new hot spot": "#67000d", "consecutive hot spot": "#a50f15", "intensifying hot spot": "#cb181d",
    "persistent hot spot": "#ef3b2c", "diminishing hot spot": "#fb6a4a", "sporadic hot spot": "#fc9272",
    "oscillating hot spot": "#fcbba1", "historical hot spot": "#fee0d2",
    "new cold spot": "#08306b", "consecutive cold spot": "#08519c", "intensifying cold spot": "#2171b5",
    "persistent cold spot": "#4292c6", "diminishing cold spot": "#6baed6", "sporadic cold spot": "#9ecae1",
    "oscillating cold spot": "#c6dbef", "historical cold spot": "#deebf7",
}
COUNTRY_NAMES = {"en": {"IQ": "IRAQ", "SY": "SYRIA"}, "ar": {"IQ": "العراق", "SY": "سوريا"}}
_BASE = "#f2f2f2"
_EDGE = "#c8c8c8"
_GAP_EPS = 0.05  # degrees: slivers narrower than about 10 km between the two countries are closed
_STROKE = [matplotlib.patheffects.withStroke(linewidth=2.4, foreground="white")]


@lru_cache(maxsize=8)
def _consistent_cached(key: tuple) -> gpd.GeoDataFrame:
    codes, geoms, countries = key
    gdf = gpd.GeoDataFrame({"unit_code": list(codes), "country": list(countries)},
                           geometry=shapely.from_wkb(list(geoms)), crs="EPSG:4326")
    iq = gdf[gdf.country == "IQ"]
    sy_mask = (gdf.country == "SY").to_numpy()
    if iq.empty or not sy_mask.any():
        return gdf
    iq_all = shapely.union_all(iq.geometry.values)
    sy_all = shapely.union_all(gdf.geometry.values[sy_mask])
    geoms_out = np.array(gdf.geometry.values, dtype=object)
    # overlaps: the Iraqi file wins, Syrian units are trimmed
    near = shapely.intersects(geoms_out, iq_all) & sy_mask
    for i in np.flatnonzero(near):
        geoms_out[i] = shapely.make_valid(shapely.difference(geoms_out[i], iq_all))
    both = shapely.union_all([iq_all, sy_all])
    gap = shapely.difference(shapely.buffer(shapely.buffer(both, _GAP_EPS), -_GAP_EPS), both)
    pieces = [p for p in shapely.get_parts(gap)
              if shapely.distance(p, iq_all) < 1e-6 and shapely.distance(p, sy_all) < 1e-6]
    if pieces:
        sy_idx = np.flatnonzero(sy_mask)
        tree = shapely.STRtree(geoms_out[sy_idx])
        grown: dict[int, list] = {}
        for p in pieces:
            cand = tree.query(shapely.buffer(p, 1e-4))
            if len(cand) == 0:
                continue
            best = max(cand, key=lambda c: shapely.area(shapely.intersection(shapely.buffer(geoms_out[sy_idx[c]], 1e-4), p)))
            grown.setdefault(int(sy_idx[best]), []).append(p)
        for i, ps in grown.items():
            geoms_out[i] = shapely.union_all([geoms_out[i], *ps])
    gdf = gdf.set_geometry(list(geoms_out))
    return gdf


def consistent_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Units whose Iraq–Syria border is one line: no overlap (Iraq's file wins) and no gap (slivers go to Syria).

    Returns a copy of ``units`` with the geometry replaced; other columns are kept. Display only: the
    analyses use the units as published.
    """
    if units.empty or "country" not in units or not {"IQ", "SY"} <= set(units["country"]):
        return units
    key = (tuple(units["unit_code"].astype(str)), tuple(shapely.to_wkb(units.geometry.values)),
           tuple(units["country"].astype(str)))
    fixed = _consistent_cached(key)
    out = units.copy()
    out = out.set_geometry(list(fixed.geometry.values))
    return out


class _Placer:
    """Places text labels without overlap: each label tries a few positions around its anchor."""

    _OFFSETS = ((0, 0), (0, 9), (0, -9), (14, 0), (-14, 0), (12, 8), (-12, 8), (12, -8), (-12, -8))

    def __init__(self, fig: Figure, ax) -> None:
        self.canvas = FigureCanvasAgg(fig)
        self.renderer = self.canvas.get_renderer()
        self.ax = ax
        self.boxes: list = []
        self.placed: list[str] = []
        self.dropped: list[str] = []

    def block(self, artist) -> None:
        """Reserve the area of an artist (legend, scale bar) so no label covers it."""
        self.boxes.append(artist.get_window_extent(self.renderer).expanded(1.02, 1.05))

    def add(self, text: str, x: float, y: float, *, size: float, weight: str = "normal", colour: str = "#111111",
            leader: bool = False) -> bool:
        """Draw ``text`` near (x, y) where it overlaps nothing placed before; False if no position is free."""
        ax_box = self.ax.get_window_extent(self.renderer)
        for dx, dy in self._OFFSETS:
            t = self.ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha="center", va="center",
                                 fontsize=size, fontweight=weight, color=colour, path_effects=_STROKE, zorder=6,
                                 arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5}
                                 if leader and (dx or dy) else None)
            box = t.get_window_extent(self.renderer).expanded(1.06, 1.12)
            inside = ax_box.x0 <= box.x0 and box.x1 <= ax_box.x1 and ax_box.y0 <= box.y0 and box.y1 <= ax_box.y1
            if inside and not any(box.overlaps(b) for b in self.boxes):
                self.boxes.append(box)
                self.placed.append(text)
                return True
            t.remove()
        self.dropped.append(text)
        return False


def _scale_bar(ax, fmt: Formatter, lab: _Labeller):
    """A scale bar of a round length at the bottom centre (degrees at the map's mid-latitude)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lat = (y0 + y1) / 2
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    span_km = (x1 - x0) * km_per_deg
    length = next(v for v in (500, 200, 100, 50, 20, 10, 5, 2, 1) if v <= span_km / 5) if span_km > 5 else 1
    width = length / km_per_deg
    left = x0 + (x1 - x0) * 0.5 - width / 2
    y = y0 + (y1 - y0) * 0.03
    ax.plot([left, left + width], [y, y], color="#222222", lw=2.2, solid_capstyle="butt", zorder=7)
    for xx in (left, left + width):
        ax.plot([xx, xx], [y - (y1 - y0) * 0.006, y + (y1 - y0) * 0.006], color="#222222", lw=1, zorder=7)
    return ax.text(left + width / 2, y + (y1 - y0) * 0.012, lab(fmt.km(length)), ha="center", va="bottom",
                   fontsize=7, zorder=7, path_effects=_STROKE)


def _frame(units: gpd.GeoDataFrame):
    """A figure and axis sized for the region, units drawn in grey."""
    minx, miny, maxx, maxy = units.total_bounds
    aspect = (maxy - miny) / max(maxx - minx, 1e-9)
    fig = Figure(figsize=(8.6, 8.6 * aspect + 1.0))
    ax = fig.subplots()
    ax.set_axis_off()
    units.plot(ax=ax, color=_BASE, edgecolor=_EDGE, linewidth=0.3)
    ax.set_xlim(minx - 0.1, maxx + 0.1)
    ax.set_ylim(miny - 0.1, maxy + 0.1)
    return fig, ax


def _outlines(ax, admin1: gpd.GeoDataFrame) -> None:
    """Governorate outlines, and the international border drawn heavier."""
    admin1.boundary.plot(ax=ax, color="#555555", linewidth=0.6)
    if "country" in admin1:
        for _c, g in admin1.groupby("country"):
            shapely_union = shapely.union_all(g.geometry.values)
            gpd.GeoSeries([shapely_union], crs=admin1.crs).boundary.plot(ax=ax, color="#222222", linewidth=1.1)


def _labels(fig, ax, admin1: gpd.GeoDataFrame, places: pd.DataFrame | None, fmt: Formatter, lab: _Labeller,
            blockers: list) -> _Placer:
    """Labels in priority order: discussed places (bold, with leaders), country names, governorates by size."""
    placer = _Placer(fig, ax)
    for artist in blockers:
        if artist is not None:
            placer.block(artist)
    if places is not None and len(places):
        for _, r in places.iterrows():
            placer.add(lab(str(r["label"])), float(r["x"]), float(r["y"]), size=7.5, weight="bold", leader=True)
    if "country" in admin1:
        for c, g in admin1.groupby("country"):
            name = COUNTRY_NAMES[fmt.lang].get(c)
            if not name:
                continue
            p = shapely.union_all(g.geometry.values).representative_point()
            placer.add(lab(name), p.x, p.y, size=13, weight="bold", colour="#9a9a9a")
    name_col = "unit_ar" if fmt.lang == "ar" else "unit_en"
    order = admin1.assign(_a=shapely.area(admin1.geometry.values)).sort_values("_a", ascending=False)
    for _, r in order.iterrows():
        p = r.geometry.representative_point()
        name = ar_spelling(r[name_col]) if fmt.lang == "ar" else str(r[name_col])
        placer.add(lab(name), p.x, p.y, size=6.5, colour="#333333")
    return placer


def _inset(fig, ax, units: gpd.GeoDataFrame, drawn: list[tuple], places: pd.DataFrame | None, fmt: Formatter,
           lab: _Labeller) -> None:
    """A zoom on the discussed places (when they sit close together), with their names; its frame on the map."""
    if places is None or len(places) < 2:
        return
    # the cluster around the first (main) place: discussed places within about 150 km of it
    x0, y0 = float(places["x"].iloc[0]), float(places["y"].iloc[0])
    near = places[np.hypot(places["x"] - x0, (places["y"] - y0)) <= 1.5]
    if len(near) < 2:
        return
    minx, miny, maxx, maxy = units[units["unit_code"].isin(near["unit_code"])].total_bounds
    pad = 0.1
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    w, h = box[2] - box[0], box[3] - box[1]
    side = 0.3
    size = (side, side * h / w) if w >= h else (side * w / h, side)
    ins = ax.inset_axes([0.01, 0.01, *size])  # the map's blank south-west corner (Jordan, Saudi Arabia)
    for frame, kw in drawn:
        sub = frame.cx[box[0]:box[2], box[1]:box[3]]
        if len(sub):
            sub.plot(ax=ins, **kw)
    ins.set_xlim(box[0], box[2])
    ins.set_ylim(box[1], box[3])
    ins.set_xticks([])
    ins.set_yticks([])
    ins.set_xlabel("")
    ins.set_ylabel("")
    for s in ins.spines.values():
        s.set_edgecolor("#333333")
    ax.add_patch(matplotlib.patches.Rectangle((box[0], box[1]), box[2] - box[0], box[3] - box[1], fill=False,
                                              edgecolor="#333333", lw=0.8, zorder=8))
    ax.indicate_inset([box[0], box[1], box[2] - box[0], box[3] - box[1]], ins, edgecolor="#777777", alpha=0.6)
    placer = _Placer(fig, ins)
    for _, r in near.iterrows():
        placer.add(lab(str(r["short"])), float(r["x"]), float(r["y"]), size=6.5, weight="bold", leader=True)


def _prepare(units: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, places: pd.DataFrame | None):
    """Border-consistent units and governorates, and the label anchors of the discussed places."""
    units = consistent_units(units)
    admin1 = consistent_units(admin1)
    pts = None
    if places is not None and len(places):
        g = gpd.GeoDataFrame(places.drop(columns=["x", "y"], errors="ignore").merge(
            units[["unit_code", "geometry"]], on="unit_code", how="inner"), geometry="geometry", crs=units.crs)
        if len(g):  # in the order given: the first place is the main one (the inset zooms around it)
            rp = g.geometry.representative_point()
            pts = pd.DataFrame({"unit_code": g["unit_code"], "label": g["label"], "short": g["short"],
                                "x": rp.x.to_numpy(), "y": rp.y.to_numpy()})
            if "x" in places and places["x"].notna().any():  # event centroids (grid cells, sites) win
                pos = places.set_index("unit_code")[["x", "y"]]
                for i, code in enumerate(pts["unit_code"]):
                    if code in pos.index and not pd.isna(pos.loc[code, "x"]):
                        pts.loc[pts.index[i], ["x", "y"]] = pos.loc[code, ["x", "y"]].to_numpy(dtype=float)
    return units, admin1, pts


def focus_map(units: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, focus: pd.DataFrame,
              labels: dict[str, str], fmt: Formatter, places: pd.DataFrame | None = None) -> Chart:
    """Share of the actor's events per unit (square-root colour scale); significant rises outlined.

    ``focus`` has ``unit_code, share, rising`` (bool); ``labels`` holds ``title``, ``share``, ``rising`` and
    ``none`` (the "no events" legend entry); ``places`` (``unit_code, label, short`` and optionally ``x, y``)
    are the places the brief discusses, labelled on the map and in the inset.
    """
    lab = _Labeller(fmt.lang)
    with matplotlib.rc_context({"font.family": register_fonts(), "font.size": 8}):
        units, admin1, pts = _prepare(units, admin1, places)
        fig, ax = _frame(units)
        drawn = [(units, {"color": _BASE, "edgecolor": _EDGE, "linewidth": 0.3})]
        g = units.merge(focus, on="unit_code", how="inner")
        g = g[g["share"] > 0].assign(share_pct=lambda x: x["share"] * 100)
        handles, names = [], []
        if len(g):
            norm = matplotlib.colors.PowerNorm(0.5, vmin=0, vmax=float(g["share_pct"].max()))
            cmap = matplotlib.colormaps["OrRd"]
            g.plot(ax=ax, column="share_pct", cmap=cmap, norm=norm, edgecolor=_EDGE, linewidth=0.3, legend=True,
                   legend_kwds={"shrink": 0.45, "orientation": "horizontal", "pad": 0.01, "label": lab(labels["share"]),
                                "format": matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.pct(v / 100, 0))})
            drawn.append((g, {"column": "share_pct", "cmap": cmap, "norm": norm, "edgecolor": _EDGE, "linewidth": 0.3}))
            up = g[g["rising"].fillna(False).astype(bool)]
            if len(up):
                up.boundary.plot(ax=ax, color="#000000", linewidth=1.4)
                drawn.append((up.set_geometry(up.boundary), {"color": "#000000", "linewidth": 1.2}))
                handles.append(matplotlib.lines.Line2D([], [], color="#000000", lw=1.5))
                names.append(lab(labels["rising"]))
        handles.append(matplotlib.patches.Patch(facecolor=_BASE, edgecolor=_EDGE))
        names.append(lab(labels["none"]))
        _outlines(ax, admin1)
        drawn.append((admin1.set_geometry(admin1.boundary), {"color": "#555555", "linewidth": 0.6}))
        leg = ax.legend(handles, names, loc="lower right", frameon=True,
                        framealpha=0.9, edgecolor="#dddddd", fontsize=7.5, markerfirst=fmt.lang != "ar")
        bar = _scale_bar(ax, fmt, lab)
        ax.set_title(lab(labels["title"]), fontsize=11)
        fig.tight_layout()  # before the labels: their collision boxes are measured in the final layout
        _labels(fig, ax, admin1, pts, fmt, lab, [leg, bar])
        _inset(fig, ax, units, drawn, pts, fmt, lab)
        png = _png(fig)
    return Chart(png, lab.texts, labels["title"])


def hotspot_map(units: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, hotspots: pd.DataFrame,
                labels: dict[str, str], fmt: Formatter, places: pd.DataFrame | None = None) -> Chart:
    """Emerging-hotspot pattern per unit. ``hotspots``: ``unit_code, pattern, pattern_label``."""
    lab = _Labeller(fmt.lang)
    with matplotlib.rc_context({"font.family": register_fonts(), "font.size": 8}):
        units, admin1, pts = _prepare(units, admin1, places)
        fig, ax = _frame(units)
        drawn = [(units, {"color": _BASE, "edgecolor": _EDGE, "linewidth": 0.3})]
        g = units.merge(hotspots, on="unit_code", how="inner")
        g = g[g["pattern"].isin(HOTSPOT_COLOURS)]
        handles, names = [], []
        for pat in HOTSPOT_COLOURS:
            sub = g[g["pattern"] == pat]
            if sub.empty:
                continue
            kw = {"color": HOTSPOT_COLOURS[pat], "edgecolor": _EDGE, "linewidth": 0.3}
            sub.plot(ax=ax, **kw)
            drawn.append((sub, kw))
            handles.append(matplotlib.patches.Patch(color=HOTSPOT_COLOURS[pat]))
            names.append(lab(f"{sub['pattern_label'].iloc[0]} ({fmt.num(len(sub))})"))
        handles.append(matplotlib.patches.Patch(facecolor=_BASE, edgecolor=_EDGE))
        names.append(lab(labels["none"]))
        _outlines(ax, admin1)
        drawn.append((admin1.set_geometry(admin1.boundary), {"color": "#555555", "linewidth": 0.6}))
        leg = ax.legend(handles, names, loc="lower right", frameon=True,
                        framealpha=0.9, edgecolor="#dddddd", fontsize=7.5, markerfirst=fmt.lang != "ar")
        bar = _scale_bar(ax, fmt, lab)
        ax.set_title(lab(labels["title"]), fontsize=11)
        fig.tight_layout()  # before the labels: their collision boxes are measured in the final layout
        _labels(fig, ax, admin1, pts, fmt, lab, [leg, bar])
        _inset(fig, ax, units, drawn, pts, fmt, lab)
        png = _png(fig)
    return Chart(png, lab.texts, labels["title"])
