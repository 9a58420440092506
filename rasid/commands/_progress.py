"""Progress of long commands on the terminal: a spinner with the current step and the time spent.

Shown on stderr only when it is a terminal, so piped output and logs stay clean; each finished step is
left as one line ("✓ forecasting (12.3 s)") so the user sees where the time went.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["Steps", "steps"]


class Steps:
    """A step display: call :meth:`step` with the next step's name; quiet when ``console`` is not a terminal."""

    def __init__(self, console: Console, title: str) -> None:
        self.console = console
        self.title = title
        self.live = console.is_terminal and not console.is_dumb_terminal
        self._progress: Progress | None = None
        self._task = None
        self._current: str | None = None
        self._t0 = time.perf_counter()

    def __enter__(self) -> Steps:
        if self.live:
            self._progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TimeElapsedColumn(),
                                      console=self.console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.title, total=None)
        return self

    def _finish_current(self) -> None:
        if self._current is not None and self.live:
            self.console.print(f"[green]✓[/] {self._current} ({time.perf_counter() - self._t0:.1f} s)",
                               highlight=False)
        self._current = None

    def step(self, name: str) -> None:
        """Start the step ``name`` (the previous one is finished)."""
        self._finish_current()
        self._current = name
        self._t0 = time.perf_counter()
        if self._progress is not None:
            self._progress.update(self._task, description=f"{self.title}: {name}")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self._finish_current()
        if self._progress is not None:
            self._progress.stop()


@contextmanager
def steps(console: Console, title: str) -> Iterator[Steps]:
    """``with steps(err_console, "brief") as s: s.step("forecasting") ...``"""
    with Steps(console, title) as s:
        yield s
