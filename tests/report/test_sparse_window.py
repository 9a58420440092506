"""A window the bundled data do not cover, with one news event: the brief still renders and says what is missing."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd

from rasid.events import Store
from rasid.report import build_brief, render_brief
from tests.conftest import BUNDLED_GED
from tests.report.conftest import QUICK


def test_brief_on_a_sparse_later_window(tmp_path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store.ingest_file(BUNDLED_GED)
    store.add_events(pd.DataFrame([{
        "source": "news", "source_id": "doc1#1", "date_start": "2021-09-05", "country": "IQ", "lat": 35.0159,
        "lon": 43.9958, "geo_precision": "admin3", "actor1": "داعش", "event_type": "armed attack",
        "target": "police", "deaths_best": 13, "wounded": 5, "source_url": "https://example.org/a",
    }]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = build_brief(store, actor="IS", countries=["IQ", "SY"], window="2021-01..2021-12",
                           generated=dt.date(2026, 11, 25), **QUICK)
    text = render_brief(data, "en", "md", tmp_path / "out")[0].read_text(encoding="utf-8")
    assert "the data record 1 event in which" in text  # singular, not "1 events"
    assert "Daquq" in text
    # the forecast starts from the last month the data cover (2021-09), not from the window's end
    assert data.params["forecast"]["as_of"] == "2021-09"
    assert "Backtest skill not available" in text and "undefined" in text
    ar = render_brief(data, "ar", "md", tmp_path / "out")[0].read_text(encoding="utf-8")
    assert "داقوق" in ar
