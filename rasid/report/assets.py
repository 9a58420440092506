"""Report assets: the Jinja2 template environment, bundled citations and embedded images (one home)."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources

import jinja2

from rasid.report.safety import MdRaw, md_escape, md_url, safe_url

__all__ = ["template_env", "citations", "data_uri"]


def _html_autoescape(name: str | None) -> bool:
    """In HTML output every template is escaped, shared wording macros (``_en.j2``, ``_ar.j2``) included;
    only the stylesheet (no data in it) is not."""
    return not (name or "").endswith(".css.j2")


def template_env(fmt=None, *, markdown: bool = False) -> jinja2.Environment:
    """A Jinja2 environment over the bundled templates, with the formatter's filters (num, pct, date...).

    HTML templates are autoescaped. Markdown templates (``markdown=True``) pass every printed value
    through :func:`~rasid.report.safety.md_escape` (HTML and link syntax escaped, one line), so no text
    from data or news can add markup; ``url`` makes an http(s) link or escaped text.
    """
    env = jinja2.Environment(loader=jinja2.PackageLoader("rasid.report", "templates"),
                             autoescape=False if markdown else _html_autoescape,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.ChainableUndefined, finalize=md_escape if markdown else None)
    if fmt is not None:
        env.filters.update(fmt.filters())
    env.filters["safe_url"] = safe_url
    env.filters["md_url"] = md_url
    # a macro's output (already escaped inside the macro) printed as it is
    env.filters["raw"] = (lambda v: MdRaw(v)) if markdown else (lambda v: v)
    return env


@lru_cache(maxsize=1)
def citations() -> list[str]:
    """UCDP citations listed in the bundled events' SOURCES.md."""
    text = (resources.files("rasid") / "data" / "events" / "SOURCES.md").read_text(encoding="utf-8")
    block = text.split("## Licence and required citation", 1)[-1].split("\n## ", 1)[0]
    cites = []
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            cites.append(re.sub(r"\*(.+?)\*", r"\1", line[2:].strip()))
    return cites


def data_uri(png: bytes) -> str:
    """A PNG as a data: URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
