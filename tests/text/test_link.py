"""Linking extracted events to stored dataset events, canonical rows, and `rasid extract`."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from rasid.cli import app
from rasid.events import COLUMNS, Store
from rasid.text import events_frame, extract_events, link_events, make_document


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


def test_same_attack_from_two_outlets_is_one_event_with_both_sources() -> None:
    from rasid.text.link import cluster_events, merge_reports

    a = extract_events(make_document("قتل ثلاثة جنود بهجوم لداعش على نقطة للجيش في قضاء الطارمية شمال بغداد اليوم الأحد.",
                                     id="a", published="2021-07-18", url="https://a.example/1"))
    b = extract_events(make_document("Three Iraqi soldiers were killed on Sunday when ISIS militants attacked an army "
                                     "post in Tarmiyah district north of Baghdad.", id="b", published="2021-07-18",
                                     url="https://b.example/2"))
    other = extract_events(make_document("قتل مدنيان بانفجار عبوة ناسفة في قضاء الخالص بمحافظة ديالى اليوم الأحد.",
                                         id="c", published="2021-07-18"))
    labels = cluster_events(a + b + other)
    assert labels[0] == labels[1] != labels[2]
    merged = merge_reports(a + b + other)
    assert len(merged) == 2
    assert {s["url"] for s in merged[0].sources} == {"https://a.example/1", "https://b.example/2"}


def test_cli_ingest_reports_added_linked_skipped(tmp_path) -> None:
    from rasid.text.link import event_id

    store = Store(tmp_path / "db.duckdb")
    stored = events_frame([_event("2021-07-17")])
    stored["source"], stored["source_id"] = "ucdp_ged", "g1"
    store.add_events(stored, source="ucdp_ged")
    ged_id = store.events()["event_id"].iloc[0]
    store.close()
    docs = [
        {"id": "n1", "url": "https://a.example/1", "published": "2021-07-18",
         "text": "قتل جندي في هجوم لداعش على نقطة للجيش في قضاء الدبس بمحافظة كركوك يوم 2021-07-17."},
        {"id": "n2", "url": "https://b.example/2", "published": "2021-09-06",
         "text": "قتل جنديان عراقيان في انفجار عبوة ناسفة بقضاء حديثة في محافظة الأنبار يوم 2021-09-05."},
        {"id": "n3", "url": "https://c.example/3", "published": "2021-09-06",
         "text": "Two Iraqi soldiers were killed on 2021-09-05 when a roadside bomb hit their vehicle in Haditha district of Anbar."},
    ]
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    runner = CliRunner()
    args = ["extract", str(src), "--ingest", "--db", str(tmp_path / "db.duckdb"), "--no-motives", "--format", "jsonl"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "3 events from 3 documents: 1 added, 1 linked to stored events, 1 skipped (1 reported by another " \
           "document too, 0 already in the store)" in res.stderr
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    linked = [r for r in recs if r["linked_event_id"]]
    assert [(r["linked_event_id"], bool(r["event_id"])) for r in linked] == [(ged_id, True)]
    haditha = next(r for r in recs if r["admin2_en"] == "Haditha")
    assert {s["doc_id"] for s in haditha["sources"]} == {"n2", "n3"}
    res = runner.invoke(app, args)  # the same files again: nothing new
    assert "0 added, 1 linked to stored events, 2 skipped (1 reported by another document too, 1 already in the store)" in res.stderr
    store = Store(tmp_path / "db.duckdb")
    news = store.events()
    assert (news["source"] == "news").sum() == 1
    assert news.loc[news["source"] == "news", "event_id"].iloc[0] == event_id(next(
        e for e in extract_events(make_document(docs[1]["text"], id="n2", published="2021-09-06"))))
    store.close()


def test_reports_with_no_date_link_on_content_evidence_only() -> None:
    """No day and no publication date: time cannot say, so the same toll, wounded, district and kind
    of act link an Arabic and an English report; the same toll in the same district by another kind
    of act on other victims does not."""
    from rasid.text.link import CONTENT_POINTS, cluster_events, same_event

    a = extract_events(make_document("قتل سبعة جنود وأصيب خمسة آخرون بهجوم لداعش على نقطة للجيش في قضاء الطارمية "
                                     "شمال بغداد.", id="a"))
    b = extract_events(make_document("Seven Iraqi soldiers were killed and five wounded when ISIS militants attacked "
                                     "an army post in Tarmiyah district north of Baghdad.", id="b"))
    d = extract_events(make_document("قتل سبعة مدنيين بانفجار عبوة ناسفة في قضاء الطارمية شمال بغداد.", id="d"))
    assert [e.date or e.published for e in a + b + d] == [None, None, None]
    for encode in (True, False):
        labels = cluster_events(a + b + d, encode=encode)
        assert labels[0] == labels[1] != labels[2]
    # a weaker signature (toll and kind of act only) needs reports that read alike
    weak = extract_events(make_document("قتل سبعة جنود بهجوم لداعش في قضاء الطارمية.", id="w"))[0]
    other = extract_events(make_document("Seven soldiers were killed in an ISIS attack in Tarmiyah.", id="o"))[0]
    assert same_event(weak, other, None) == 0.0
    assert same_event(weak, other, 0.2) == 0.0
    assert same_event(weak, other, 0.9) >= 0.5
    assert CONTENT_POINTS > 3  # a toll and a kind of act alone never link undated reports
