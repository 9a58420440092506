"""Shared fixtures: the bundled UCDP data ingested once per test session."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from rasid.events import EventFilter, Store

BUNDLED_GED = Path(str(resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz"))
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Store:
    """A store holding the bundled UCDP GED Iraq+Syria data (read it, don't write it)."""
    path = tmp_path_factory.mktemp("store") / "bundled.duckdb"
    store = Store(path)
    store.ingest_file(BUNDLED_GED)
    yield store
    store.close()


@pytest.fixture(scope="session")
def bundled_events(bundled_store) -> pd.DataFrame:
    """All bundled events as a DataFrame."""
    return bundled_store.events()


@pytest.fixture(scope="session")
def is_events(bundled_store) -> pd.DataFrame:
    """Bundled events involving Islamic State in Iraq and Syria."""
    return bundled_store.events(EventFilter(actors=["IS"], countries=["IQ", "SY"]))


@pytest.fixture(scope="session")
def _run_cache(tmp_path_factory) -> Path:
    """One cache dir per test run, shared by the xdist workers (the gazetteer builds once per run)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    p = root / "rasid-cache"
    p.mkdir(exist_ok=True)
    return p


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch, _run_cache):
    """No test touches the user's real store or cache, nor a cache left by an earlier run."""
    monkeypatch.setenv("RASID_DB", str(tmp_path / "default.duckdb"))
    monkeypatch.setenv("RASID_CACHE", str(_run_cache))
