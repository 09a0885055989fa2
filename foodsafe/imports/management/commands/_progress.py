"""A progress bar for the import commands, drawn on stderr (no dependency).

On a terminal it redraws one line (``导入 [#######·······]  45%  45,000/100,000 行``); when
stderr is a file or a pipe it writes a plain line at each tenth instead, and nothing at all for
a file of fewer than ``PLAIN_MIN_ROWS`` rows, so logs and tests of small files stay clean.
"""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper

WIDTH = 30
PLAIN_MIN_ROWS = 5000


class ProgressBar:
    """Call with (row number reached, last row or None) after each chunk; ``close`` at the end."""

    def __init__(self, stream: OutputWrapper, *, label: str = "导入"):
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.drawn = False
        self.next_tenth = 1

    def __call__(self, reached: int, last: int | None) -> None:
        if self.tty:
            self._draw(reached, last)
        elif last is not None and last >= PLAIN_MIN_ROWS:
            # One line when a chunk passes one tenth or more, with the share it reached.
            tenth = min(reached * 10 // last, 10)
            if tenth >= self.next_tenth:
                self.stream.write(f"{self.label}：已处理 {reached:,}/{last:,} 行（{tenth * 10}%）")
                self.next_tenth = tenth + 1

    def _draw(self, reached: int, last: int | None) -> None:
        seconds = max(time.monotonic() - self.started, 1e-6)
        rate = f"{reached / seconds:,.0f} 行/秒"
        if last:
            share = min(reached / last, 1.0)
            filled = round(share * WIDTH)
            bar = "#" * filled + "·" * (WIDTH - filled)
            text = f"\r{self.label} [{bar}] {share:4.0%}  {reached:,}/{last:,} 行  {rate}"
        else:
            text = f"\r{self.label} {reached:,} 行  {rate}"
        self.stream.write(text, ending="")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("")
            self.drawn = False
