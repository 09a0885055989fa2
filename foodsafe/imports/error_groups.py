"""Errors and set-aside rows grouped by column and reason (错误汇总), with counts and first rows.

A real file can fail on thousands of rows for one reason (8,987 licence numbers in the old
format); a list of 8,987 lines hides that it is one problem. ``group_errors`` folds the list
into one line per (column, reason) with the count and the first few rows; the full list is
kept beside it (the 错误清单 sheet of the error report, ``-v 2`` on the command line).

A reason that names another row ("与第12行重复") is grouped with the same reason naming any
row: the row number is the only thing that differs. ``group_rejected`` does the same for the
rows a mapping profile set aside, by step (ledger) and the rule that set them aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import RowError

#: Rows shown with each group (the full list is kept elsewhere).
FIRST_ROWS = 5

_ROW_IN_REASON = re.compile(r"第\d+行")


@dataclass(frozen=True)
class ErrorGroup:
    """All errors with one column and one reason: how many, and the first rows they are on."""

    column: str
    reason: str
    count: int
    rows: tuple[int, ...]
    #: The first error's cell value, as an example of what the file holds.
    example: str = ""

    def rows_text(self) -> str:
        """``2、3、7、9、12…`` (``…`` when there are more than the rows shown)."""
        shown = "、".join(str(r) for r in self.rows) or "—"
        return shown + ("…" if self.count > len(self.rows) else "")

    def __str__(self) -> str:
        column = self.column or "（整个文件）"
        example = f"，如“{self.example}”" if self.example else ""
        return f"{column}：{self.reason} — {self.count}处，第{self.rows_text()}行{example}"


def reason_key(reason: str) -> str:
    """The reason with any row number it names replaced, so such reasons group together."""
    return _ROW_IN_REASON.sub("第…行", reason)


def group_errors(errors: Iterable[RowError], *, first: int = FIRST_ROWS) -> list[ErrorGroup]:
    """One group per (column, reason), the largest first (then by first row, column)."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for error in errors:
        key = (error.column, reason_key(error.reason))
        entry = groups.get(key)
        if entry is None:
            groups[key] = [1, [error.row] if error.row else [], error.value]
            continue
        entry[0] += 1
        if error.row and len(entry[1]) < first:
            entry[1].append(error.row)
    out = [
        ErrorGroup(column, reason, count, tuple(sorted(rows)), example)
        for (column, reason), (count, rows, example) in groups.items()
    ]
    return sorted(out, key=lambda g: (-g.count, g.rows[:1] or (0,), g.column))


@dataclass(frozen=True)
class SetAsideGroup:
    """Rows that one rule of a profile step set aside: the step's ledger, the rule, how many."""

    file: str
    ledger: str
    check: str
    count: int
    rows: tuple[int, ...]
    #: The first row's reason (reasons are templates, so each row's text differs a little).
    example: str

    def rows_text(self) -> str:
        shown = "、".join(str(r) for r in self.rows) or "—"
        return shown + ("…" if self.count > len(self.rows) else "")


def group_rejected(rejected: Sequence[Any], *, first: int = FIRST_ROWS) -> list[SetAsideGroup]:
    """Set-aside rows (``profiles.Rejected``) grouped by file, step ledger and rule, in file order."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for r in rejected:
        key = (r.file, r.ledger, r.check)
        entry = groups.setdefault(key, [0, [], r.reason])
        entry[0] += 1
        if len(entry[1]) < first:
            entry[1].append(r.row)
    return [
        SetAsideGroup(file, ledger, check, count, tuple(rows), example)
        for (file, ledger, check), (count, rows, example) in groups.items()
    ]
