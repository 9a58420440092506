"""Golden output: the Markdown key-findings and attacks sections for fixed input, in both languages.

Regenerate after an intended wording change with ``RASID_UPDATE_GOLDEN=1 pytest tests/report/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rasid.report import BriefData, render_brief

GOLDEN = Path(__file__).parent / "golden"
SECTIONS = {"en": ("## Key findings", "## Why these places"), "ar": ("## أبرز الاستنتاجات", "## لماذا هذه المناطق؟")}


def fixed_brief() -> BriefData:
    """A small hand-made brief (no store, no models): two districts, one attack, analyses absent."""
    top = pd.DataFrame({
        "rank": [1, 2], "unit_code": ["SY.DY.AK", "IQG13Q02"], "unit_en": ["Abu Kamal", "Hawija"],
        "unit_ar": ["البوكمال", "الحويجة"], "admin1_en": ["Deir-ez-Zor", "Kirkuk"], "admin1_ar": ["دير الزور", "كركوك"],
        "events": [354, 12], "deaths": [3213, 1], "share": [0.3417, 0.0116], "baseline_events": [166, 0],
        "baseline_deaths": [900, 0], "baseline_share": [0.0522, 0.0], "location_quotient": [6.55, np.inf],
        "rate_ratio": [2.1325, np.inf], "rr_low": [1.7712, 1.9], "rr_high": [2.5811, np.inf],
        "q_value": [1e-9, 0.0213], "label": ["rising focus", "new"], "significant": [True, True],
        "direction": ["up", "up"],
    })
    attacks = pd.DataFrame({
        "event_id": ["e1"], "source": ["ucdp_ged"], "source_id": ["271515"], "date": [dt.date(2018, 11, 23)],
        "admin1_en": ["Deir-ez-Zor"], "admin1_ar": ["دير الزور"], "admin2_en": ["Abu Kamal"], "admin2_ar": ["البوكمال"],
        "location": ["Hajin"], "opponent_id": ["SDF"], "killed": [137], "killed_low": [130], "killed_high": [140],
        "victims": [80], "wounded": [np.nan], "source_ref": ["UCDP GED 271515"],
        "source_text": ['"SOHR,2018-11-23,ISIS carries out attacks near Hajin"'],
    })
    periods = pd.date_range("2017-01-01", "2018-12-01", freq="MS")
    monthly = pd.DataFrame({"unit_code": np.repeat(["SY.DY.AK", "IQG13Q02"], len(periods)),
                            "period": np.tile(periods, 2), "events": np.arange(2 * len(periods)) % 7,
                            "deaths_best": np.arange(2 * len(periods)) % 11})
    data = BriefData(
        actor="IS", actor_label={"en": "Islamic State", "ar": "تنظيم الدولة الإسلامية (داعش)"},
        countries=["IQ", "SY"], window=(dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        baseline=(dt.date(2017, 1, 1), dt.date(2017, 12, 31)), unit="admin2", top_n=2, horizon=3,
        generated=dt.date(2026, 11, 25),
        params={"actor": "IS", "window": "2018-01-01..2018-12-31", "recent_from": "2018-10-01"},
        data_versions=[{"source": "ucdp_ged", "source_version": "19.1", "rows": 21940, "min_date": "1989-01-01",
                        "max_date": "2018-12-31", "files": [{"file": "ucdp_ged_iq_sy.csv.gz", "sha256": "acca9e62318e"}]}],
        totals={"events": 1202, "deaths": 10193, "located_events": 1036, "located_baseline_events": 3179},
        tables={"top": top, "monthly": monthly, "attacks": attacks},
        missing={"explain": "module rasid.analysis.explain is not available in this installation",
                 "forecast": "module rasid.analysis.forecast is not available in this installation"},
    )
    return data


def _section(text: str, lang: str) -> str:
    a, b = SECTIONS[lang]
    return text[text.index(a):text.index(b)]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_markdown_sections_golden(lang, tmp_path):
    (md,) = render_brief(fixed_brief(), lang, "md", tmp_path, basename="golden")
    got = _section(md.read_text(encoding="utf-8"), lang)
    path = GOLDEN / f"brief_sections.{lang}.md"
    if os.environ.get("RASID_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")
