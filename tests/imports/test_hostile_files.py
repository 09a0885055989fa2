"""Hostile and quirky files through the importer (issue 9, "hostile inputs tried and rows lost"):
every file is either imported exactly (every row present with the value typed) or refused whole
(no ledger row and no log row written). A file imported with a row missing or a value changed is
a lost row; the target is 0.

``CASES`` is the list tried; each builds its file in a temporary directory. An ``expect`` of
``REFUSED`` (with words the reason must contain) says the file must be refused; otherwise it maps
each key to the values that must be stored. ``test_summary`` prints the counts for the lead's
note (run with ``-s``): files tried, imported exactly, refused whole, rows lost.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.services import ledger_import
from foodsafe.orgunits.models import Population
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch

from .helpers import row_counts, write_csv
from .test_bad_files import district  # noqa: F401  (org units 120101001000/2000, business B0001)
from .test_real_file_quirks import quirks

SUB = quirks.SUB
HEADER = quirks.HEADER
row = quirks.row

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = '"><script>window.__xss=2</script>'
SVG = "<svg onload=alert(3)>"
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://example.invalid","点击")',
    "\t=1+1",
]


@dataclass(frozen=True)
class Refused:
    words: tuple[str, ...]


def REFUSED(*words: str) -> Refused:  # noqa: N802  (reads as a constant in the table)
    return Refused(words)


@dataclass(frozen=True)
class Case:
    name: str
    ledger: str
    build: Callable[[Path], Path]
    #: ``Refused`` or {key: {field: value}} of the rows that must be stored exactly.
    expect: Refused | dict[str, dict[str, Any]]


def businesses_csv(name: str, rows: list[list[Any]], encoding: str = "utf-8") -> Callable:
    def build(tmp: Path) -> Path:
        return write_csv(tmp / name, [HEADER, *rows], encoding=encoding)

    return build


def businesses_xlsx(name: str, rows: list[list[Any]]) -> Callable:
    """Every cell written as a string (XlsxWriter would turn "=…" into a formula)."""

    def build(tmp: Path) -> Path:
        path = tmp / name
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("经营者")
        for r, values in enumerate([HEADER, *rows]):
            for c, value in enumerate(values):
                sheet.write_string(r, c, str(value))
        book.close()
        return path

    return build


def named(names: list[str], prefix: str) -> dict[str, dict[str, Any]]:
    return {f"{prefix}{n:02d}": {"name": name} for n, name in enumerate(names)}


def rows_of(expected: dict[str, dict[str, Any]], typed: list[str] | None = None) -> list[list[Any]]:
    """Rows with the expected names, or with ``typed`` names when the file holds other text."""
    names = typed or [values["name"] for values in expected.values()]
    return [row(key, name) for key, name in zip(expected, names, strict=True)]


XSS = named([IMG, SCRIPT, SVG, "超市\u202e示例", "🍜面馆"], "X")
FORMULA = named(FORMULAS, "F")
# Every cell is trimmed of surrounding whitespace, a tab included (the reader's rule for all
# text): "\t=1+1" is stored as "=1+1", still text, never evaluated.
FORMULA["F05"] = {"name": "=1+1"}
GBK = named([IMG, SCRIPT, "和平路菜市场"], "G")


def overlong(tmp: Path) -> Path:
    return write_csv(tmp / "overlong.csv", [HEADER, row("L01", "名" * 201)])


def mixed_encoding(tmp: Path) -> Path:
    """A UTF-8 file with one row pasted in from a GBK file: its bytes are not UTF-8."""
    path = tmp / "mixed_encoding.csv"
    head = ",".join(HEADER) + "\r\n" + ",".join(map(str, row("M01", "和平超市"))) + "\r\n"
    tail = ",".join(map(str, row("M02", "南市食品街"))) + "\r\n"
    path.write_bytes(head.encode("utf-8") + tail.encode("gbk"))
    return path


def utf16(tmp: Path) -> Path:
    """UTF-16 LE with a BOM, as Excel's "Unicode text" (here comma-separated)."""
    path = tmp / "utf16.csv"
    text = "\r\n".join(",".join(map(str, r)) for r in [HEADER, row("U01", "和平超市")]) + "\r\n"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


def nul_in_cell(tmp: Path) -> Path:
    """A NUL character inside a name, past the first 8 KiB (where the upload form's binary
    check looks): PostgreSQL cannot store it in text."""
    path = tmp / "nul.csv"
    rows = [row(f"N{n:03d}", f"正常名称{n}") for n in range(300)] + [row("N999", "名\x00称")]
    write_csv(path, [HEADER, *rows])
    return path


