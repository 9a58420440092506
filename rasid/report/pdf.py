"""PDF from the brief's HTML with WeasyPrint (fonts embedded from the same @font-face rules)."""

from __future__ import annotations

import logging
from pathlib import Path

from rasid.errors import ReportError

__all__ = ["html_to_pdf"]


def html_to_pdf(html: str, path: str | Path) -> Path:
    """Write ``html`` (self-contained, no external URLs) to a PDF at ``path``."""
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReportError("weasyprint is not installed (pip install weasyprint)") from exc
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    out = Path(path)
    try:
        weasyprint.HTML(string=html, base_url=None).write_pdf(out)
    except Exception as exc:  # weasyprint raises many kinds
        raise ReportError(f"PDF rendering failed: {exc}", path=out) from exc
    return out
