"""rasid (راصد, "the observer"): conflict events, focus, explanation, forecasts and briefs."""

from rasid.errors import RasidError

__all__ = ["RasidError", "__version__"]
__version__ = "0.1.0"
