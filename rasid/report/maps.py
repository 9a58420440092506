"""Choropleth maps for the brief: the actor's focus and hotspot classes by district, governorates labelled."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rasid.report.arabic import register_fonts
from rasid.report.charts import Chart, _Labeller, _png
from rasid.report.format import Formatter

__all__ = ["focus_map", "HOTSPOT_COLOURS"]

# emerging-hotspot classes (ESRI's names, lower case) -> colour; anything else falls back to grey
HOTSPOT_COLOURS = {
    "new hot spot": "#67000d", "consecutive hot spot": "#a50f15", "intensifying hot spot": "#cb181d",
    "persistent hot spot": "#ef3b2c", "diminishing hot spot": "#fb6a4a", "sporadic hot spot": "#fc9272",
    "oscillating hot spot": "#fcbba1", "historical hot spot": "#fee0d2", "hot spot": "#de2d26",
    "new cold spot": "#08306b", "consecutive cold spot": "#08519c", "intensifying cold spot": "#2171b5",
    "persistent cold spot": "#4292c6", "diminishing cold spot": "#6baed6", "sporadic cold spot": "#9ecae1",
    "oscillating cold spot": "#c6dbef", "historical cold spot": "#deebf7", "cold spot": "#3182bd",
}


def _governorate_labels(ax, admin1: gpd.GeoDataFrame, lang: str, lab: _Labeller) -> None:
    """Governorate outlines and names at a point inside each polygon."""
    admin1.boundary.plot(ax=ax, color="#333333", linewidth=0.6)
    pts = admin1.geometry.representative_point()
    name_col = "unit_ar" if lang == "ar" else "unit_en"
    for p, name in zip(pts, admin1[name_col], strict=True):
        ax.annotate(lab(str(name)), (p.x, p.y), ha="center", va="center", fontsize=5.6, color="#111111",
                    path_effects=[matplotlib.patheffects.withStroke(linewidth=1.6, foreground="white")])


def focus_map(admin2: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, focus: pd.DataFrame | None,
              hotspots: pd.DataFrame | None, labels: dict[str, str], fmt: Formatter) -> Chart:
    """One or two panels: share of the actor's events per district (significant rises outlined) and hotspot classes.

    ``focus`` has ``unit_code, share, significant`` (bool); ``hotspots`` has ``unit_code, category`` (English
    class) and ``category_label`` (in the brief's language); ``labels`` holds ``focus_title``, ``share``,
    ``significant``, ``hotspot_title`` and ``no_data``.
    """
    lab = _Labeller(fmt.lang)
    panels = [p for p, d in (("focus", focus), ("hotspots", hotspots)) if d is not None and len(d)]
    if not panels:
        panels = ["focus"]
    with matplotlib.rc_context({"font.family": register_fonts(), "font.size": 8}):
        fig = Figure(figsize=(6.8 * len(panels), 6.4))
        axes = np.atleast_1d(fig.subplots(1, len(panels)))
        if fmt.lang == "ar":
            axes = axes[::-1]  # first panel on the right when reading right to left
        for ax, panel in zip(axes, panels, strict=True):
            ax.set_axis_off()
            admin2.plot(ax=ax, color="#f4f4f4", edgecolor="#d0d0d0", linewidth=0.25)
            if panel == "focus" and focus is not None and len(focus):
                g = admin2.merge(focus, on="unit_code", how="inner")
                g = g[g["share"] > 0]
                if len(g):
                    vmax = float(g["share"].max()) * 100
                    g = g.assign(share_pct=g["share"] * 100)
                    g.plot(ax=ax, column="share_pct", cmap="OrRd", vmin=0, vmax=vmax, edgecolor="#d0d0d0",
                           linewidth=0.25, legend=True,
                           legend_kwds={"shrink": 0.5, "orientation": "horizontal", "pad": 0.02,
                                        "label": lab(labels["share"]),
                                        "format": matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.pct(v / 100, 0))})
                    sig = g[g["significant"].fillna(False).astype(bool)]
                    if len(sig):
                        sig.boundary.plot(ax=ax, color="#000000", linewidth=1.4)
                        ax.plot([], [], color="#000000", lw=1.4, label=lab(labels["significant"]))
                        ax.legend(loc="lower left" if fmt.lang != "ar" else "lower right", frameon=False,
                                  fontsize=7)
                ax.set_title(lab(labels["focus_title"]), fontsize=10, fontweight="bold")
            elif panel == "hotspots" and hotspots is not None:
                g = admin2.merge(hotspots, on="unit_code", how="inner")
                g = g[g["category"].str.lower().isin(HOTSPOT_COLOURS)]
                handles, names = [], []
                for cat, sub in g.groupby(g["category"].str.lower(), sort=True):
                    colour = HOTSPOT_COLOURS[cat]
                    sub.plot(ax=ax, color=colour, edgecolor="#d0d0d0", linewidth=0.25)
                    handles.append(matplotlib.patches.Patch(color=colour))
                    names.append(lab(str(sub["category_label"].iloc[0])))
                if handles:
                    ax.legend(handles, names, loc="lower left" if fmt.lang != "ar" else "lower right",
                              frameon=False, fontsize=7)
                ax.set_title(lab(labels["hotspot_title"]), fontsize=10, fontweight="bold")
            _governorate_labels(ax, admin1, fmt.lang, lab)
        fig.tight_layout()
        png = _png(fig)
    return Chart(png, lab.texts, labels["focus_title"])
