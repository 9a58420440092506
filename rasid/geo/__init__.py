"""Geography of Iraq and Syria: admin units, the Arabic/English gazetteer, the geocoder and named regions."""

from rasid.geo.gazetteer import Gazetteer, load_gazetteer
from rasid.geo.geocoder import Candidate, GeocodeResult, PlaceMention, find_places, geocode
from rasid.geo.regions import region, region_table

__all__ = [
    "Candidate",
    "GeocodeResult",
    "Gazetteer",
    "PlaceMention",
    "find_places",
    "geocode",
    "load_gazetteer",
    "region",
    "region_table",
]
