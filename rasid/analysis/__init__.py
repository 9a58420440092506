"""Analysis: one panel spec and builder, focus, hot spots, emerging hot spots, trends, explanation, forecasts.

Public names are imported on first use (PEP 562), so importing one module (say ``panel``) does
not load LightGBM or statsmodels. Functions named like their module (``aggregate``, ``hotspots``,
``explain``, ``forecast``, ``backtest``) are imported from the module itself
(``from rasid.analysis.forecast import forecast``): exporting them here would shadow the module.
"""

from __future__ import annotations

from rasid._lazy import lazy_exports

_EXPORTS = {
    "PanelSpec": "rasid.analysis.spec",
    "Panel": "rasid.analysis.panel",
    "build_panel": "rasid.analysis.panel",
    "FeatureTable": "rasid.analysis.features",
    "unit_weights": "rasid.analysis.spatial",
    "spatial_lag": "rasid.analysis.spatial",
    "focus_table": "rasid.analysis.focus",
    "emerging_hotspots": "rasid.analysis.emerging",
    "trend_table": "rasid.analysis.trends",
    "Explanation": "rasid.analysis.explain",
    "BacktestResult": "rasid.analysis.backtest",
    "Forecaster": "rasid.analysis.forecast",
    "ForecastConfig": "rasid.analysis.forecast",
    "Predictive": "rasid.analysis.predictive",
    "scorecard_verdict": "rasid.analysis.scorecard",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports("rasid.analysis", _EXPORTS, globals())
