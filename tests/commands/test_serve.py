"""`rasid serve`: loopback by default, a one-line error for a missing store."""

from __future__ import annotations

from typer.testing import CliRunner

from rasid.cli import app
from rasid.commands.serve import _is_loopback


def test_serve_is_registered_and_binds_loopback_by_default():
    res = CliRunner().invoke(app, ["serve", "--help"])
    assert res.exit_code == 0 and "--host" in res.stdout and "127.0.0.1" in res.stdout


def test_loopback_addresses():
    assert all(_is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(_is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "example.org", "::"))


def test_missing_store_is_a_one_line_error(tmp_path):
    res = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "nothing.duckdb")])
    assert res.exit_code == 2
    assert "no event store here yet" in res.stderr and len(res.stderr.strip().splitlines()) == 1