def huge_row(tmp: Path) -> Path:
    """A 20 MB cell (it compresses to about 20 KB): a decompression bomb in one row."""
    path = tmp / "huge_row.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="经营者" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData><row r="1">{header}</row><row r="2">'
            '<c r="A2" t="inlineStr"><is><t>H01</t></is></c><c r="B2" t="inlineStr"><is><t>'
            + "A" * (20 * 2**20)
            + "</t></is></c></row></sheetData></worksheet>",
        )
    return path


def far_empty_cell(tmp: Path) -> Path:
    """Two rows, and a formatted empty cell at XFD1048576 (the sheet's last cell): refused
    whole, naming the cell (the reader reads at most to column ZZ)."""
    path = tmp / "far_cell.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("经营者")
    for r, values in enumerate([HEADER, row("E01", "一号店"), row("E02", "二号店")]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, str(value))
    sheet.write_blank(1_048_575, 16_383, None, book.add_format({"bold": True}))
    book.close()
    return path


def population(name: str, values: list[Any]) -> Callable:
    def build(tmp: Path) -> Path:
        rows = [["区划代码", "年度", "常住人口"]]
        rows += [
            [code, 2021, value]
            for code, value in zip((SUB, quirks.SUB[:-4] + "2000"), values, strict=False)
        ]
        return write_csv(tmp / name, rows)

    return build


def duplicate_keys(tmp: Path) -> Path:
    return write_csv(tmp / "dup.csv", [HEADER, row("D01", "一号店"), row("D01", "又一个一号店")])


def codes_importable(tmp: Path) -> Path:
    path = quirks.codes_csv(tmp)
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:6]), encoding="utf-8-sig")
    return path


CASES = [
    # -- names that would run as script or formula: stored exactly as typed -------------------
    Case("XSS names (CSV)", "businesses", businesses_csv("xss.csv", rows_of(XSS)), XSS),
    Case("XSS names (.xlsx)", "businesses", businesses_xlsx("xss.xlsx", rows_of(XSS)), XSS),
    Case("XSS names (GBK CSV)", "businesses", businesses_csv("gbk.csv", rows_of(GBK), "gbk"), GBK),
    Case(
        "formula injection (CSV)",
        "businesses",
        businesses_csv("f.csv", rows_of(FORMULA, FORMULAS)),
        FORMULA,
    ),
    Case(
        "formula injection (.xlsx)",
        "businesses",
        businesses_xlsx("f.xlsx", rows_of(FORMULA, FORMULAS)),
        FORMULA,
    ),
    # -- sizes and encodings -------------------------------------------------------------------
    Case("overlong name (201 characters)", "businesses", overlong, REFUSED("长度超过200个字符")),
    Case("mixed UTF-8 and GBK bytes", "businesses", mixed_encoding, REFUSED()),
    Case("UTF-16 LE CSV", "businesses", utf16, {"U01": {"name": "和平超市"}}),
    Case("NUL inside a cell", "businesses", nul_in_cell, REFUSED()),
    Case("20 MB cell (decompression bomb)", "businesses", huge_row, REFUSED("16 MB")),
    Case(
        "formatted cell at XFD1048576",
        "businesses",
        far_empty_cell,
        REFUSED("XFD1048576", "ZZ"),
    ),
    Case("duplicate key in one file", "businesses", duplicate_keys, REFUSED("重复")),
    # -- mixed units: 万人 typed beside 人 -------------------------------------------------------
    Case(
        "population in 万人 beside 人",
        "population",
        population("pop.csv", ["35.5万", 180000]),
        REFUSED(),
    ),
    Case(
        "population 35.5 (万人 without the unit)",
        "population",
        population("pop2.csv", [35.5]),
        REFUSED(),
    ),
    # -- real-file quirks (tests/data/make_quirks.py) --------------------------------------------
    Case(
        "1904 workbook (XlsxWriter)",
        "businesses",
        quirks.date1904_xlsxwriter,
        {"Q0101": {"opened_on": date(2026, 4, 1)}, "Q0102": {"opened_on": date(2021, 8, 17)}},
    ),
    Case(
        "1904 workbook (openpyxl)",
        "businesses",
        quirks.date1904_openpyxl,
        {"Q0111": {"opened_on": date(2026, 4, 1)}},
    ),
    Case(
        "1904 workbook (.xls)",
        "sampling",
        quirks.date1904_xls,
        {
            "DC21120101000051": {"sampled_on": date(2025, 8, 18)},
            "DC21120101000052": {"sampled_on": date(2025, 8, 19)},
        },
    ),
    Case(
        "formulas without values (XlsxWriter)",
        "businesses",
        quirks.formulas_xlsxwriter,
        REFUSED("公式未计算"),
    ),
    Case(
        "formulas without values (openpyxl)",
        "businesses",
        quirks.formulas_openpyxl,
        REFUSED("公式未计算"),
    ),
    Case(
        "invisible characters, middle dot, personal ID",
        "businesses",
        quirks.codes_csv,
        REFUSED("疑似身份证号"),
    ),
    Case(
        "invisible characters only (rows 2–6)",
        "businesses",
        codes_importable,
        {f"Q030{n}": {"uscc": quirks.code(n)} for n in (1, 2, 3)},
    ),
    Case(
        "hidden sheet and hidden row",
        "businesses",
        quirks.hidden,
        {"Q0401": {"name": "可见行"}, "Q0402": {"name": "隐藏行"}, "Q0403": {"name": "可见行二"}},
    ),
    Case(
        "dates with a time of day",
        "businesses",
        quirks.timed_dates,
        {k: {"opened_on": date(2026, 4, 1)} for k in ("Q0501", "Q0502", "Q0503")},
    ),
]

