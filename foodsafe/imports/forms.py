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


#: An uploaded profile is a small YAML text; anything larger is refused unread.
PROFILE_MAX_BYTES = 64 * 1024


def profile_choices() -> list[tuple[str, str]]:
    """ "" (the ledger's own template) and each shipped mapping profile by name and title."""
    from .profiles import available_profiles, load_profile

    choices = [("", "无（文件按台账模板的表头）")]
    for name in available_profiles():
        choices.append((name, f"{load_profile(name).title}（{name}）"))
    return choices


class UploadForm(forms.Form):
    """The upload: a ledger, a file, a sheet; optionally a mapping profile (a shipped one, or
    for the office an uploaded .yaml) and its parameters. ``allow_profile_upload`` is the
    caller's decision (the office only)."""

    ledger = forms.ChoiceField(label="台账", choices=ledger_choices)
    file = forms.FileField(label="文件", help_text="Excel（.xlsx/.xls）或 CSV 文件")
    sheet = forms.CharField(
        label="工作表", required=False, max_length=100, help_text="可不填，默认第一个工作表"
    )
    profile = forms.ChoiceField(
        label="映射配置",
        required=False,
        choices=profile_choices,
        help_text="文件不是本系统模板的格式（如抽检通告、其他系统导出）时选择",
    )
    params = forms.CharField(
        label="配置参数",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个“名称=值”，如 org_unit=120101001000",
    )
    profile_file = forms.FileField(
        label="上传映射配置（.yaml，仅创城办）",
        required=False,
        # Where the guide is and that the file is not kept: a new user (2026-12-07) looked
        # for the uploaded profile in the list above on the next upload.
        help_text=(
            "自己编写的映射配置，只用于这次上传，不保存；写法见 docs/import-profiles.md，"
            "各台账的列见 docs/import-fields.md"
        ),
    )

    def __init__(self, *args, allow_profile_upload: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_profile_upload = allow_profile_upload
        if not allow_profile_upload:
            del self.fields["profile_file"]
        self.kind = ""
        self.profile_obj = None
        self.profile_bytes = b""
        self.param_values: dict[str, str] = {}

    def clean_params(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["params"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise forms.ValidationError(f"第{number}行应写作“名称=值”")
            values[key.strip()] = value.strip()
        return values

    def clean_profile_file(self):
        upload = self.cleaned_data.get("profile_file")
        if not upload:
            return upload
        if upload.size > PROFILE_MAX_BYTES:
            raise forms.ValidationError("映射配置文件过大（不超过64 KB）")
        upload.seek(0)
        data = upload.read()
        from .profiles.upload import parse_uploaded_profile

        try:
            self.profile_obj = parse_uploaded_profile(data, name=upload.name or "profile.yaml")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.profile_bytes = data
        return upload

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("profile")
        if name and cleaned.get("profile_file"):
            raise forms.ValidationError("映射配置只能选一个：选择已有的，或上传一个")
        if name:
            from .profiles import load_profile

            self.profile_obj = load_profile(name)
        if self.profile_obj is not None and "ledger" in cleaned:
            from .profiles.run import ProfileUsageError, pick_source, resolve_params

            try:
                pick_source(self.profile_obj, ledger=cleaned["ledger"], source=None)
                self.param_values = resolve_params(self.profile_obj, cleaned.get("params"))
            except ProfileUsageError as exc:
                raise forms.ValidationError(str(exc).replace("--param ", "")) from exc
        elif cleaned.get("params"):
            self.add_error("params", "没有选择映射配置，不需要参数")
        return cleaned

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
