"""Property-based tests of the readers: random GED, ACLED and GTD files with hostile values.

Each generated file is either loaded whole (and reads back as written) or refused with exactly the
lines of the bad rows named, leaving the store as it was; with ``--skip-bad-rows`` the good rows
load and the rejects file lists exactly the bad lines. Rows are built from the column types of each
source: numbers (valid, negative, NaN, inf, huge, fractional, text), dates (in and out of range,
impossible, garbage), coordinates and free text full of quotes, delimiters, newlines, RTL marks,
script tags and SQL fragments. Examples are few and derandomised, so the suite stays fast and
deterministic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rasid.errors import BadRowsError
from rasid.events import Store
from tests.conftest import DATA

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE = ['"', '""', "'", ",", ";", "\t", "|", "\n", "\r\n", "\u200f", "\u202e", "\u2067", "<script>alert(1)</script>",
           "'); DROP TABLE events; --", "x' || (SELECT count(*) FROM events)::VARCHAR || '", "داعش", "كركوك",
           "NULL", "nan", "#", "\\", "${x}", "{{ x }}", "%s", "?", "$1", "=cmd|' /C calc'!A0", "😀"]
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=_CHARS, max_size=12)), max_size=5).map("".join)
# real points inside Iraq and Syria (no swap detection on these)
POINTS = [(36.335, 43.118889), (35.4681, 44.3922), (33.3152, 44.3661), (35.95, 39.0), (36.2, 37.16), (33.51, 36.29),
          (34.4667, 43.8167), (30.5, 47.8167)]
MIN_DATE, MAX_DATE = dt.date(1989, 1, 1), dt.date(2023, 12, 31)
# text is stored trimmed of Unicode space separators (DuckDB's TRIM), empty -> NULL
_SPACES = "".join(chr(c) for c in range(0x3001) if unicodedata.category(chr(c)) == "Zs")


@dataclass
class Cell:
    """A generated value and whether the row must be refused because of it."""

    text: str
    bad: bool = False
    value: object = None  # what the store must hold for a good value (None for NULL)


@dataclass
class Kind:
    """Good and bad values of one column type (``width`` cells: dates and points come in pairs)."""

    good: st.SearchStrategy
    bad: st.SearchStrategy


def _as_bad(texts: list[str]) -> st.SearchStrategy[Cell]:
    return st.sampled_from(texts).map(lambda t: Cell(t, bad=True))


def count(allow_sentinels: bool = False) -> Kind:
    good = st.one_of(
        st.integers(0, 10_000_000).map(lambda n: Cell(str(n), value=n)),
        st.integers(0, 5000).map(lambda n: Cell(f"{n}.0", value=n)),
        st.integers(0, 500).map(lambda n: Cell(f" {n} ", value=n)),
        st.just(Cell("", value=None)),
    )
    if allow_sentinels:
        good = st.one_of(good, st.sampled_from(["-9", "-99"]).map(lambda t: Cell(t, value=None)))
    return Kind(good, _as_bad(["-1", "-3", "nan", "NaN", "inf", "-inf", "1e30", "2.5", "abc", "1,5", "10000001",
                               "0x10"]))


def code(lo: int, hi: int) -> Kind:
    good = st.one_of(st.integers(lo, hi).map(lambda n: Cell(str(n), value=n)), st.just(Cell("", value=None)))
    return Kind(good, _as_bad(["nan", "1.5", "1e300", "x", "inf"]))


def dates(acled: bool = False) -> Kind:
    def good(d: dt.date, span: int, timed: bool) -> tuple[Cell, Cell]:
        fmt = (lambda x: x.strftime("%d %B %Y")) if acled and timed else (
            lambda x: x.isoformat() + (" 00:00:00.000" if timed else ""))
        end = d + dt.timedelta(days=span)
        return Cell(fmt(d), value=d), Cell(fmt(end), value=end)

    broken = st.sampled_from(["0000-01-01", "0001-01-01", "2099-01-01", "9999-12-31", "2018-13-45", "2018-02-30",
                              "garbage", ""]).map(lambda t: (Cell(t, bad=True), Cell(t, bad=True)))
    end_first = st.dates(MIN_DATE, MAX_DATE).map(
        lambda d: (Cell(d.isoformat(), value=d), Cell((d - dt.timedelta(days=3)).isoformat(), bad=True)))
    return Kind(st.builds(good, st.dates(MIN_DATE, MAX_DATE), st.integers(0, 30), st.booleans()),
                st.one_of(broken, end_first))


def point() -> Kind:
    ok = st.sampled_from(POINTS).map(lambda p: (Cell(str(p[0]), value=p[0]), Cell(str(p[1]), value=p[1])))
    missing = st.just((Cell("", value=None), Cell("", value=None)))
    bad = st.sampled_from([("nan", "44.0"), ("inf", "44.0"), ("95.5", "44.0"), ("north", "44.0"), ("36.0", "181"),
                           ("36.0", "-inf"), ("1e400", "44.0")]).map(lambda p: (Cell(p[0], bad=True), Cell(p[1])))
    return Kind(st.one_of(ok, ok, missing), bad)


def text() -> Kind:
    return Kind(TEXT.map(lambda t: Cell(t, value=t.strip(_SPACES) or None)), st.nothing())


def fixed(*choices: str) -> Kind:
    return Kind(st.sampled_from([Cell(c) for c in choices]), st.nothing())


def gtd_date() -> Kind:
    def good(y: int, m: int, d: int) -> tuple[Cell, Cell, Cell]:
        return Cell(str(y)), Cell(str(m)), Cell(str(d))

    def impossible(y: int, m: int) -> tuple[Cell, Cell, Cell]:
        return Cell(str(y)), Cell(str(m)), Cell("31", bad=True)

    ok = st.builds(good, st.integers(1970, 2020), st.integers(0, 12), st.integers(0, 28))
    bad = st.one_of(st.builds(impossible, st.integers(1970, 2020), st.sampled_from([2, 4, 6, 9, 11])),
                    st.sampled_from(["0", "", "nan", "20017"]).map(lambda y: (Cell(y, bad=True), Cell("1"), Cell("1"))))
    return Kind(ok, bad)


# column name(s) -> kind; a tuple of names takes the cells of one multi-cell kind
GED = {("date_start", "date_end"): dates(), ("latitude", "longitude"): point(), "side_a": text(), "side_b": text(),
       "source_article": text(), "adm_1": text(), "country": fixed("Iraq", "Syria", "Iraq (Mesopotamia)"),
       "best": count(), "low": count(), "high": count(), "deaths_a": count(), "deaths_b": count(),
       "deaths_civilians": count(), "deaths_unknown": count(), "where_prec": code(1, 7), "date_prec": code(1, 5),
       "type_of_violence": code(1, 3)}
ACLED = {"event_date": Kind(dates(acled=True).good.map(lambda p: p[0]), dates().bad.map(lambda p: p[0])),
         ("latitude", "longitude"): point(), "actor1": text(), "actor2": text(), "country": fixed("Iraq", "Syria"),
         "fatalities": count(), "time_precision": code(1, 3), "geo_precision": code(1, 3), "location": text(),
         "admin1": text(), "sub_event_type": text(), "timestamp": fixed("1700000000")}
GTD = {("iyear", "imonth", "iday"): gtd_date(), ("latitude", "longitude"): point(), "gname": text(),
       "target1": text(), "summary": text(), "provstate": text(), "country_txt": fixed("Iraq"),
       "nkill": count(True), "nwound": count(True), "nkillter": count(True), "claimed": fixed("1", "0", "-9", ""),
       "specificity": code(1, 5)}


def _cells(names, value) -> dict[str, Cell]:
    return dict(zip(names, value, strict=True)) if isinstance(names, tuple) else {names: value}


@st.composite
def files(draw, kinds: dict) -> list[dict[str, Cell]]:
    """1 to 12 good rows, then 0 to 2 cells replaced by bad values (a third of the files stay clean)."""
    n = draw(st.integers(1, 12))
    rows = [{k: v for names, kind in kinds.items() for k, v in _cells(names, draw(kind.good)).items()}
            for _ in range(n)]
    breakable = [names for names, kind in kinds.items() if not kind.bad.is_empty]
    for _ in range(draw(st.sampled_from([0, 1, 1, 2]))):
        i, names = draw(st.integers(0, n - 1)), draw(st.sampled_from(breakable))
        rows[i].update(_cells(names, draw(kinds[names].bad)))
    return rows


@dataclass
class Source:
    """What a generated file looks like for one reader."""

    name: str
    id_col: str
    text_cols: dict[str, str]  # source column -> canonical column it lands in unchanged
    rows: st.SearchStrategy
    extra: dict[str, str] = field(default_factory=dict)


SOURCES = {
    "ucdp_ged": Source("ucdp_ged", "id", {"side_a": "actor1", "side_b": "actor2", "source_article": "source_text",
                                          "adm_1": "source_admin1"}, files(GED)),
    "acled": Source("acled", "event_id_cnty", {"actor1": "actor1", "actor2": "actor2", "location": "location",
                                               "admin1": "source_admin1", "sub_event_type": "sub_event_type"},
                    files(ACLED)),
    "gtd": Source("gtd", "eventid", {"gname": "actor1", "target1": "actor2", "summary": "source_text",
                                     "provstate": "source_admin1"}, files(GTD)),
}
_NUMBER_OUT = {"best": "deaths_best", "low": "deaths_low", "high": "deaths_high", "deaths_a": "deaths_side_a",
               "fatalities": "deaths_best", "nkill": "deaths_best", "nwound": "wounded"}
_BREAK = re.compile(r"\r\n|\r|\n")


def _write(rows: list[dict[str, Cell]], src: Source, delim: str, bom: bool) -> tuple[bytes, list[int]]:
    """The file's bytes and the line on which each record starts."""
    cols = [src.id_col, *rows[0].keys()]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\n")
    w.writerow(cols)
    starts = []
    for i, row in enumerate(rows):
        starts.append(len(_BREAK.findall(buf.getvalue())) + 1)
        w.writerow([_id(src, i), *(c.text for c in row.values())])
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"), starts


