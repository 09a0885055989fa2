"""The 材料报送 archive (plan 四（二）2): one zip per module or for the whole district, ready to
hand to reviewers.

Layout (each name cleaned by :func:`safe_component`)::

    1-基础工作/
      资料清单目录.xlsx, 资料清单目录.docx      the module's catalogue (all its units)
      自查说明/区市场监管局.txt (+ -附件.pdf)   each unit's 自查说明 and its attachment
      第01项-党政同责/区委办公室/第01项-区委办公室-<材料名称>.pdf
    资料清单总目录.xlsx                          (whole-district archive only)

The zip is written into a temporary file, one evidence file at a time copied in 1 MiB chunks,
so a large district never sits in memory; names are UTF-8 (Python sets the zip's UTF-8 flag,
bit 11, on every non-ASCII name). Approved files only: a file waiting for review or rejected is
not material to hand over.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.utils import timezone

from foodsafe.lib.sizes import size_text
from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit
from foodsafe.programme.spec import GroupSpec, ProgrammeSpec

from . import selectors
from .models import MaterialFiling

CHUNK = 1024 * 1024
#: Characters Windows, macOS or a zip tool treat specially in a path component.
_FORBIDDEN = set('/\\:*?"<>|')
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
#: Stored (not deflated) types: already compressed, deflating them again only costs CPU.
_STORED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx")


def safe_component(name: str, *, limit: int = 80) -> str:
    """``name`` as one path component inside the zip: Chinese kept (NFC), no separators,
    control or reserved characters, no leading/trailing dots or spaces (so never ``..``), not a
    Windows device name, at most ``limit`` characters with the extension kept."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(
        "_" if ch in _FORBIDDEN else ch for ch in text if unicodedata.category(ch)[0] != "C"
    )
    text = text.strip(" .")
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10 or not stem:
        stem, dot, ext = text, "", ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    room = max(1, limit - len(dot + ext))
    text = (stem[:room].rstrip(" .") or "未命名") + dot + ext
    return text or "未命名"


def unique_path(path: str, taken: set[str]) -> str:
    """``path``, or ``name（2）.ext`` … when an entry of that name is already in the zip
    (two files with the same title in one folder)."""
    candidate, n = path, 1
    while candidate.casefold() in taken:
        n += 1
        head, dot, ext = path.rpartition(".")
        if "/" in ext or not dot:
            head, dot, ext = path, "", ""
        candidate = f"{head}（{n}）{dot}{ext}"
    taken.add(candidate.casefold())
    return candidate


@dataclass
class ArchiveSummary:
    files: int
    missing_files: list[str]
    modules: int


CATALOGUE_HEADERS = (
    "序号", "模块", "任务", "责任单位", "材料要求", "材料名称", "归档文件", "大小", "审核通过时间", "备注",
)  # fmt: skip
_WIDTHS = (6, 14, 24, 18, 30, 30, 60, 10, 18, 24)


def _local(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def catalogue_rows(lines: list[selectors.CatalogueLine]) -> list[tuple[str, ...]]:
    return [
        (
            str(n),
            selectors.module_folder(line.group),
            f"第{line.item_number}项 {line.item_title}",
            line.unit.name,
            line.evidence.requirement or "其他材料",
            line.evidence.title,
            line.archive_path,
            size_text(line.evidence.size),
            _local(line.evidence.reviewed_at),
            line.note,
        )
        for n, line in enumerate(lines, start=1)
    ]


def catalogue_xlsx(lines: list[selectors.CatalogueLine], *, title: str) -> bytes:
    """The catalogue as an Excel sheet: title, date, header, one row per approved file."""
    import io

    import xlsxwriter

    from foodsafe.lib.spreadsheets import TEXT_CELLS

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **TEXT_CELLS})
    sheet = book.add_worksheet("资料清单目录")
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, bold)
    sheet.write(1, 0, f"生成时间 {_local(timezone.now())} · 共 {len(lines)} 份审核通过的材料")
    for col, (text, width) in enumerate(zip(CATALOGUE_HEADERS, _WIDTHS, strict=True)):
        sheet.write(2, col, text, head)
        sheet.set_column(col, col, width)
    for r, row in enumerate(catalogue_rows(lines), start=3):
        for col, text in enumerate(row):
            sheet.write_string(r, col, text, cell)
    sheet.autofilter(2, 0, 2 + len(lines), len(CATALOGUE_HEADERS) - 1)
    sheet.freeze_panes(3, 0)
    book.close()
    return out.getvalue()


