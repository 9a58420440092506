"""Fixtures of the brief tests: one quick brief of the bundled data (IS, IQ+SY, 2018), rendered once."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

from rasid.report import build_brief, render_brief

# quick but real settings: fewer bootstrap draws and samples than the CLI's defaults
QUICK = {
    "explain_options": {"n_boot": 10},
    "forecast_options": {"n_samples": 300},
    "backtest_options": {"n_boot": 200},
}
PARAMS = {"actor": "IS", "countries": ["IQ", "SY"], "window": "2018-01..2018-12", "unit": "admin2", "top_n": 5,
          "horizon": 3}


@pytest.fixture(scope="session")
def brief_data(bundled_store):
    """The brief's data for IS in Iraq and Syria, 2018, from the bundled store."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_brief(bundled_store, generated=dt.date(2026, 11, 25), **PARAMS, **QUICK)


@pytest.fixture(scope="session")
def rendered(brief_data, tmp_path_factory):
    """{(lang, ext): path} for html, md and pdf in both languages."""
    out = tmp_path_factory.mktemp("brief")
    paths = {}
    for lang in ("en", "ar"):
        for p in render_brief(brief_data, lang, "html,md,pdf", out):
            paths[(lang, p.suffix.lstrip("."))] = p
    return paths