MODELS = {
    "businesses": (FoodBusiness, "registry_number"),
    "sampling": (SamplingBatch, "sample_number"),
    "population": (Population, "org_unit_id"),
}


def run(case: Case, tmp: Path) -> tuple[str, int, int]:
    """Import ``case``'s file; return (outcome, rows expected, rows stored exactly)."""
    path = case.build(tmp)
    before = row_counts()
    try:
        result = ledger_import(ledger=case.ledger, path=path)
    except ImportValidationError as exc:
        assert row_counts() == before, f"{case.name}: refused but rows were written"
        if isinstance(case.expect, Refused):
            reasons = " ".join(e.reason for e in exc.errors)
            missing = [w for w in case.expect.words if w not in reasons]
            assert not missing, f"{case.name}: reason lacks {missing}: {reasons[:300]}"
            # Every refusal names where: the file, and a row and column or the whole file.
            assert all(e.file == path.name for e in exc.errors), case.name
        return "refused", 0, 0
    expected = {} if isinstance(case.expect, Refused) else case.expect
    model, key = MODELS[case.ledger]
    stored = {
        str(getattr(o, key)): o for o in model.objects.filter(**{f"{key}__in": list(expected)})
    }
    exact = sum(
        1
        for k, values in expected.items()
        if k in stored and all(getattr(stored[k], f) == v for f, v in values.items())
    )
    assert result.added + result.updated >= len(expected), case.name
    return "imported", len(expected), exact


@pytest.mark.usefixtures("district")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_imported_exactly_or_refused_whole(case, tmp_path):
    outcome, expected, exact = run(case, tmp_path)
    if isinstance(case.expect, Refused):
        assert outcome == "refused", f"{case.name} was imported; it must be refused"
    else:
        assert outcome == "imported", f"{case.name} was refused; it must import"
        assert exact == expected, f"{case.name}: {expected - exact} rows lost or changed"


@pytest.mark.usefixtures("district")
def test_summary(tmp_path, capsys):
    """The counts for the lead's note, one run over every case (each in its own transaction)."""
    from django.db import transaction

    totals = {"tried": 0, "imported": 0, "refused": 0, "rows": 0, "lost": 0}
    lines = []
    for n, case in enumerate(CASES):
        sid = transaction.savepoint()
        tmp = tmp_path / str(n)
        tmp.mkdir()
        outcome, expected, exact = run(case, tmp)
        transaction.savepoint_rollback(sid)
        totals["tried"] += 1
        totals[outcome] += 1
        totals["rows"] += expected
        totals["lost"] += expected - exact
        lines.append(f"{case.name:48} {outcome:9} rows {expected:2} exact {exact:2}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
        print(
            f"hostile files tried {totals['tried']}: imported exactly {totals['imported']}, "
            f"refused whole {totals['refused']}; rows expected {totals['rows']}, "
            f"rows lost {totals['lost']}"
        )
    assert totals["lost"] == 0
