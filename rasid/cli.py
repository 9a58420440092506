"""`rasid …`: the command line. Thin: each area's commands live in ``rasid/commands/<area>.py``.

One error path for every command: :class:`_Group` turns any exception that escapes a command
(OS errors, DuckDB errors, rasid errors, bugs) into one line on stderr naming the path and the
cause, and exit code 2 for bad input or 1 for failures. ``RASID_DEBUG=1`` shows the traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from rasid.commands._common import err_console, fail

__all__ = ["app", "main", "AREAS"]


class _Group(TyperGroup):
    """The command group with rasid's error path around every command."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (Exit, Abort, TyperException):
            raise
        except KeyboardInterrupt:
            err_console.print("interrupted", highlight=False)
            raise Exit(code=130) from None
        except BrokenPipeError:  # `rasid events --format csv | head`: the reader left, nothing to say
            _silence_stdout()
            raise Exit(code=1) from None
        except Exception as exc:
            if os.environ.get("RASID_DEBUG"):
                raise
            raise fail(exc) from exc


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    name="rasid",
    help="rasid (راصد): conflict events, focus, explanation, forecasts and briefs for Iraq and Syria.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=_Group,
)

#: command modules, in help order; each defines register(app) for the commands listed here
#: (``tests/test_cli_areas.py`` checks the lists against what each module registers)
AREAS: dict[str, tuple[str, ...]] = {
    "events": ("ingest", "info", "events", "actors"),
    "fetch": ("update", "alerts", "watch", "fetch"),
    "geo": ("geocode",),
    "text": ("extract",),
    "focus": ("focus", "hotspots", "trends"),
    "context": ("explain", "context"),
    "forecast": ("forecast", "backtest"),
    "report": ("brief",),
    "serve": ("serve",),
    "demo": ("demo",),
}


def _areas_for(argv: list[str]) -> list[str]:
    """The command modules to load: only the one that defines the command being run (each pulls in its own
    analyses, so `rasid explain` does not import the forecasting, fetching and web stacks), else all of them."""
    if len(argv) >= 2 and argv[0].endswith(("rasid", "cli.py")):
        wanted = [area for area, names in AREAS.items() if argv[1] in names]
        if wanted:
            return wanted
    return list(AREAS)


@app.callback()
def _root() -> None:
    """rasid (راصد): conflict events, focus, explanation, forecasts and briefs for Iraq and Syria."""
    # a callback keeps `rasid` a group of commands even when only one command module is loaded


for _area in _areas_for(sys.argv):
    importlib.import_module(f"rasid.commands.{_area}").register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
