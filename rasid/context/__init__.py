"""Context layers (oil and gas, contested control, corridors, detention, population, political calendar).

``unit_features(unit, countries)`` gives one row per unit with every static layer; ``calendar_features(months,
country)`` the monthly political-calendar covariates. Each loader returns rows with a public ``source``.
"""

from __future__ import annotations

from rasid.context.calendar import calendar_features, political_calendar
from rasid.context.control import disputed_districts
from rasid.context.corridors import border_line, crossings, route_hubs, routes
from rasid.context.detention import detention_sites
from rasid.context.layers import FEATURES, LAYER_SOURCES, unit_features
from rasid.context.oil import oil_sites, pipelines
from rasid.context.population import populated_places, unit_population

__all__ = [
    "unit_features",
    "calendar_features",
    "FEATURES",
    "LAYER_SOURCES",
    "oil_sites",
    "pipelines",
    "disputed_districts",
    "border_line",
    "crossings",
    "route_hubs",
    "routes",
    "detention_sites",
    "populated_places",
    "unit_population",
    "political_calendar",
]
