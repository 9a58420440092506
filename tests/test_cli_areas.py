"""The CLI loads only the command module of the command it runs: its map of commands must be true."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer

from rasid.cli import AREAS, _areas_for, app


def _registered(area: str) -> list[str]:
    sub = typer.Typer()
    importlib.import_module(f"rasid.commands.{area}").register(sub)
    return [c.name or c.callback.__name__ for c in sub.registered_commands] + [g.name for g in sub.registered_groups]


def test_every_area_registers_exactly_its_listed_commands() -> None:
    for area, names in AREAS.items():
        assert sorted(_registered(area)) == sorted(names), area


def test_the_full_app_has_every_command_once() -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert sorted(names) == sorted(n for ns in AREAS.values() for n in ns)


def test_a_command_loads_only_its_area_and_help_loads_all() -> None:
    assert _areas_for(["/venv/bin/rasid", "explain", "--actor", "IS"]) == ["context"]
    assert _areas_for(["/venv/bin/rasid", "fetch", "ucdp"]) == ["fetch"]
    assert _areas_for(["/venv/bin/rasid", "--help"]) == list(AREAS)
    assert _areas_for(["/venv/bin/rasid", "no-such-command"]) == list(AREAS)  # Click names the valid ones
    assert _areas_for(["pytest", "explain"]) == list(AREAS)


def _run_as_rasid(tmp_path, *args: str) -> subprocess.CompletedProcess:
    code = (f"import sys; sys.argv = ['rasid', *{list(args)!r}]; import rasid.cli as c; "
            "mods = sorted(m for m in sys.modules if m.startswith('rasid.commands.') "
            "and not m.startswith('rasid.commands._')); print('MODULES', mods); c.main()")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)


@pytest.mark.parametrize(("args", "area", "usage"), [
    (("demo", "--help"), "demo", "Usage: rasid demo"),  # the only command of its module: still a subcommand
    (("geocode", "--help"), "geo", "Usage: rasid geocode"),
    (("hotspots", "--help"), "focus", "Usage: rasid hotspots"),
    (("fetch", "ucdp", "--help"), "fetch", "Usage: rasid fetch ucdp"),
])
def test_the_installed_command_runs_a_command_with_only_its_area(tmp_path, args, area, usage) -> None:
    out = _run_as_rasid(tmp_path, *args)
    assert out.returncode == 0, out.stderr
    assert f"MODULES ['rasid.commands.{area}']" in out.stdout
    assert usage in " ".join(out.stdout.split())


def test_an_unknown_command_lists_them_all(tmp_path) -> None:
    out = _run_as_rasid(tmp_path, "no-such-command")
    assert out.returncode == 2 and "No such command" in out.stderr
