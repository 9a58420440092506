"""Value parsing used by every reader: the date formats of GED, Candidate, ACLED and spreadsheet exports."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from rasid.events._sql import date_sql


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-09-05", dt.date(2021, 9, 5)),
        ("2021-09-05 00:00:00.000", dt.date(2021, 9, 5)),  # GED 21.1+ / Candidate files
        ("2021-09-05T00:00:00", dt.date(2021, 9, 5)),
        ("05 October 2021", dt.date(2021, 10, 5)),  # older ACLED exports
        ("5-Oct-2021", dt.date(2021, 10, 5)),
        ("9/5/2021", dt.date(2021, 9, 5)),  # US spreadsheet re-save
        ("9/5/2021 12:00:00 AM", dt.date(2021, 9, 5)),
        ("5.9.2021", dt.date(2021, 9, 5)),
        ("2018-13-45", None),
        ("garbage", None),
        ("", None),
    ],
)
def test_date_formats(text: str, expected: dt.date | None) -> None:
    con = duckdb.connect()
    got = con.execute(f"SELECT {date_sql('v')} FROM (SELECT NULLIF(?, '') AS v)", [text]).fetchall()[0][0]
    assert got == expected
