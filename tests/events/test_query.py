"""The query module: every filter against a plain pandas reading of the same store, and the parsing helpers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rasid.errors import QueryError
from rasid.events import EventFilter, Store
from rasid.events.query import parse_month, parse_month_window, resolve_units


def _has_actor(col: pd.Series, ids: set[str]) -> pd.Series:
    return col.fillna("").map(lambda v: bool(ids & set(v.split(", "))))


def _expected(ev: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    return ev[mask].sort_values(["date_start", "event_id"]).reset_index(drop=True)


@pytest.mark.parametrize(
    ("flt", "mask"),
    [
        (EventFilter(actors=["داعش"]), lambda e: _has_actor(e.actor1_id, {"IS"}) | _has_actor(e.actor2_id, {"IS"})),
        (EventFilter(actors=["ISIS", "PKK"]),
         lambda e: _has_actor(e.actor1_id, {"IS", "PKK"}) | _has_actor(e.actor2_id, {"IS", "PKK"})),
        (EventFilter(countries=["sy"]), lambda e: e.country == "SY"),
        (EventFilter(admin1=["كركوك"]), lambda e: e.admin1_code == "IQG13"),
        (EventFilter(admin1=["IQG13", "Ninewa"]), lambda e: e.admin1_code.isin(["IQG13", "IQG15"])),
        (EventFilter(since=dt.date(2018, 3, 1), until=dt.date(2018, 3, 31)),
         lambda e: e.date_start.between("2018-03-01", "2018-03-31")),
        (EventFilter(event_types=["one-sided"], countries=["IQ"]),
         lambda e: (e.event_type == "one-sided") & (e.country == "IQ")),
        (EventFilter(sources=["ucdp_ged"], countries=["SY"], since=dt.date(2016, 1, 1)),
         lambda e: (e.source == "ucdp_ged") & (e.country == "SY") & (e.date_start >= "2016-01-01")),
        (EventFilter(actors=["IS"], countries=["IQ"], admin1=["Kirkuk"], since=dt.date(2017, 1, 1),
                     until=dt.date(2017, 12, 31)),
         lambda e: (_has_actor(e.actor1_id, {"IS"}) | _has_actor(e.actor2_id, {"IS"})) & (e.country == "IQ")
         & (e.admin1_code == "IQG13") & e.date_start.between("2017-01-01", "2017-12-31")),
    ],
)
def test_filters_match_a_pandas_reading(bundled_store: Store, bundled_events: pd.DataFrame, flt, mask) -> None:
    got = bundled_store.events(flt)
    want = _expected(bundled_events, mask(bundled_events))
    assert len(want) > 0
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want)


def test_admin2_filter_by_name(bundled_store: Store, bundled_events: pd.DataFrame) -> None:
    code = bundled_events.loc[bundled_events.admin2_en.notna()].admin2_code.value_counts().index[0]
    name = bundled_events.loc[bundled_events.admin2_code == code, "admin2_en"].iloc[0]
    got = bundled_store.events(EventFilter(admin2=[name]))
    assert len(got) == (bundled_events.admin2_code == code).sum() and (got.admin2_code == code).all()


def test_no_filter_is_every_event_in_order(bundled_store: Store, bundled_events: pd.DataFrame) -> None:
    assert len(bundled_events) == 22202
    keys = list(zip(bundled_events.date_start, bundled_events.event_id, strict=True))
    assert keys == sorted(keys)


def test_columns_and_types(bundled_store: Store) -> None:
    df = bundled_store.events(EventFilter(countries=["IQ"]), columns=["event_id", "date_start", "deaths_best", "lat"])
    assert list(df.columns) == ["event_id", "date_start", "deaths_best", "lat"]
    assert str(df.deaths_best.dtype) == "Int64" and pd.api.types.is_datetime64_any_dtype(df.date_start)
    assert df.lat.dtype == "float64"
    full = bundled_store.events(EventFilter(sources=["ucdp_ged"], since=dt.date(2018, 12, 1)))
    assert str(full.claimed.dtype) == "boolean" and full.wounded.isna().all()  # UCDP: no wounded, NULL not 0


def test_a_filter_that_matches_nothing(bundled_store: Store) -> None:
    df = bundled_store.events(EventFilter(actors=["no such group"]))
    assert df.empty and "event_id" in df.columns


def test_unknown_unit_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match=r"unknown admin1 'Atlantis'; give a code such as \S+ or a name"):
        resolve_units(["Atlantis"], "admin1")
    assert resolve_units(["kirkuk", "نينوى"], "admin1") == ["IQG13", "IQG15"]


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2018", False, dt.date(2018, 1, 1)),
        ("2018", True, dt.date(2018, 12, 31)),
        ("2018-02", True, dt.date(2018, 2, 28)),
        ("2016-02", True, dt.date(2016, 2, 29)),
        (" 2018-3 ", False, dt.date(2018, 3, 1)),
        ("2018-03-15", True, dt.date(2018, 3, 15)),
    ],
)
def test_parse_month(text: str, end: bool, expected: dt.date) -> None:
    assert parse_month(text, end=end) == expected


@pytest.mark.parametrize("text", ["March 2018", "2018-13", "2018-02-30", "18-01", ""])
def test_parse_month_refuses(text: str) -> None:
    with pytest.raises(QueryError):
        parse_month(text)


def test_parse_month_window() -> None:
    w = parse_month_window("2018-01..2018-12")
    assert (w.start, w.end) == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    with pytest.raises(QueryError, match="ends before it starts"):
        parse_month_window("2018-12..2018-01")
    with pytest.raises(QueryError, match="must look like"):
        parse_month_window("2018-01/2018-12")


def test_filter_values_are_data_not_sql(bundled_store: Store) -> None:
    """Filter values go through Ibis as literals: quotes and SQL text match nothing and break nothing."""
    for hostile in ["IQ' OR '1'='1", "'); DROP TABLE events; --"]:
        assert bundled_store.events(EventFilter(countries=[hostile], sources=[hostile])).empty
    assert len(bundled_store.events()) == 22202


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(actors=["IS"], countries=["IQ", "SY"], admin1=["Kirkuk"], since=dt.date(2018, 1, 1),
                    until=dt.date(2018, 12, 31)),
        EventFilter(actors=["Government of Iraq", "PKK"], event_types=["state-based"]),
        EventFilter(admin2=["IQG13Q04"], sources=["ucdp_ged"]),
        EventFilter(),
    ],
)
def test_the_sql_and_the_ibis_expression_select_the_same_rows(bundled_store: Store, flt: EventFilter) -> None:
    from rasid.events.query import events_expr, events_sql, to_frame

    sql, params = events_sql(flt)
    assert not any(str(v) in sql for v in params.values() if len(str(v)) > 1)  # values are parameters only
    pd.testing.assert_frame_equal(bundled_store.events(flt), to_frame(events_expr(bundled_store.table(), flt)))


def test_unknown_columns_are_refused(bundled_store: Store) -> None:
    with pytest.raises(QueryError, match="unknown column"):
        bundled_store.events(columns=["event_id", "1; DROP TABLE events"])
