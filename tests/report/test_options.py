"""Options are checked before any computation, with errors naming the valid choices."""

from __future__ import annotations

import pytest

from rasid.errors import QueryError, ReportError
from rasid.report.options import check_digits, check_formats, check_langs, check_query


def test_formats_langs_digits():
    assert check_formats("html,PDF, md") == ["html", "pdf", "md"]
    with pytest.raises(ReportError, match="unknown format 'docx'; expected html, md, pdf"):
        check_formats("docx")
    with pytest.raises(ReportError):
        check_formats("")
    assert check_langs("both") == ["ar", "en"] and check_langs("en") == ["en"]
    with pytest.raises(ReportError, match="expected ar, en or both"):
        check_langs("fr")
    with pytest.raises(ReportError, match="arabic or latin"):
        check_digits("roman")


def test_query_against_the_store(bundled_store):
    assert check_query(bundled_store, actor="ISIS", countries=["IQ", "SY"], window="2018-01..2018-12") == []
    with pytest.raises(QueryError, match="did you mean IS.*actors with most events there: IS"):
        check_query(bundled_store, actor="ISI", countries=["IQ", "SY"], window="2018-01..2018-12")
    with pytest.raises(QueryError, match=r"outside the store's data .* \(2004-03-17 to 2018-12-31\)"):
        check_query(bundled_store, actor="IS", countries=["IQ", "SY"], window="2030-01..2030-12")
    with pytest.raises(QueryError, match="no boundaries for country TR; briefs cover IQ, SY"):
        check_query(bundled_store, actor="IS", countries=["TR"], window="2018-01..2018-12")
    with pytest.raises(QueryError, match="unknown unit"):
        check_query(bundled_store, actor="IS", countries=["IQ"], window="2018-01..2018-12", unit="county")
    with pytest.raises(QueryError, match="--horizon"):
        check_query(bundled_store, actor="IS", countries=["IQ"], window="2018-01..2018-12", horizon=40)
    warns = check_query(bundled_store, actor="IS", countries=["IQ", "SY"], window="2018-06..2019-06")
    assert any("only partly covered" in w for w in warns)