def _id(src: Source, i: int) -> str:
    return {"ucdp_ged": f"{700000 + i}", "acled": f"IRQ{9000 + i}", "gtd": f"2017{100000 + i}"}[src.name]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A store that already holds the ACLED fixture (which every refusal must leave alone)."""
    db = tmp_path_factory.mktemp("prop") / "template.duckdb"
    with Store(db) as s:
        s.ingest_file(DATA / "acled" / "acled_iq_sy_fixture.csv")
    return db


def _check(template: Path, src: Source, rows: list[dict[str, Cell]], delim: str, bom: bool) -> None:
    data, starts = _write(rows, src, delim, bom)
    bad_lines = {starts[i] for i, row in enumerate(rows) if any(c.bad for c in row.values())}
    event("refused" if bad_lines else "loaded whole")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        shutil.copy(template, db)
        f = Path(tmp) / "events.csv"
        f.write_bytes(data)
        with Store(db) as store:
            before = store.events()
            if bad_lines:
                with pytest.raises(BadRowsError) as info:
                    store.ingest_file(f)
                assert {ln for ln, _ in info.value.problems} == bad_lines, info.value.problems
                assert "\n" not in str(info.value) and str(f) in str(info.value)
                pd.testing.assert_frame_equal(store.events(), before)
                rep = store.ingest_file(f, skip_bad_rows=True)
                rejects = pd.read_csv(rep.rejects_file)
                assert set(rejects.line) == bad_lines
            else:
                rep = store.ingest_file(f)
            assert rep.rows_out == len(rows) - len(bad_lines)
            ev = store.events(columns=None)
            got = ev[ev.batch_id == rep.batch_id].set_index("source_id")
            assert len(got) == rep.rows_out
            for i, row in enumerate(rows):
                if starts[i] in bad_lines:
                    continue
                stored = got.loc[_id(src, i)]
                for col, out in src.text_cols.items():
                    assert (None if pd.isna(stored[out]) else stored[out]) == row[col].value, (col, row[col].text)
                for col, out in _NUMBER_OUT.items():
                    if col in row:
                        want = row[col].value
                        assert (None if pd.isna(stored[out]) else int(stored[out])) == want, (col, row[col].text)


@SETTINGS
@given(rows=SOURCES["ucdp_ged"].rows, delim=st.sampled_from([",", ";", "\t", "|"]), bom=st.booleans())
def test_ged_files_load_whole_or_name_every_bad_line(template: Path, rows, delim: str, bom: bool) -> None:
    _check(template, SOURCES["ucdp_ged"], rows, delim, bom)


@SETTINGS
@given(rows=SOURCES["acled"].rows, delim=st.sampled_from([",", ";", "\t"]), bom=st.booleans())
def test_acled_files_load_whole_or_name_every_bad_line(template: Path, rows, delim: str, bom: bool) -> None:
    _check(template, SOURCES["acled"], rows, delim, bom)


@SETTINGS
@given(rows=SOURCES["gtd"].rows, delim=st.sampled_from([",", ";"]), bom=st.booleans())
def test_gtd_files_load_whole_or_name_every_bad_line(template: Path, rows, delim: str, bom: bool) -> None:
    _check(template, SOURCES["gtd"], rows, delim, bom)
