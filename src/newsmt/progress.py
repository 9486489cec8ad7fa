"""Progress display: a rich bar on a terminal, silence in pipes and logs."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


class _Silent:
    def advance(self, n: int = 1, **_: object) -> None:
        pass

    def add_total(self, n: int) -> None:
        pass


class _Bar:
    def __init__(self, progress, task) -> None:
        self._p, self._t = progress, task

    def advance(self, n: int = 1, **fields: object) -> None:
        self._p.update(self._t, advance=n, **fields)

    def add_total(self, n: int) -> None:
        task = self._p.tasks[self._t]
        self._p.update(self._t, total=(task.total or 0) + n)


@contextmanager
def progress(description: str, total: int | None = None, enabled: bool | None = None) -> Iterator[_Bar | _Silent]:
    """Yield an object with ``advance(n)``; draws a bar only when stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    ) as p:
        yield _Bar(p, p.add_task(description, total=total))
