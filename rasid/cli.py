"""`rasid …`: the command line. Thin: each area's commands live in ``rasid/commands/<area>.py``."""

from __future__ import annotations

import importlib

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="rasid",
    help="rasid (راصد): conflict events, focus, explanation, forecasts and briefs for Iraq and Syria.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# command modules, in help order; each defines register(app)
_AREAS = ["events", "fetch", "geo", "text", "focus", "context", "forecast", "report", "serve", "demo"]

for _area in _AREAS:
    try:
        _mod = importlib.import_module(f"rasid.commands.{_area}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"rasid.commands.{_area}":
            raise
        continue
    _mod.register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
