"""The CLI loads only the command module of the command it runs: its map of commands must be true."""

from __future__ import annotations

import importlib
import subprocess
import sys

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


def test_the_installed_command_runs_a_command_with_only_its_area(tmp_path) -> None:
    code = ("import sys; sys.argv = ['rasid', 'geocode', '--help']; import rasid.cli as c; "
            "import sys as s; print(sorted(m for m in s.modules if m.startswith('rasid.commands.') "
            "and not m.startswith('rasid.commands._')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "['rasid.commands.geo']"
