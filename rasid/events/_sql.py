"""SQL fragments shared by the readers (DuckDB dialect): parsing text into typed values."""

from __future__ import annotations

__all__ = ["txt", "int_", "num", "date_", "q"]


def q(col: str) -> str:
    """Quote a raw column name."""
    return '"' + col.replace('"', '""') + '"'


def txt(col: str) -> str:
    """Trimmed text, empty -> NULL."""
    return f"NULLIF(TRIM({q(col)}), '')"


def num(col: str) -> str:
    """Double from text ('645.0', ' 12 ') -> NULL when empty; unparsable stays NULL (checked separately)."""
    return f"TRY_CAST({txt(col)} AS DOUBLE)"


def int_(col: str) -> str:
    """Integer from text that may be written as a float ('3.0')."""
    return f"CAST(ROUND(TRY_CAST({txt(col)} AS DOUBLE)) AS BIGINT)"


def date_(expr: str) -> str:
    """Date from ISO text with optional time ('2021-09-05 00:00:00.000'), or d Month Y, or m/d/Y."""
    return (
        f"COALESCE(TRY_CAST(LEFT({expr}, 10) AS DATE), "
        f"CAST(TRY_STRPTIME({expr}, ['%d %B %Y', '%d-%B-%Y', '%d %b %Y', '%d-%b-%Y', '%m/%d/%Y', '%Y/%m/%d', "
        f"'%m/%d/%Y %H:%M:%S', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M', '%d.%m.%Y']) AS DATE))"
    )
