"""The brief: Arabic and English reports (HTML, Markdown, PDF) with charts and maps, built from the analyses."""

from rasid.report.brief import (
    BriefData,
    build_brief,
    motives_table,
    notable_attacks,
    render_brief,
    write_tables,
)
from rasid.report.format import Formatter

__all__ = ["BriefData", "Formatter", "build_brief", "motives_table", "notable_attacks", "render_brief", "write_tables"]
