"""工作简报 as a Word document in the official-document layout (``reports.official``): the red
masthead (简报名称), 第 N 期, the issuing office and date over a red rule, then each chosen
report's title, unit and text. python-docx loads only when a bulletin is made."""

from __future__ import annotations

from foodsafe.orgunits.models import OrgUnit

from .models import Bulletin, InfoReport


def bulletin_docx(bulletin: Bulletin, reports: list[InfoReport]) -> bytes:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    from foodsafe.reports import official

    example = OrgUnit.objects.filter(is_example=True).exists()
    doc = official.official_document(title=f"{bulletin.title}（{bulletin}）", example=example)
    official.title(doc, bulletin.title, size=26, red=True)
    official.centred(doc, f"{bulletin.year}年第{bulletin.number}期")
    line = official.body(doc, indent=False)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{bulletin.issuer}\t{bulletin.issued_on.year}年{bulletin.issued_on.month}月"
                 f"{bulletin.issued_on.day}日")  # fmt: skip
    # The red rule under the masthead (版头中的分隔线): a bottom border on that paragraph.
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "4"),
        ("w:color", "C00000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    line._p.get_or_add_pPr().append(borders)
    official.body(doc)
    for n, report in enumerate(reports, start=1):
        official.heading(doc, f"{_cn(n)}、{report.title}", level=1)
        official.centred(doc, f"（{report.responsible_unit.name}）", font="楷体_GB2312")
        for paragraph in report.body.splitlines():
            if paragraph.strip():
                official.body(doc, paragraph.strip())
    return official.to_bytes(doc)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