def catalogue_docx(
    lines: list[selectors.CatalogueLine],
    *,
    title: str,
    units: list[ResponsibleUnit],
    filings: dict[int, MaterialFiling],
    example: bool,
) -> bytes:
    """The catalogue in Word (official-document layout): per unit, its 自查说明 and its files."""
    from foodsafe.reports import official

    doc = official.official_document(title=title, example=example)
    official.title(doc, title)
    official.centred(doc, f"（{timezone.localdate():%Y年%m月%d日}）")
    for n, unit in enumerate(units, start=1):
        official.heading(doc, f"{_cn(n)}、{unit.name}", level=1)
        filing = filings.get(unit.pk)
        official.heading(doc, "（一）自查说明", level=2)
        if filing is None or not filing.self_check_text:
            official.body(doc, "（未报送自查说明）")
        else:
            for paragraph in filing.self_check_text.splitlines():
                if paragraph.strip():
                    official.body(doc, paragraph.strip())
            if filing.status != "submitted":
                official.body(doc, "（暂存，尚未报送）")
        official.heading(doc, "（二）资料清单目录", level=2)
        own = [line for line in lines if line.unit.pk == unit.pk]
        if not own:
            official.body(doc, "（尚无审核通过的材料）")
            continue
        official.table(
            doc,
            ("序号", "任务", "材料名称", "归档文件", "备注"),
            [
                (
                    str(i),
                    f"第{line.item_number}项 {line.item_title}",
                    line.evidence.title,
                    line.archive_path.rpartition("/")[2],
                    line.note,
                )
                for i, line in enumerate(own, start=1)
            ],  # fmt: skip
            (10, 32, 42, 50, 22),
        )
    return official.to_bytes(doc)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def notes_text(unit: ResponsibleUnit, group: GroupSpec, filing: MaterialFiling | None) -> bytes:
    """A unit's 自查说明 as a text file (UTF-8 with BOM and CRLF, so Notepad shows Chinese)."""
    if filing is None:
        lines = [f"{unit.name} {group.title} 自查说明", "", "（未报送自查说明）"]
    else:
        state = (
            f"已报送 {_local(filing.submitted_at)}"
            if filing.status == "submitted"
            else "暂存，尚未报送"
        )
        lines = [f"{unit.name} {group.title} 自查说明（{state}）", "", filing.self_check_text]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def archive_write(
    *, spec: ProgrammeSpec, group: GroupSpec | None, user: Any, out: IO[bytes]
) -> ArchiveSummary:
    """Write the archive of module ``group`` (every module when None) to ``out``: the files
    ``user`` may see (the office and reviewers: all units)."""
    modules = [group] if group is not None else sorted(spec.groups, key=lambda g: g.number)
    example = OrgUnit.objects.filter(is_example=True).exists()
    taken: set[str] = set()
    missing: list[str] = []
    n_files = 0
    all_lines: list[selectors.CatalogueLine] = []
    filings = list(MaterialFiling.objects.filter(programme_code=spec.programme.code))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for module in modules:
            folder = safe_component(selectors.module_folder(module))
            lines = selectors.catalogue_lines(spec=spec, group=module, user=user)
            for line in lines:
                line.archive_path = unique_path(
                    "/".join((
                        folder,
                        safe_component(f"第{line.item_number:02d}项-{line.item_title}"),
                        safe_component(line.unit.name),
                        safe_component(line.file_name),
                    )),
                    taken,
                )  # fmt: skip
                if _copy_into(zf, line.archive_path, line.evidence.file):
                    n_files += 1
                else:
                    missing.append(line.archive_path)
            assigned = list(
                {
                    a.responsible_unit_id: a.responsible_unit
                    for a in selectors.module_assignments(spec=spec, group=module, user=user)
                }.values()
            )
            own = {f.responsible_unit_id: f for f in filings if f.group_code == module.code}
            title = f"{spec.programme.name}资料清单目录（{module.title}）"
            zf.writestr(f"{folder}/资料清单目录.xlsx", catalogue_xlsx(lines, title=title))
            zf.writestr(
                f"{folder}/资料清单目录.docx",
                catalogue_docx(lines, title=title, units=assigned, filings=own, example=example),
            )
            for unit in assigned:
                name = safe_component(unit.name)
                filing = own.get(unit.pk)
                zf.writestr(
                    unique_path(f"{folder}/自查说明/{name}.txt", taken),
                    notes_text(unit, module, filing),
                )
                if filing is not None and filing.self_check_file:
                    ext = (filing.self_check_file.name or "").rpartition(".")[2]
                    path = unique_path(f"{folder}/自查说明/{name}-附件.{ext}", taken)
                    if not _copy_into(zf, path, filing.self_check_file):
                        missing.append(path)
            all_lines += lines
        if group is None:
            zf.writestr(
                "资料清单总目录.xlsx",
                catalogue_xlsx(all_lines, title=f"{spec.programme.name}资料清单总目录"),
            )
        if missing:
            zf.writestr(
                "缺失文件.txt",
                (
                    "\ufeff存储中找不到以下文件（请联系管理员）：\r\n" + "\r\n".join(missing)
                ).encode(),
            )
    return ArchiveSummary(files=n_files, missing_files=missing, modules=len(modules))


def _copy_into(zf: zipfile.ZipFile, path: str, field_file: Any) -> bool:
    """Copy one stored file into the zip in chunks; False when storage no longer has it."""
    info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = (
        zipfile.ZIP_STORED if path.lower().endswith(_STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
    )
    try:
        source = field_file.storage.open(field_file.name, "rb")
    except (FileNotFoundError, OSError):
        return False
    with source, zf.open(info, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, CHUNK)
    return True


def archive_tempfile(*, spec: ProgrammeSpec, group: GroupSpec | None, user: Any) -> IO[bytes]:
    """The archive in an anonymous temporary file (deleted when closed), rewound."""
    handle = tempfile.TemporaryFile(prefix="foodsafe-materials-")  # noqa: SIM115 - closed by the response
    try:
        archive_write(spec=spec, group=group, user=user, out=handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
