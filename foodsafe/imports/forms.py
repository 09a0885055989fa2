"""The upload form: a ledger and a file, checked by size and by content before it is kept."""

from __future__ import annotations

from django import forms

from .csv_text import detect_encoding
from .ledgers import LEDGERS
from .readers import OLE2_MAGIC, ReadError, sniff
from .services import max_upload_bytes, too_large_reason

#: First bytes of programs, refused by name whatever the file is called.
_PROGRAMS = ((b"MZ", "Windows 可执行程序"), (b"\x7fELF", "可执行程序"), (b"#!", "脚本"))


def ledger_choices() -> list[tuple[str, str]]:
    return [(name, f"{ledger.title}（{name}）") for name, ledger in LEDGERS.items()]


def file_kind(data: bytes) -> str:
    """ "xlsx", "xls" or "csv" from the bytes (never the name); ``ReadError`` for anything else."""
    for magic, what in _PROGRAMS:
        if data.startswith(magic):
            raise ReadError(f"文件是{what}，不是表格；请上传 Excel（.xlsx/.xls）或 CSV 文件")
    if sniff(data) == "workbook":  # also refuses PDFs, images, Word files, HTML "xls"
        return "xls" if data.startswith(OLE2_MAGIC) else "xlsx"
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("文件不是 Excel 或 CSV 表格（含有二进制内容）")
    detect_encoding(data)
    return "csv"


class UploadForm(forms.Form):
    ledger = forms.ChoiceField(label="台账", choices=ledger_choices)
    file = forms.FileField(label="文件", help_text="Excel（.xlsx/.xls）或 CSV 文件")
    sheet = forms.CharField(
        label="工作表", required=False, max_length=100, help_text="可不填，默认第一个工作表"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_reason(upload.size))
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        try:
            self.kind = file_kind(data)
        except ReadError as exc:
            raise forms.ValidationError(exc.reason) from exc
        return upload
