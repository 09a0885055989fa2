"""Write the example district as the importer's own files: one .xlsx per ledger + manifest.

Headers come from the ledger definitions (``foodsafe.imports.ledgers``), so the files always
match what ``foodsafe import-dir`` expects. Codes are written as their Chinese labels and
booleans as 是/否, as a real ledger would have them. The workbooks' timestamps are fixed, so the
same arguments give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.ledgers.base import Enum, Ledger
from foodsafe.lib.spreadsheets import TEXT_CELLS

#: The fixed "created" time of every workbook, so that output is byte-for-byte reproducible.
CREATED = datetime(2022, 1, 1)  # noqa: DTZ001 - workbook metadata, no timezone in the format


def write_directory(
    out: Path, rows: Mapping[str, list[dict[str, Any]]], readme: str
) -> list[dict[str, str]]:
    """Write every ledger that has rows, ``manifest.json`` and ``README.txt`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for index, (name, ledger) in enumerate(LEDGERS.items(), start=1):
        if not rows.get(name):
            continue
        file_name = f"{index:02d}_{name}.xlsx"
        write_workbook(out / file_name, ledger, rows[name])
        manifest.append({"ledger": name, "file": file_name})
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / "README.txt").write_text(readme, encoding="utf-8")
    return manifest


def write_workbook(path: Path, ledger: Ledger, rows: list[dict[str, Any]]) -> None:
    """One sheet named after the ledger, header in row 1, one row per record."""
    columns = ledger.bound_columns()
    workbook = xlsxwriter.Workbook(str(path), TEXT_CELLS)
    workbook.set_properties(
        {
            "title": f"{ledger.title}（示例数据）",
            "subject": "示例数据 / example data",
            "author": "foodsafe example-district",
            "created": CREATED,
        }
    )
    sheet = workbook.add_worksheet(ledger.title[:31])
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.header, bold)
        sheet.set_column(c, c, max(10, 2 * len(column.header) + 2))
    sheet.freeze_panes(1, 0)
    labels = {
        column.field: dict(column.type.choices)
        for column in columns
        if isinstance(column.type, Enum)
    }
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = row.get(column.field)
            if value is None or value == "":
                continue
            if column.field in labels:
                sheet.write_string(r, c, labels[column.field][value])
            elif isinstance(value, bool):
                sheet.write_string(r, c, "是" if value else "否")
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)  # noqa: DTZ001
            elif isinstance(value, (int, float, Decimal)):
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, str(value))
    workbook.close()
