"""PDF from the brief's HTML with WeasyPrint (fonts embedded from the same @font-face rules)."""

from __future__ import annotations

import logging
from pathlib import Path

from rasid.errors import ReportError

__all__ = ["html_to_pdf"]


def html_to_pdf(html: str, path: str | Path) -> Path:
    """Write ``html`` (self-contained, no external URLs) to a PDF at ``path``."""
    import weasyprint  # heavy (about 1 s): imported only when a PDF is asked for
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    out = Path(path)
    try:
        weasyprint.HTML(string=html, base_url=None).write_pdf(out)
    except Exception as exc:  # weasyprint raises many kinds
        raise ReportError(f"PDF rendering failed: {exc}", path=out) from exc
    return out
