"""Grid-cell briefs name each cell by its nearest town, in the text and on the map."""

from __future__ import annotations

import lxml.html

from rasid.report import render_brief
from rasid.report._render import _map_places
from tests.report._fixed import fixed_brief


def test_grid_cells_take_their_nearest_town(tmp_path):
    data = fixed_brief()
    data.unit = "grid"
    top = data.tables["top"].copy()
    top["unit_code"] = ["179722", "176832"]
    data.tables["top"] = top
    data.places = {"179722": {"sites": [{"en": "Hajin", "ar": "هجين", "events": 81, "lat": 34.69, "lon": 40.83}],
                              "site_events": 81, "events": 331, "lat": 34.69, "lon": 40.83,
                              "locator": {"town_en": "Hajin", "town_ar": "هجين", "km": 0, "bearing": "east",
                                          "near": True}},
                   "176832": {"sites": [], "site_events": 0, "events": 49, "lat": 32.8, "lon": 35.91,
                              "locator": {"town_en": "Daraa", "town_ar": "درعا", "km": 25, "bearing": "north-west",
                                          "near": False}}}
    labels = _map_places(data, "en").set_index("unit_code")["label"].to_dict()
    assert labels == {"179722": "Hajin", "176832": "Daraa (north-west)"}
    assert _map_places(data, "ar").set_index("unit_code")["label"].to_dict()["176832"] == "درعا (شمال غرب)"
    (html,) = render_brief(data, "en", "html", tmp_path, basename="grid", charts=False)
    doc = lxml.html.fromstring(html.read_text(encoding="utf-8"))
    names = [li.xpath("strong")[0].text_content() for li in doc.xpath("//ul[@class='findings']/li")]
    assert names == ["Hajin (cell 179722)", "Daraa (north-west) (cell 176832)"]
