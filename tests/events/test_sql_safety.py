"""No value reaches SQL as text: a static check of every module of the package.

The check parses each ``rasid/**/*.py`` and looks at every string built by an f-string, ``%`` or
``.format`` (and ``+`` on a literal) whose literal text reads as SQL. Inside such a string, each
interpolated expression must be on the allow-list (the convention of ``rasid/events/_sql.py``):

* a call of ``ident(...)`` (a checked, quoted identifier);
* a name, attribute or call whose name ends in ``_sql`` (a fragment built only from identifiers
  and constants: the marker a reviewer checks);
* a literal constant.

``%`` and ``.format`` on SQL text are refused outright. Values go as ``?`` / ``$name`` parameters.
The quoting helpers themselves (:data:`QUOTING_HELPERS`) are the one place allowed to build a
quoted string, because they check what they quote.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "rasid"
# (module, function): where quoting is implemented, with its own checks (tested in test_sql.py)
QUOTING_HELPERS = {("rasid/events/_sql.py", "ident"), ("rasid/events/_sql.py", "lit_sql")}
# SQL keywords as written in the project's SQL (upper case), or a quoted interpolation '{...}'
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|FROM|WHERE|JOIN|VALUES|CASE|WHEN|THEN|"
                  r"CAST|TRY_CAST|COALESCE|NULLIF|AS|AND|OR|IN|IS|NOT|NULL|LIKE|BETWEEN|DESCRIBE|TABLE|VIEW|"
                  r"MACRO|EXCLUDE|REPLACE|ORDER BY|GROUP BY|LIMIT)\b")


def _literal_text(node: ast.AST) -> str:
    """The string's literal text, with ``{}`` where an f-string interpolates."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return ""


def _looks_sql(text: str) -> bool:
    """SQL keywords (two at least), or a hole inside single quotes: a value pasted into a SQL literal."""
    return len(_SQL.findall(text)) >= 2 or "'{}'" in text


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name_of(node.func)
    return None


def _allowed(expr: ast.AST) -> bool:
    if isinstance(expr, ast.Constant):
        return True
    name = _name_of(expr)
    return name is not None and (name == "ident" or name.lower().endswith("_sql"))


def violations(source: str, filename: str = "<string>") -> list[str]:
    """Lines where SQL text is built from something that is not an identifier or a SQL fragment."""
    tree = ast.parse(source, filename)
    exempt = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and (filename, f.name) in QUOTING_HELPERS
              for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            text = _literal_text(node)
            if not _looks_sql(text):
                continue
            # a quoted hole '{x}' is a value pasted into a SQL literal, whatever x is named
            quoted = "'{}'" in text
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and (quoted and not isinstance(v.value, ast.Constant)
                                                          or not _allowed(v.value)):
                    out.append(f"{filename}:{node.lineno}: {ast.unparse(v.value)!s} interpolated into SQL")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _looks_sql(_literal_text(node.left)):
            out.append(f"{filename}:{node.lineno}: SQL built with %")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and _looks_sql(_literal_text(node.func.value))):
            out.append(f"{filename}:{node.lineno}: SQL built with .format()")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            for lit, other in ((node.left, node.right), (node.right, node.left)):
                if _looks_sql(_literal_text(lit)) and not _literal_text(other) and not _allowed(other) \
                        and not isinstance(other, (ast.BinOp, ast.JoinedStr)):
                    out.append(f"{filename}:{node.lineno}: {ast.unparse(other)} concatenated into SQL")
    return out


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_builds_no_sql_from_values() -> None:
    found = [v for p in _modules() for v in violations(p.read_text(encoding="utf-8"), str(p.relative_to(PACKAGE.parent)))]
    assert not found, "\n".join(found)


def test_the_check_sees_the_package() -> None:
    """The check is not vacuous: the readers' SQL is there and is recognised as SQL."""
    src = (PACKAGE / "events" / "_ucdp.py").read_text(encoding="utf-8")
    tree = ast.parse(src)
    sql_strings = [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) and _looks_sql(_literal_text(n))]
    assert len(sql_strings) >= 2


# the pattern the issue found in events/_ucdp.py, _acled.py and _gtd.py (main at 3b1cbbd)
OLD_UCDP = '''
def select_sql(cols, version):
    ver = f"'{version}'" if version else "NULL"
    return f"""
    SELECT
      'ucdp_ged' AS source,
      {ver} AS source_version
    FROM _raw
    """
'''


@pytest.mark.parametrize(
    ("source", "hits"),
    [
        (OLD_UCDP, 2),  # both the quoted value and the pasted fragment
        ('def f(con, v):\n    con.execute(f"SELECT * FROM events WHERE source_version = \'{v}\'")\n', 1),
        ('def f(con, v):\n    con.execute(f"DELETE FROM events WHERE batch_id = {v}")\n', 1),
        ('def f(con, v):\n    con.execute("SELECT * FROM events WHERE source = \'%s\'" % v)\n', 1),
        ('def f(con, v):\n    con.execute("SELECT * FROM events WHERE source = {}".format(v))\n', 1),
        ('def f(con, v):\n    con.execute("SELECT * FROM events WHERE source = " + v)\n', 1),
        ('def f(con, batch):\n    con.execute(f"\'{batch}\' AS batch_id FROM x")\n', 1),
    ],
)
def test_the_check_fails_on_values_in_sql(source: str, hits: int) -> None:
    assert len(violations(source)) == hits, violations(source)


@pytest.mark.parametrize(
    "source",
    [
        'def f(con, v):\n    con.execute("SELECT * FROM events WHERE source_version = ?", [v])\n',
        'def f(con, c):\n    con.execute(f"SELECT {ident(c)} FROM events WHERE x = $v", {"v": 1})\n',
        'def f(con, cols_sql):\n    con.execute(f"SELECT {cols_sql} FROM events")\n',
        'def f(name):\n    return f"unknown admin1 {name!r}; give a code"\n',  # prose, not SQL
    ],
)
def test_the_check_accepts_parameters_and_identifiers(source: str) -> None:
    assert violations(source) == []
