"""Analysis: unit x period panels, focus tables, hot spots, emerging hot spots, trends."""

from rasid.analysis.aggregate import aggregate, unit_frame
from rasid.analysis.emerging import emerging_hotspots
from rasid.analysis.focus import focus_table
from rasid.analysis.hotspots import hotspots
from rasid.analysis.trends import trend_table

__all__ = [
    "aggregate",
    "unit_frame",
    "focus_table",
    "hotspots",
    "emerging_hotspots",
    "trend_table",
]
