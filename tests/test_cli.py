"""The `rasid` event commands end to end (Typer runner, real files)."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rasid.cli import app
from rasid.events.schema import EXPORT_COLUMNS
from tests._lock import lock_held
from tests.conftest import BUNDLED_GED, DATA

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    res = runner.invoke(app, ["ingest", str(BUNDLED_GED), str(DATA / "acled" / "acled_iq_sy_fixture.csv"),
                              "--db", str(path)])
    assert res.exit_code == 0, res.output
    return path


def test_ingest_reports_counts(db: Path) -> None:
    res = runner.invoke(app, ["ingest", str(BUNDLED_GED), "--db", str(db)])
    assert res.exit_code == 0 and "already ingested" in res.output


def test_info_json(db: Path) -> None:
    res = runner.invoke(app, ["info", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0
    info = {r["source"]: r for r in json.loads(res.stdout)}
    assert info["ucdp_ged"]["rows"] == 22202
    assert info["ucdp_ged"]["min_date"] == "1989-01-01" and info["ucdp_ged"]["max_date"] == "2018-12-31"
    assert info["ucdp_ged"]["countries"] == ["IQ", "SY"]
    assert info["acled"]["rows"] == 7


def test_events_csv_filter(db: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--actor", "IS", "--country", "IQ,SY", "--admin1", "Kirkuk",
                              "--since", "2018-01", "--until", "2018-12", "--format", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert list(df.columns[: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    assert len(df) == 43
    assert (df.admin1_code == "IQG13").all()
    assert df.date_start.between("2018-01-01", "2018-12-31").all()
    assert ((df.actor1_id == "IS") | (df.actor2_id == "IS")).all()


@pytest.mark.parametrize("name", ["داعش", "ISIS", "Daesh", "IS"])
def test_actor_spellings_select_the_same_events(db: Path, name: str) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--actor", name, "--admin1", "كركوك", "--since", "2018-01",
                              "--format", "jsonl"])
    assert res.exit_code == 0
    assert len(res.stdout.strip().splitlines()) == 44  # 43 UCDP (2018) + 1 ACLED fixture row (2021)


def test_events_geojson_and_parquet(db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--source", "acled", "--format", "geojson"])
    fc = json.loads(res.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    out = tmp_path / "e.parquet"
    res = runner.invoke(app, ["events", "--db", str(db), "--source", "acled", "--format", "parquet", "--out", str(out)])
    assert res.exit_code == 0 and len(pd.read_parquet(out)) == 7


def test_unknown_admin_is_a_clear_error(db: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(db), "--admin1", "Atlantis"])
    assert res.exit_code == 2 and "unknown admin1 'Atlantis'" in res.output


def test_actors_unmapped_lists_unknown_names(db: Path) -> None:
    res = runner.invoke(app, ["actors", "--db", str(db), "--unmapped", "--format", "json"])
    names = {r["name"] for r in json.loads(res.stdout)}
    assert "Hawar Kilis Operations Room" in names  # not in the actor table yet
    assert "IS" not in names and "Government of Iraq" not in names


def test_bad_file_exit_code_and_message(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("a,b\n1,2\n")
    res = runner.invoke(app, ["ingest", str(f), "--db", str(db)])
    assert res.exit_code == 2 and "matches no known format" in res.output


# -- one error path for files and folders (issue #12) ----------------------------------------------
def _one_line_error(res, code: int, *words: str) -> str:
    assert res.exit_code == code, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    assert "Traceback" not in res.output
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def odd_paths(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    return {"folder": folder, "loop": loop, "fifo": fifo}


@pytest.mark.parametrize(
    ("key", "words"),
    [("folder", "is a directory"), ("loop", "symbolic link loop"), ("fifo", "FIFO"), ("zero", "is a device"),
     ("missing", "no such file")],
)
def test_ingest_says_what_the_path_is(db: Path, odd_paths: dict[str, Path], tmp_path: Path, key: str,
                                      words: str) -> None:
    path = {**odd_paths, "zero": Path("/dev/zero"), "missing": tmp_path / "missing.csv"}[key]
    msg = _one_line_error(runner.invoke(app, ["ingest", str(path), "--db", str(db)]), 2, str(path), words)
    if key != "missing":
        assert "no such file" not in msg


def test_utf8_file_with_bad_bytes_names_the_line_and_offset(db: Path, tmp_path: Path) -> None:
    df = pd.read_csv(DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz", dtype=str, keep_default_na=False).head(20)
    df["source_article"] = "وكالة الأنباء العراقية " + df["source_article"]
    f = tmp_path / "broken-utf8.csv"
    df.to_csv(f, index=False)
    data = bytearray(f.read_bytes())
    pos = data.index("وكالة".encode(), 2000) + 2
    data[pos:pos + 3] = b"\xff\xfe\xfd"
    f.write_bytes(bytes(data))
    line = data[:pos].count(b"\n") + 1
    msg = _one_line_error(runner.invoke(app, ["ingest", str(f), "--db", str(db)]), 2,
                          f"line {line}: invalid UTF-8 bytes at byte offset {pos:,}")
    assert "cp1252" not in msg


def test_a_huge_header_is_refused_before_reading(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    sig = "id,side_a,side_b,date_start,date_end,where_prec,best,country,latitude,longitude,"
    f.write_text(sig + ",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 1_000_009 + "1\n")
    _one_line_error(runner.invoke(app, ["ingest", str(f), "--db", str(db)]), 2, "first line is longer than")
    g = tmp_path / "many.csv"
    g.write_text(sig + ",".join(f"c{i}" for i in range(3000)) + "\n")
    _one_line_error(runner.invoke(app, ["ingest", str(g), "--db", str(db)]), 2, "3,010 columns")


@pytest.mark.parametrize(
    ("out", "code", "words"),
    [
        ("", 2, "is a directory"),
        (".", 2, "is a directory"),
        ("nofolder/x.csv", 2, "folder does not exist"),
        ("afile.txt/x.csv", 2, "not a folder"),
        ("/dev/full", 1, "no space left on device"),
        ("/proc/rasid-x.csv", 2, "/proc/rasid-x.csv"),
        ("x" * 300 + ".csv", 2, "file name too long"),
    ],
)
def test_events_out_errors_are_one_line(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str,
                                        code: int, words: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile.txt").write_text("x")
    before = sorted(os.listdir(tmp_path))
    res = runner.invoke(app, ["events", "--db", str(db), "--source", "acled", "--format", "csv", "--out", out])
    _one_line_error(res, code, words)
    assert sorted(os.listdir(tmp_path)) == before  # nothing half-written left


def test_events_out_failure_midway_leaves_no_file(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rasid.commands.events

    def full_disk(df, fmt, dest):
        Path(dest).write_text("event_id,source\n")
        raise OSError(errno.ENOSPC, "No space left on device", str(dest))

    monkeypatch.setattr(rasid.commands.events, "write_events", full_disk)
    out = tmp_path / "events.csv"
    _one_line_error(runner.invoke(app, ["events", "--db", str(db), "--format", "csv", "--out", str(out)]), 1,
                    f"{out}: cannot write: no space left on device")
    assert os.listdir(tmp_path) == []


def test_events_out_replaces_an_existing_file_whole(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    out.write_text("old\n")
    res = runner.invoke(app, ["events", "--db", str(db), "--source", "acled", "--format", "jsonl", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(out.read_text().splitlines()) == 7 and os.listdir(tmp_path) == ["e.jsonl"]


def test_events_out_needs_a_file_format(db: Path, tmp_path: Path) -> None:
    _one_line_error(runner.invoke(app, ["events", "--db", str(db), "--out", str(tmp_path / "x")]), 2, "--format")


class _FakeStore:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def _fake_brief(monkeypatch: pytest.MonkeyPatch, render) -> None:
    monkeypatch.setattr("rasid.commands.report.build_brief", lambda *a, **k: object())
    monkeypatch.setattr("rasid.commands.report.render_brief", render)
    monkeypatch.setattr("rasid.commands.report.open_store", lambda db, **k: _FakeStore())
    monkeypatch.setattr("rasid.commands.report.check_query", lambda *a, **k: [])


@pytest.mark.parametrize(
    ("out", "code", "words"),
    [("afile.txt", 2, "is not a folder"), ("/dev/full", 2, "is not a folder"), ("x" * 300, 2, "file name too long"),
     ("/proc/rasid-brief", 2, "/proc/rasid-brief")],
)
def test_brief_out_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str, code: int,
                                       words: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile.txt").write_text("x")
    _fake_brief(monkeypatch, lambda data, lang, fmt, out_dir, **k: [])
    _one_line_error(runner.invoke(app, ["brief", "--out", out, "--lang", "en"]), code, words)
    assert sorted(os.listdir(tmp_path)) == ["afile.txt"]


def test_brief_failing_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def render(data, lang, fmt, out_dir, **k):
        p = Path(out_dir) / f"brief_{lang}.html"
        p.write_text("<html>")
        if lang == "en":  # the second language hits a full disk
            raise OSError(errno.ENOSPC, "No space left on device", str(Path(out_dir) / "brief_en.pdf"))
        return [p]

    _fake_brief(monkeypatch, render)
    out = tmp_path / "briefs" / "2018"
    _one_line_error(runner.invoke(app, ["brief", "--out", str(out)]), 1, str(out), "no space left on device")
    assert not (tmp_path / "briefs").exists()  # the folders it created are gone too
    keep = tmp_path / "existing"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    runner.invoke(app, ["brief", "--out", str(keep)])
    assert os.listdir(keep) == ["notes.txt"]


def test_brief_writes_into_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def render(data, lang, fmt, out_dir, **k):
        p = Path(out_dir) / f"brief_{lang}.html"
        p.write_text("<html>")
        return [p]

    _fake_brief(monkeypatch, render)
    res = runner.invoke(app, ["brief", "--out", str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    assert sorted(os.listdir(tmp_path / "b")) == ["brief_ar.html", "brief_en.html"]
    assert str(tmp_path / "b" / "brief_ar.html") in res.output


def test_store_locked_is_a_failure_not_a_traceback(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with lock_held(db, tmp_path):
        monkeypatch.setenv("RASID_LOCK_WAIT", "0.2")
        _one_line_error(runner.invoke(app, ["info", "--db", str(db)]), 1, "locked by another process")


def test_a_bug_is_one_line_and_exit_1(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasid.events import Store

    def broken(self, *a, **k):
        raise KeyError("deaths")

    monkeypatch.setattr(Store, "info", broken)
    _one_line_error(runner.invoke(app, ["info", "--db", str(db)]), 1, "internal error (KeyError", "RASID_DEBUG")


def test_markup_and_control_characters_in_data_are_shown_literally(db: Path, tmp_path: Path) -> None:
    df = pd.read_csv(DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz", dtype=str, keep_default_na=False).head(10)
    df.loc[3, "best"] = "[/red][bold]\x1b[31m"
    f = tmp_path / "markup.csv"
    df.to_csv(f, index=False)
    msg = _one_line_error(runner.invoke(app, ["ingest", str(f), "--db", str(db)]), 2)
    assert "[/red][bold]\\x1b[31m" in msg and "\x1b" not in msg


def test_injected_source_version_is_stored_literally_and_info_works(tmp_path: Path) -> None:
    store = tmp_path / "inj.duckdb"
    payload = ("1') AS source_version, NULL AS date_start, NULL AS date_end FROM _raw); DROP TABLE events; "
               "SELECT * FROM (SELECT ('")
    f = DATA / "ucdp" / "ucdp_ged231_sample_iq_sy.csv.gz"
    res = runner.invoke(app, ["ingest", str(f), "--db", str(store), "--source-version", payload])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["info", "--db", str(store), "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["versions"] == [payload]


def test_undo_and_ingest_log(tmp_path: Path) -> None:
    store = tmp_path / "u.duckdb"
    acled = DATA / "acled" / "acled_iq_sy_fixture.csv"
    res = runner.invoke(app, ["ingest", str(acled), "--db", str(store)])
    batch = res.output.split("(batch ")[1].split(")")[0]
    log = json.loads(runner.invoke(app, ["info", "--db", str(store), "--ingests", "--format", "json"]).stdout)
    assert [r["batch_id"] for r in log] == [batch] and log[0]["status"] == "ok"
    res = runner.invoke(app, ["ingest", "--undo", batch, "--db", str(store)])
    assert res.exit_code == 0 and "7 events removed" in res.output
    assert json.loads(runner.invoke(app, ["info", "--db", str(store), "--format", "json"]).stdout) == []
    _one_line_error(runner.invoke(app, ["ingest", "--undo", batch, "--db", str(store)]), 2, "already undone")
    _one_line_error(runner.invoke(app, ["ingest", "--undo", "nope", "--db", str(store)]), 2, "no ingest with batch id")
    _one_line_error(runner.invoke(app, ["ingest", "--db", str(store)]), 2, "no files given")


def test_rasid_toml_in_the_working_folder_names_the_store(db: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from rasid.events.store import write_config

    monkeypatch.delenv("RASID_DB")
    write_config(tmp_path, db)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    res = runner.invoke(app, ["info", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert {r["source"] for r in json.loads(res.stdout)} == {"ucdp_ged", "acled"}


def test_ingest_summary_is_one_line_whatever_the_path(tmp_path: Path) -> None:
    # the summary ends with the batch id users copy into `rasid ingest --undo`: the console must not
    # wrap it onto a new line when the file's path is long (a test failed in a checkout whose path
    # length put the wrap right before the id)
    deep = tmp_path / ("d" * 60) / ("e" * 40)
    deep.mkdir(parents=True)
    f = deep / "acled_iq_sy_fixture.csv"
    f.write_bytes((DATA / "acled" / "acled_iq_sy_fixture.csv").read_bytes())
    res = runner.invoke(app, ["ingest", str(f), "--db", str(tmp_path / "w.duckdb")])
    assert res.exit_code == 0, res.output
    [line] = [ln for ln in res.output.splitlines() if "(batch " in ln]
    assert line.startswith(str(f)) and line.rstrip().endswith(")")
    batch = line.rsplit("(batch ", 1)[1].rstrip(")")
    res = runner.invoke(app, ["ingest", str(f), "--db", str(tmp_path / "w.duckdb")])
    [line] = [ln for ln in res.output.splitlines() if "already ingested" in ln]
    assert line.startswith(str(f)) and line.rstrip().endswith("nothing added")
    res = runner.invoke(app, ["ingest", "--undo", batch, "--db", str(tmp_path / "w.duckdb")])
    [line] = [ln for ln in res.output.splitlines() if "undone" in ln]
    assert line.startswith(f"batch {batch} ({f})") and "7 events removed" in line
