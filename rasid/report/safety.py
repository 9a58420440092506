"""Hostile text in briefs: which links may be clickable, how Markdown escapes quoted text, the HTML CSP.

Every text in a brief that comes from data or news (place and actor names, article lines, quotes,
URLs, data versions) is escaped: HTML by Jinja2's autoescape, Markdown by :func:`md_escape` applied to
every value a Markdown template prints. Only ``http``/``https`` URLs become links; anything else
(``javascript:``, ``data:``, ``vbscript:``, relative paths) is shown as text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

__all__ = ["safe_url", "md_escape", "md_url", "MdRaw", "one_line", "CSP"]

#: Content-Security-Policy of the HTML briefs: nothing is fetched or run; images and fonts are embedded
#: as data: URIs and styles are inline (the file is self-contained), scripts are not allowed at all.
CSP = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
# "<" that could open an HTML tag, comment or autolink ("<script", "</", "<!", "<?", "<https:"); "<0.001" stays
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# "&" that could start an entity ("&lt;", "&#60;")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host and no whitespace or control characters, else None."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if not u or _CONTROL.search(u) or " " in u:
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def one_line(text: object) -> str:
    """Text on one line: newlines and other control characters become spaces (no breaking out of a block)."""
    return _CONTROL.sub(" ", str(text))


class MdRaw(str):
    """A string a Markdown template prints as it is (our own markup, e.g. an image path), never data."""


def md_escape(value: object) -> object:
    """A value as Markdown text that renders literally: HTML and link/emphasis syntax escaped, one line.

    ``<script>`` becomes ``&lt;script>`` (no tag can open), ``[x](javascript:...)`` becomes ``\\[x\\](javascript:...)`` (no link),
    table pipes are escaped. Numbers and :class:`MdRaw` strings pass unchanged; None prints as empty.
    """
    if value is None:
        return ""
    if isinstance(value, MdRaw) or not isinstance(value, str):
        return value
    text = _ENTITY.sub("&amp;", one_line(value))
    text = _TAG_START.sub("&lt;", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: object) -> MdRaw:
    """A Markdown link for an http(s) URL (``<...>`` autolink, unsafe characters percent-encoded), else escaped text."""
    ok = safe_url(url)
    if ok is None:
        return MdRaw(md_escape(url) if url is not None else "")
    return MdRaw("<" + quote(ok, safe=":/?#[]@!$&'*+,;=%~-._") + ">")
