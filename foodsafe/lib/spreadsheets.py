"""How every .xlsx the application writes stores text: as text, never as a formula.

A cell value starting with "=" (an imported name "=1+1", or "=HYPERLINK(...)" planted in a
ledger) would otherwise become a live formula: it reads back empty or computed, and a link
formula can leak data when the file is opened (CSV/formula injection, OWASP). XlsxWriter turns
strings into formulas, numbers and links by default; ``TEXT_CELLS`` switches that off.
openpyxl does the same on assignment; ``put_text`` writes through it as text.
"""

from __future__ import annotations

from typing import Any

#: XlsxWriter ``Workbook`` options: strings stay strings.
TEXT_CELLS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def put_text(sheet: Any, *, row: int, column: int, value: Any) -> Any:
    """Write ``value`` at (``row``, ``column``) of an openpyxl ``sheet``; a string as text even
    when it starts with "=". Returns the cell."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell
