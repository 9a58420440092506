"""Dates: both Arabic month series, Hijri, weekdays and relative expressions against publication."""

from __future__ import annotations

import datetime as dt

import pytest

from rasid.text.dates import find_dates, parse_published, resolve_date

D = dt.date


@pytest.mark.parametrize(("text", "published", "expected", "precision"), [
    # Gregorian and Levantine/Iraqi month names
    ("في 5 سبتمبر 2021", None, D(2021, 9, 5), "day"),
    ("في 5 أيلول 2021", None, D(2021, 9, 5), "day"),
    ("يوم 17 تموز 2021", None, D(2021, 7, 17), "day"),
    ("في 3 مايس 2019", None, D(2019, 5, 3), "day"),
    ("في 18 من شهر شباط/فبراير", "2019-02-23", D(2019, 2, 18), "day"),
    ("الخامس من سبتمبر الجاري", "2021-09-20", D(2021, 9, 5), "day"),
    ("الحادي والعشرين من كانون الأول", "2021-12-30", D(2021, 12, 21), "day"),
    ("16 أيلول", "2021-09-17", D(2021, 9, 16), "day"),
    ("28 ديسمبر", "2022-01-03", D(2021, 12, 28), "day"),
    ("13-10-2018", None, D(2018, 10, 13), "day"),
    ("2020-05-04", None, D(2020, 5, 4), "day"),
    ("يناير/كانون الثاني الماضي", "2019-02-15", D(2019, 1, 1), "month"),
    # Hijri
    ("16 رمضان 1434 هـ", None, D(2013, 7, 24), "day"),
    ("الخميس 16 رمضان 1434 هـ", None, D(2013, 7, 25), "day"),
    ("عشية عيد الأضحى", "2021-07-20", D(2021, 7, 19), "day"),
    # relative
    ("أمس", "2021-01-24", D(2021, 1, 23), "day"),
    ("أول أمس", "2021-01-24", D(2021, 1, 22), "day"),
    ("فجر اليوم", "2021-01-24", D(2021, 1, 24), "day"),
    ("الليلة الماضية", "2020-05-04", D(2020, 5, 3), "days"),
    ("قبل يومين", "2021-01-10", D(2021, 1, 8), "days"),
    ("الشهر الماضي", "2021-01-10", D(2020, 12, 1), "month"),
    ("الأحد الماضي", "2021-01-24", D(2021, 1, 17), "day"),
    ("ليل الجمعة", "2020-05-02", D(2020, 5, 1), "day"),
    ("اليوم (السبت)", "2021-05-02", D(2021, 5, 1), "day"),
    ("أمس الخميس", "2021-09-17", D(2021, 9, 16), "day"),
    # English
    ("yesterday", "2021-12-07", D(2021, 12, 6), "day"),
    ("on Sunday", "2021-12-07", D(2021, 12, 5), "day"),
    ("two days ago", "2020-01-03", D(2020, 1, 1), "days"),
    ("Tuesday, December 17", "2024-12-18", D(2024, 12, 17), "day"),
    ("March 21, 2020", None, D(2020, 3, 21), "day"),
    ("last month", "2021-03-15", D(2021, 2, 1), "month"),
])
def test_resolve(text: str, published: str | None, expected: dt.date, precision: str) -> None:
    dm = resolve_date(text, published)
    assert dm is not None
    assert dm.date_start == expected
    assert dm.precision == precision
    assert text[dm.start:dm.end] == dm.text


@pytest.mark.parametrize("text", ["أمس", "أول أمس", "الأحد الماضي", "قبل يومين", "yesterday", "on Sunday",
                                  "16 أيلول", "الشهر الماضي", "عشية عيد الأضحى"])
def test_relative_without_publication_gives_no_date(text: str) -> None:
    dm = resolve_date(text, None)
    assert dm is not None and dm.date_start is None


def test_relative_offsets_known_without_publication() -> None:
    a, b = find_dates("اليوم الخميس ... وقتل، أمس الأربعاء، عنصران")
    assert (a.offset, b.offset) == (0, -1)


def test_spans_point_into_text() -> None:
    text = "أعلن التنظيم اليوم الأحد مسؤوليته عن هجوم وقع أمس السبت في صلاح الدين"
    for dm in find_dates(text, "2021-01-24"):
        assert text[dm.start:dm.end] == dm.text


def test_parse_published() -> None:
    assert parse_published("2021-09-06T10:00:00Z") == D(2021, 9, 6)
    assert parse_published("not a date") is None
    assert parse_published(None) is None


def test_a_month_named_alone_is_the_last_such_month() -> None:
    pub = dt.date(2022, 12, 27)
    [d] = find_dates("A major IS attack on the prison in Hasaka in January left 500 dead", pub)
    assert (d.precision, d.date_start, d.date_end) == ("month", dt.date(2022, 1, 1), dt.date(2022, 1, 31))
    [d] = find_dates("وقع الهجوم وفي شهر آذار", pub)
    assert (d.precision, d.date_start) == ("month", dt.date(2022, 3, 1))
    [d] = find_dates("in December", pub)
    assert d.date_start == dt.date(2022, 12, 1)
    assert find_dates("you may go", pub) == []  # "may" the verb
    [d] = find_dates("in January", None)
    assert d.date_start is None and d.precision == "month"
