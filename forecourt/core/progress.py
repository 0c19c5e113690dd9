"""Progress bars for long-running commands: shown on a terminal, silent in CI and cron."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from tqdm import tqdm


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress[T](items: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterator[T]:
    yield from tqdm(items, total=total, desc=desc, disable=not interactive(), leave=False)
