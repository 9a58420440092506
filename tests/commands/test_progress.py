"""The progress display: steps shown on a terminal, nothing when stderr is not a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from rasid.commands._progress import steps


def test_quiet_when_not_a_terminal():
    buf = io.StringIO()
    with steps(Console(file=buf, force_terminal=False), "brief") as s:
        s.step("reading the events")
        s.step("forecasting")
    assert buf.getvalue() == ""


def test_finished_steps_are_listed_on_a_terminal():
    buf = io.StringIO()
    with steps(Console(file=buf, force_terminal=True, width=100), "brief") as s:
        s.step("reading the events")
        s.step("forecasting")
    out = buf.getvalue()
    assert "reading the events" in out and "forecasting" in out and "✓" in out
