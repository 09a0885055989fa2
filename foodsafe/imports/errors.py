"""Errors of an import: one ``RowError`` per bad cell, all of them in ``ImportValidationError``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file, located as the user sees it in Excel.

    ``row`` is the 1-based row number in the sheet (the header row is row 1 when the table starts
    at the top; 0 for a problem with the whole file); ``column`` is the column header as written
    in the file (empty for a whole-file problem); ``value`` is the cell as text; ``reason`` is in
    Chinese.
    """

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        """``file:sheet:row:column: value — reason``; a whole-file problem without the empty
        sheet, row 0 and column (``file: reason``), a CSV file without the sheet."""
        where = [self.file, self.sheet, str(self.row) if self.row else "", self.column]
        value = f"{self.value} — " if self.value else ""
        return f"{':'.join(part for part in where if part)}: {value}{self.reason}"


class ImportValidationError(Exception):
    """Raised when any row of an import fails; nothing was written. ``errors`` lists them all."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors: list[RowError] = list(errors)
        first = f": {self.errors[0]}" if self.errors else ""
        super().__init__(
            f"导入校验失败，共 {len(self.errors)} 处错误 / import failed with "
            f"{len(self.errors)} error(s){first}"
        )


class UnknownLedgerError(ValueError):
    """The ledger name is not one of the defined ledgers."""
