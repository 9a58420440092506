"""`rasid geocode`: resolve place mentions (Arabic or English) to places, districts and governorates."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rasid.commands._common import console, err_console, fail, write_json
from rasid.errors import InputError, RasidError
from rasid.geo.geocoder import geocode

__all__ = ["register", "geocode_cmd"]

_TABLE_COLS = ("place", "type", "precision", "score", "district", "governorate", "lat, lon")


class GeoFormat(StrEnum):
    """Output formats of `rasid geocode`."""

    table = "table"
    json = "json"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Add the geography commands to the app."""
    app.command("geocode")(geocode_cmd)


def _print_table(mention: str, res: list, reason: str) -> None:
    table = Table(title=mention, show_lines=False)
    for c in _TABLE_COLS:
        table.add_column(c, justify="right" if c == "score" else "left")
    for cand in res:
        def both(en: str | None, ar: str | None) -> str:
            return " / ".join(x for x in (en, ar) if x)

        prec = cand.precision + (f" ({cand.direction})" if cand.direction else "")
        table.add_row(both(cand.name, cand.name_ar), cand.feature_type, prec, f"{cand.score:.2f}",
                      both(cand.admin2_en, cand.admin2_ar), both(cand.admin1_en, cand.admin1_ar),
                      f"{cand.lat:.3f}, {cand.lon:.3f}")
    if res:
        console.print(table)
    else:
        console.print(f"{mention}: no candidates ({reason})", highlight=False)


def geocode_cmd(
    mention: Annotated[str | None, typer.Argument(help='Place mention, e.g. "ناحية الرياض جنوب غرب كركوك".')] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Text file with one mention per line.")] = None,
    fmt: Annotated[GeoFormat, typer.Option("--format", help="table, json (a list, best first) or jsonl "
                                                          "(one line per input line).")] = GeoFormat.table,
    context: Annotated[str | None, typer.Option("--context", help="Surrounding text used to disambiguate.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Restrict to IQ or SY.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Candidates shown per mention.", min=1)] = 10,
) -> None:
    """Resolve place mentions to ranked candidates (place, district, governorate, precision, score)."""
    try:
        if (mention is None) == (file is None):
            raise InputError("give either a MENTION or --file (one mention per line)")
        if file is not None:
            try:
                lines = file.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read mentions: {exc}", path=file) from exc
        else:
            lines = [mention or ""]
    except RasidError as exc:
        raise fail(exc) from exc

    results = [(m, geocode(m, context=context, country=country)) for m in lines]
    if fmt is GeoFormat.jsonl:
        out = sys.stdout
        for m, res in results:
            out.write(json.dumps({"mention": m, "reason": res.reason,
                                  "candidates": [c.to_dict() for c in res[:limit]]}, ensure_ascii=False) + "\n")
    elif fmt is GeoFormat.json:
        if file is None:
            write_json([c.to_dict() for c in results[0][1][:limit]])
        else:
            write_json([{"mention": m, "reason": r.reason, "candidates": [c.to_dict() for c in r[:limit]]}
                        for m, r in results])
    else:
        for m, res in results:
            _print_table(m, res[:limit], res.reason)
    if file is None and not results[0][1]:
        err_console.print(f"no candidates: {results[0][1].reason}", highlight=False)
        raise typer.Exit(code=1)
