"""Fixtures of the web tests: stores written once and closed (the app opens them read-only), a live server."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from rasid.events import Store
from tests.conftest import BUNDLED_GED, DATA

SAMPLE_GED = DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz"

#: events whose text is hostile: the page must show it as text, never run or render it
HOSTILE = [
    {"source": "news", "source_id": "xss-1", "date_start": "2018-03-04", "date_precision": "day", "country": "IQ",
     "admin1_code": "IQG13", "admin1_en": "Kirkuk", "admin1_ar": "كركوك", "admin2_code": "IQG13Q04",
     "admin2_en": "Kirkuk", "admin2_ar": "كركوك", "location": "<b>bold</b> village", "lat": 35.47, "lon": 44.39,
     "geo_precision": "exact", "actor1": "Islamic State", "actor1_id": "IS",
     "actor2": "<img src=x onerror=\"document.title='pwned-actor'\">", "actor2_id": "Civilians", "event_type": "one-sided", "deaths_best": 2,
     "source_url": "javascript:document.title='pwned-link'",
     "source_text": "<script>document.title='pwned-script'</script> هجوم على قرية <img src=x onerror=\"document.title='pwned-img'\">"},
    {"source": "news", "source_id": "xss-2", "date_start": "2018-03-09", "date_precision": "day", "country": "IQ",
     "admin1_code": "IQG13", "admin1_en": "Kirkuk", "admin1_ar": "كركوك", "admin2_code": "IQG13Q04",
     "admin2_en": "Kirkuk", "admin2_ar": "كركوك", "location": "Kirkuk", "lat": 35.46, "lon": 44.38,
     "geo_precision": "exact", "actor1": "IS", "actor1_id": "IS", "actor2": "Iraqi police", "actor2_id": "ISF",
     "event_type": "one-sided", "deaths_best": 1, "source_url": "https://example.org/a?x=\"><script>alert(1)</script>",
     "source_text": "\"><svg onload=\"document.title='pwned-svg'\"> <a href=\"javascript:alert(1)\">click</a>"},
]


def _build(path: Path, files: list[Path]) -> Path:
    store = Store(path)
    try:
        for f in files:
            store.ingest_file(f)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    """A closed store file holding the bundled UCDP GED Iraq+Syria events."""
    return _build(tmp_path_factory.mktemp("web") / "bundled.duckdb", [BUNDLED_GED])


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    """A closed store with the 271-event UCDP sample and two hostile news events in Kirkuk."""
    d = tmp_path_factory.mktemp("websmall")
    hostile = d / "hostile.jsonl"
    hostile.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in HOSTILE), encoding="utf-8")
    return _build(d / "small.duckdb", [SAMPLE_GED, hostile])


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread (stopped by :meth:`stop`)."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=120)


CHROMIUM = os.environ.get("RASID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]


def need_chromium() -> None:
    """Skip (with the reason) only where no Chromium binary is installed; CI installs Debian's through .ci/run."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
                    "or set RASID_CHROMIUM; the browser tests need a real browser")


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory) -> Path:
    """Where the browser tests save their screenshots ($RASID_SHOTS, else a pytest temp folder)."""
    env = os.environ.get("RASID_SHOTS")
    p = Path(env) if env else tmp_path_factory.mktemp("shots")
    p.mkdir(parents=True, exist_ok=True)
    return p
