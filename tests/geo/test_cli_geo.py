"""`rasid geocode`: table, JSON and JSONL output; --file keeps input order; bad input is not a crash."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from rasid.commands.geo import register

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _main() -> None:  # keep "geocode" as a sub-command
        pass

    return app


def test_json_output_keys() -> None:
    res = runner.invoke(_app(), ["geocode", "ناحية الرياض جنوب غرب كركوك", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert isinstance(data, list) and data
    for key in ("name", "feature_type", "lat", "lon", "country", "admin1_code", "admin1_en", "admin1_ar",
                "admin2_code", "admin2_en", "admin2_ar", "precision", "score"):
        assert key in data[0]
    assert data[0]["admin2_code"] == "IQG13Q01"
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True) or data[0]["reason"]


def test_table_output() -> None:
    res = runner.invoke(_app(), ["geocode", "Deir ez-Zor"])
    assert res.exit_code == 0, res.output
    assert "Deir" in res.stdout


def test_file_jsonl_in_order(tmp_path) -> None:
    f = tmp_path / "mentions.txt"
    f.write_text("كركوك\n\nHit\nxyzqwerty\nقضاء الحويجة\n", encoding="utf-8")
    res = runner.invoke(_app(), ["geocode", "--file", str(f), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["mention"] for x in lines] == ["كركوك", "", "Hit", "xyzqwerty", "قضاء الحويجة"]
    assert lines[0]["candidates"][0]["admin1_code"] == "IQG13"
    assert lines[1]["candidates"] == [] and lines[1]["reason"]
    assert lines[3]["candidates"] == []
    assert lines[4]["candidates"][0]["admin2_code"] == "IQG13Q01"


def test_no_match_exit_code() -> None:
    res = runner.invoke(_app(), ["geocode", "😀"])
    assert res.exit_code == 1


def test_missing_file_is_an_error_not_a_crash(tmp_path) -> None:
    res = runner.invoke(_app(), ["geocode", "--file", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
