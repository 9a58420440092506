"""Political-calendar layer: elections, referendums and IS milestones 2005–2025 (one source URL per row).

``calendar_features`` turns the dates into monthly time covariates for one country: months to the
next and since the last national vote, and flags for the three months before and the month of/after a vote.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from rasid.context._base import read_csv
from rasid.errors import QueryError

__all__ = ["political_calendar", "calendar_features", "control_changes", "VOTE_CATEGORIES"]

VOTE_CATEGORIES = ("election", "referendum")
_CAP_MONTHS = 60  # months to/since are capped (no vote within 5 years)


@lru_cache(maxsize=1)
def _calendar() -> pd.DataFrame:
    c = read_csv("context", "political_calendar_iq_sy.csv")
    c["date"] = pd.to_datetime(c["date"])
    c["end_date"] = pd.to_datetime(c["end_date"])
    c["countries"] = c["country"].str.split("|")
    return c


def political_calendar(country: str | None = None) -> pd.DataFrame:
    """Calendar rows (``date, end_date, country, scope, category, event, source_url, ...``), optionally for one country."""
    c = _calendar()
    if country is not None:
        c = c[c.countries.map(lambda cs: country.upper() in cs)]
    return c.drop(columns="countries").reset_index(drop=True)


def _month_index(d: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    d = pd.DatetimeIndex(d)
    return (d.year * 12 + d.month - 1).to_numpy()


def calendar_features(months: pd.DatetimeIndex, country: str) -> pd.DataFrame:
    """Per month: ``months_to_vote, months_since_vote, pre_vote_3m, vote_month, n_is_milestones`` for ``country``.

    Votes are elections and referendums with national, governorate or Kurdistan-Region scope held in
    ``country``; distances are whole calendar months, capped at 60.
    """
    if country.upper() not in {"IQ", "SY"}:
        raise QueryError(f"calendar covers IQ and SY only, not {country!r}")
    months = pd.DatetimeIndex(months).to_period("M").to_timestamp()
    cal = political_calendar(country)
    votes = np.unique(_month_index(cal.loc[cal.category.isin(VOTE_CATEGORIES), "date"]))
    mil = _month_index(cal.loc[cal.category == "is_milestone", "date"])
    m = _month_index(months)
    pos = np.searchsorted(votes, m, side="left")  # first vote at or after m
    nxt = np.where(pos < len(votes), votes[np.minimum(pos, len(votes) - 1)] - m, _CAP_MONTHS)
    prev_pos = np.searchsorted(votes, m, side="right") - 1  # last vote at or before m
    since = np.where(prev_pos >= 0, m - votes[np.maximum(prev_pos, 0)], _CAP_MONTHS)
    nxt, since = np.minimum(nxt, _CAP_MONTHS), np.minimum(since, _CAP_MONTHS)
    return pd.DataFrame({
        "months_to_vote": nxt.astype(int),
        "months_since_vote": since.astype(int),
        "pre_vote_3m": ((nxt >= 1) & (nxt <= 3)).astype(int),
        "vote_month": ((nxt == 0) | (since == 1)).astype(int),
        "n_is_milestones": np.array([(mil == x).sum() for x in m], dtype=int),
    }, index=pd.Index(months, name="period"))


def control_changes(country: str | None = None) -> pd.DataFrame:
    """Dated changes of control (``category == control_change``): ``date, country, event, admin_codes`` (list of
    admin2 codes), ``force_from, force_to`` (canonical ids, ``|``-separated), ``kind`` and ``source_url``.

    ``kind`` is ``liberation`` when IS lost the ground, ``is_takeover`` when it took it, else ``handover``
    (control passed between two forces fighting IS, e.g. Peshmerga to federal forces in October 2017).
    """
    c = political_calendar(country)
    c = c[c.category == "control_change"].copy()
    c["admin_codes"] = c["admin_codes"].fillna("").map(lambda s: [x.strip() for x in str(s).split("|") if x.strip()])
    frm, to = c["force_from"].fillna("").astype(str), c["force_to"].fillna("").astype(str)
    c["kind"] = np.where(frm.str.split("|").map(lambda x: "IS" in x), "liberation",
                         np.where(to.str.split("|").map(lambda x: "IS" in x), "is_takeover", "handover"))
    return c.reset_index(drop=True)
