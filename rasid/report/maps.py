"""Choropleth maps for the brief: the actor's focus and its hotspot classes by district, governorates labelled."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import matplotlib.colors
import matplotlib.lines
import matplotlib.patches
import matplotlib.patheffects
import matplotlib.ticker
import pandas as pd
import shapely
from matplotlib.figure import Figure

from rasid.report.arabic import register_fonts
from rasid.report.charts import Chart, _Labeller, _png
from rasid.report.format import Formatter

__all__ = ["focus_map", "hotspot_map", "HOTSPOT_COLOURS"]

# emerging-hotspot patterns (ESRI's names) -> colour; "no pattern detected" stays grey
HOTSPOT_COLOURS = {
    "new hot spot": "#67000d", "consecutive hot spot": "#a50f15", "intensifying hot spot": "#cb181d",
    "persistent hot spot": "#ef3b2c", "diminishing hot spot": "#fb6a4a", "sporadic hot spot": "#fc9272",
    "oscillating hot spot": "#fcbba1", "historical hot spot": "#fee0d2",
    "new cold spot": "#08306b", "consecutive cold spot": "#08519c", "intensifying cold spot": "#2171b5",
    "persistent cold spot": "#4292c6", "diminishing cold spot": "#6baed6", "sporadic cold spot": "#9ecae1",
    "oscillating cold spot": "#c6dbef", "historical cold spot": "#deebf7",
}
_BASE = "#f2f2f2"
_EDGE = "#c8c8c8"


def _governorate_labels(ax, admin1: gpd.GeoDataFrame, lang: str, lab: _Labeller) -> None:
    """Governorate outlines and names at a point inside each polygon."""
    admin1.boundary.plot(ax=ax, color="#444444", linewidth=0.7)
    pts = admin1.geometry.representative_point()
    name_col = "unit_ar" if lang == "ar" else "unit_en"
    small = shapely.area(admin1.geometry.values) < 0.35  # square degrees: Damascus, Quneitra, Tartous, Lattakia
    for p, name, tiny in zip(pts, admin1[name_col], small, strict=True):
        ax.annotate(lab(str(name)), (p.x, p.y), ha="center", va="center", fontsize=5.5 if tiny else 7, color="#111111",
                    path_effects=[matplotlib.patheffects.withStroke(linewidth=2.2, foreground="white")])


def _frame(admin2: gpd.GeoDataFrame):
    """A figure and axis sized for the region, districts drawn in grey."""
    minx, miny, maxx, maxy = admin2.total_bounds
    aspect = (maxy - miny) / max(maxx - minx, 1e-9)
    fig = Figure(figsize=(8.6, 8.6 * aspect + 1.2))
    ax = fig.subplots()
    ax.set_axis_off()
    admin2.plot(ax=ax, color=_BASE, edgecolor=_EDGE, linewidth=0.3)
    return fig, ax


def focus_map(admin2: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, focus: pd.DataFrame,
              labels: dict[str, str], fmt: Formatter) -> Chart:
    """Share of the actor's events per district (square-root colour scale); significant rises outlined.

    ``focus`` has ``unit_code, share, rising`` (bool); ``labels`` holds ``title``, ``share`` and ``rising``.
    """
    lab = _Labeller(fmt.lang)
    with matplotlib.rc_context({"font.family": register_fonts(), "font.size": 8}):
        fig, ax = _frame(admin2)
        g = admin2.merge(focus, on="unit_code", how="inner")
        g = g[g["share"] > 0].assign(share_pct=lambda x: x["share"] * 100)
        if len(g):
            norm = matplotlib.colors.PowerNorm(0.5, vmin=0, vmax=float(g["share_pct"].max()))
            g.plot(ax=ax, column="share_pct", cmap="OrRd", norm=norm, edgecolor=_EDGE, linewidth=0.3, legend=True,
                   legend_kwds={"shrink": 0.45, "orientation": "horizontal", "pad": 0.01, "label": lab(labels["share"]),
                                "format": matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.pct(v / 100, 0))})
            up = g[g["rising"].fillna(False).astype(bool)]
            if len(up):
                up.boundary.plot(ax=ax, color="#000000", linewidth=1.5)
                ax.legend([matplotlib.lines.Line2D([], [], color="#000000", lw=1.5)], [lab(labels["rising"])],
                          loc="lower left" if fmt.lang != "ar" else "lower right", frameon=False, fontsize=8, markerfirst=fmt.lang != "ar")
        _governorate_labels(ax, admin1, fmt.lang, lab)
        ax.set_title(lab(labels["title"]), fontsize=11)
        fig.tight_layout()
        png = _png(fig)
    return Chart(png, lab.texts, labels["title"])


def hotspot_map(admin2: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, hotspots: pd.DataFrame,
                labels: dict[str, str], fmt: Formatter) -> Chart:
    """Emerging-hotspot pattern per district. ``hotspots``: ``unit_code, pattern, pattern_label``."""
    lab = _Labeller(fmt.lang)
    with matplotlib.rc_context({"font.family": register_fonts(), "font.size": 8}):
        fig, ax = _frame(admin2)
        g = admin2.merge(hotspots, on="unit_code", how="inner")
        g = g[g["pattern"].isin(HOTSPOT_COLOURS)]
        handles, names = [], []
        for pat in HOTSPOT_COLOURS:
            sub = g[g["pattern"] == pat]
            if sub.empty:
                continue
            sub.plot(ax=ax, color=HOTSPOT_COLOURS[pat], edgecolor=_EDGE, linewidth=0.3)
            handles.append(matplotlib.patches.Patch(color=HOTSPOT_COLOURS[pat]))
            names.append(lab(f"{sub['pattern_label'].iloc[0]} ({fmt.num(len(sub))})"))
        handles.append(matplotlib.patches.Patch(facecolor=_BASE, edgecolor=_EDGE))
        names.append(lab(labels["none"]))
        ax.legend(handles, names, loc="lower left" if fmt.lang != "ar" else "lower right", frameon=False, fontsize=8, markerfirst=fmt.lang != "ar")
        _governorate_labels(ax, admin1, fmt.lang, lab)
        ax.set_title(lab(labels["title"]), fontsize=11)
        fig.tight_layout()
        png = _png(fig)
    return Chart(png, lab.texts, labels["title"])
