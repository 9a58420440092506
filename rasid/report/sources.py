"""How the brief cites an event: dataset and id, or the article's URL, and a one-line article reference."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["DATASETS", "source_ref", "article_line"]

DATASETS = {"ucdp_ged": "UCDP GED", "ucdp_candidate": "UCDP Candidate", "acled": "ACLED", "gtd": "GTD"}


def source_ref(row: pd.Series | dict) -> str:
    """'UCDP GED 258852' for dataset rows, else the article URL."""
    url = row.get("source_url")
    if isinstance(url, str) and url.startswith("http") and row.get("source") not in DATASETS:
        return url
    name = DATASETS.get(row.get("source"), str(row.get("source") or "").upper())
    return f"{name} {row.get('source_id')}".strip()


def article_line(text: object) -> str | None:
    """The first cited article of a UCDP ``source_article`` ('SOHR,2018-12-19,Headline') as one line."""
    if not isinstance(text, str) or not text.strip():
        return None
    first = text.strip().strip('"').split(";")[0].strip().strip('"')
    first = re.sub(r"\s+", " ", first)
    m = re.match(r"^([^,]{1,80}),\s*(\d{4}-\d{2}-\d{2}),\s*(.+)$", first)
    if m:
        first = f"{m[1].strip()} ({m[2]}): {m[3].strip()}"
    return first[:200] + ("…" if len(first) > 200 else "")
