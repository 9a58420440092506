"""Input documents for extraction: plain text, HTML pages (main text by trafilatura), JSONL records
({id, text, published, url, lang, title}) or a folder of these; language detected per document.

Bad input never crashes the reader: empty text gives no document, binary files and undecodable
bytes raise :class:`~rasid.errors.EncodingError` / :class:`~rasid.errors.InputError` with a
one-line message naming the file, and oversized texts are cut at :data:`MAX_CHARS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from rasid.errors import EncodingError, InputError
from rasid.lang.normalize import strip_control
from rasid.text.dates import parse_published

__all__ = ["Document", "MAX_CHARS", "detect_language", "make_document", "read_documents", "html_to_text"]

MAX_CHARS = 1_000_000  # longer texts are cut: a news article is far shorter, a report rarely longer
_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
_AR = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z]")
_HTML_HINT = re.compile(r"<\s*(html|body|p|div|article|script|head)\b", re.I)


@dataclass
class Document:
    """One text to extract from, with its publication date (or None) and detected language."""

    id: str
    text: str
    published: dt.date | None = None
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        """Plain dict with an ISO publication date."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


def detect_language(text: str) -> str | None:
    """``"ar"``, ``"en"`` (Latin script) or None, from the letters of the first 5,000 characters."""
    if not isinstance(text, str):
        return None
    head = text[:5000]
    n_ar = len(_AR.findall(head))
    n_la = len(_LATIN.findall(head))
    if n_ar + n_la < 3:
        return None
    return "ar" if n_ar >= n_la else "en"


def html_to_text(html: str) -> tuple[str, dict]:
    """Main text of an HTML page (scripts, menus and boilerplate dropped) and its metadata
    (title, date, url); falls back to tag stripping when trafilatura finds nothing."""
    meta: dict = {}
    text = ""
    try:
        import trafilatura  # heavy: about half a second (lxml, courlan), loaded for HTML input only

        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        if doc is not None:
            d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
            text = d.get("text") or ""
            meta = {k: d.get(k) for k in ("title", "date", "url")}
    except Exception:  # noqa: BLE001 - a broken page must not stop a batch
        text = ""
    if not text.strip():
        stripped = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", html)
        stripped = re.sub(r"(?s)<[^>]+>", " ", stripped)
        text = re.sub(r"[ \t]+", " ", stripped)
    return text, meta


def _clean(text: str) -> str:
    text = strip_control(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text[:MAX_CHARS]


def _doc_id(text: str, hint: str | None = None) -> str:
    return hint or hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]


def make_document(text: str, *, id: str | None = None, published: object = None, url: str | None = None,
                  title: str | None = None, lang: str | None = None, source: str | None = None) -> Document:
    """A :class:`Document` from a string (HTML is reduced to its main text); language detected when
    not given. Non-string text raises :class:`InputError`."""
    if isinstance(text, bytes):
        text = _decode(text, source or "<bytes>")
    if not isinstance(text, str):
        raise InputError(f"document text must be a string, got {type(text).__name__}", path=source)
    pub = parse_published(published)
    if _HTML_HINT.search(text[:2000]):
        text, meta = html_to_text(text)
        title = title or meta.get("title")
        url = url or meta.get("url")
        pub = pub or parse_published(meta.get("date"))
    text = _clean(text)
    return Document(id=_doc_id(text, id), text=text, published=pub, url=url, title=title,
                    lang=lang or detect_language(text), source=source)


def _decode(data: bytes, path: str) -> str:
    """Text of a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256 Arabic;
    binary data and undecodable bytes raise with the file named."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(f"invalid UTF-16 text ({exc.reason})", path=path) from None
    if b"\x00" in head:
        raise InputError("binary data, not a text, HTML or JSONL file", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and len(_AR.findall(text[:5000])) > 20:
        return text
    raise EncodingError(f"not UTF-8 text (byte {utf8_error.start}: {utf8_error.reason}); save it as UTF-8",
                        path=path)


def _iter_jsonl(path: Path, text: str, published: object) -> Iterator[Document]:
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" and stripped.startswith("["):
        try:
            rows = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON ({exc.msg})", path=path, line=exc.lineno) from None
        lines = [(i + 1, r) for i, r in enumerate(rows)]
    else:
        lines = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                lines.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON line ({exc.msg})", path=path, line=n) from None
    for n, rec in lines:
        if not isinstance(rec, dict):
            raise InputError("each JSONL line must be an object with a 'text' field", path=path, line=n)
        body = rec.get("text")
        if body is None:
            raise InputError("JSONL record has no 'text' field", path=path, line=n)
        if not isinstance(body, str) or not body.strip():
            continue
        yield make_document(body, id=str(rec.get("id") or f"{path.stem}:{n}"),
                            published=rec.get("published") or published, url=rec.get("url"),
                            title=rec.get("title"), lang=rec.get("lang"), source=f"{path}:{n}")


def read_documents(paths: object, published: object = None) -> Iterator[Document]:
    """Documents from files or folders (recursively): ``.txt``, ``.html``, ``.jsonl``/``.json``.

    ``published`` is the default publication date for records and files that carry none. A missing
    path raises :class:`InputError`; empty files give nothing."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:  # type: ignore[union-attr]
        path = Path(p)
        if not path.exists():
            raise InputError("no such file or folder", path=path)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
            for f in files:
                if f.suffix.lower() in _TEXT_SUFFIXES | _HTML_SUFFIXES | _JSONL_SUFFIXES:
                    yield from read_documents([f], published)
            continue
        data = path.read_bytes()
        if not data.strip():
            continue
        text = _decode(data, str(path))
        suffix = path.suffix.lower()
        if suffix in _JSONL_SUFFIXES or (suffix not in _HTML_SUFFIXES and text.lstrip().startswith("{")):
            yield from _iter_jsonl(path, text, published)
            continue
        doc = make_document(text, id=path.stem, published=published, source=str(path))
        if doc.text.strip():
            yield doc
