"""SQL building blocks (DuckDB dialect) shared by the readers and the store.

The rule, enforced by ``tests/events/test_sql_safety.py`` over the whole package:

* **values** (anything from a file, an option, the environment or the user) reach SQL only as
  bound parameters (``?`` or ``$name``) or through Ibis expressions, never inside SQL text;
* **identifiers** enter SQL text only through :func:`ident`, which accepts plain names
  (``[A-Za-z_][A-Za-z0-9_]*``: the readers' fixed column lists and generated ``_xN`` names) and
  quotes them; constant message labels only through :func:`lit_sql`;
* a Python name or function ending in ``_sql`` holds or returns a SQL fragment built only from
  such identifiers and constants: that suffix is the allow-list marker the safety test accepts
  inside f-strings, besides calls of ``ident``.
"""

from __future__ import annotations

import re

__all__ = ["ident", "lit_sql", "int_lit_sql", "text_sql", "num_sql", "int_sql", "date_sql", "DATE_FORMATS"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LABEL = re.compile(r"[A-Za-z0-9_ .,:;()/<>=+%\-]*\Z")


def ident(name: str) -> str:
    """A column or table name, checked and double-quoted; anything but a plain name is refused."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def lit_sql(label: str) -> str:
    """A constant label from the code (no quotes, no backslashes) as a SQL string literal."""
    if not _LABEL.match(label):
        raise ValueError(f"not a plain label: {label!r}")
    return f"'{label}'"


def int_lit_sql(n: int) -> str:
    """A constant integer from the code as a SQL literal."""
    return str(int(n))


def text_sql(col: str) -> str:
    """Trimmed text of a column, empty -> NULL."""
    return f"NULLIF(TRIM({ident(col)}), '')"


def num_sql(col: str) -> str:
    """A number column (typed DOUBLE on load; the validation has checked it is finite)."""
    return ident(col)


def int_sql(col: str, sentinels: tuple[int, ...] = ()) -> str:
    """An integer from a DOUBLE column ('3.0' read as 3); ``sentinels`` (GTD's -9, -99 for unknown) -> NULL.

    TRY_CAST: a value that is not a whole number within BIGINT never raises here; the validation
    rejects its row with the line and the reason.
    """
    expr_sql = f"TRY_CAST({ident(col)} AS BIGINT)"
    if sentinels:
        codes_sql = ", ".join(int_lit_sql(s) for s in sentinels)
        expr_sql = f"CASE WHEN {ident(col)} IN ({codes_sql}) THEN NULL ELSE {expr_sql} END"
    return expr_sql


DATE_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%m/%d/%Y", "%Y/%m/%d", "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%d.%m.%Y")


def date_sql(expr_sql: str) -> str:
    """Date from ISO text with optional time ('2021-09-05 00:00:00.000'), or d Month Y, or m/d/Y."""
    formats_sql = ", ".join(lit_sql(f) for f in DATE_FORMATS)
    return (f"COALESCE(TRY_CAST(LEFT({expr_sql}, 10) AS DATE), "
            f"CAST(TRY_STRPTIME({expr_sql}, [{formats_sql}]) AS DATE))")
