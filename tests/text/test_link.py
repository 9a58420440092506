"""Linking extracted events to stored dataset events, canonical rows, and `rasid extract`."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from rasid.cli import app
from rasid.events import COLUMNS, Store
from rasid.text import events_frame, extract_events, link_events


def _event(date: str):
    text = f"قتل جندي في هجوم لداعش على نقطة للجيش في قضاء الدبس بمحافظة كركوك يوم {date}."
    return extract_events(text)[0]


def test_frame_is_canonical() -> None:
    ev = _event("2021-07-17")
    df = events_frame([ev])
    assert list(df.columns) == COLUMNS
    row = df.iloc[0]
    assert row["source"] == "news" and row["actor1_id"] == "IS" and row["deaths_best"] == 1
    assert row["date_start"] == dt.date(2021, 7, 17)


def test_link_same_actor_district_within_two_days(tmp_path) -> None:
    store = Store(tmp_path / "s.duckdb")
    base = _event("2021-07-17")
    df = events_frame([base])
    df["source"] = "ucdp_ged"
    df["source_id"] = "g1"
    store.add_events(df, source="ucdp_ged")
    stored = store.events()
    assert len(stored) == 1
    near, far = _event("2021-07-19"), _event("2021-07-25")
    link_events([near, far], store)
    assert near.linked_event_id == stored["event_id"].iloc[0]
    assert far.linked_event_id is None
    store.close()


def test_cli_jsonl_and_ingest(tmp_path) -> None:
    src = tmp_path / "news.jsonl"
    src.write_text(json.dumps({"id": "n1", "text": "قتل جنديان عراقيان أمس في انفجار عبوة ناسفة بقضاء حديثة في محافظة "
                                                  "الأنبار، ويستغل داعش الفراغ الأمني بهدف شن هجماته."},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["extract", str(src), "--published", "2021-09-06", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    ev = [r for r in recs if r["kind"] == "event"][0]
    assert ev["date"] == "2021-09-05" and ev["admin2_en"] == "Haditha" and ev["killed"] == 2
    assert any(r["kind"] == "motive" for r in recs)
    db = tmp_path / "db.duckdb"
    res = runner.invoke(app, ["extract", str(src), "--published", "2021-09-06", "--ingest", "--db", str(db)])
    assert res.exit_code == 0, res.output
    store = Store(db)
    assert (store.events()["source"] == "news").sum() == 1
    store.close()


def test_cli_bad_inputs(tmp_path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2 and "no such file" in res.output
    (tmp_path / "x.txt").write_text("نص", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(tmp_path / "x.txt"), "--published", "06/09/2021"])
    assert res.exit_code != 0
