"""Forms of the evidence pages: they only shape input; the services decide (file checks, rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACCEPT_ATTR = ".pdf,.png,.jpg,.jpeg,.docx,.doc,.xlsx,.xls"
OTHER_REQUIREMENT = ""

# The accepted types as the file field's help reads them; in Chinese the same words as
# sniffing.ACCEPTED_TEXT (a test keeps the two in step), spelt out here so that makemessages
# finds the message.
FILE_HELP = _(
    "可上传 PDF、图片（PNG/JPEG）、Word（.docx/.doc）、Excel（.xlsx/.xls）；按文件内容判断类型。"
)


class EvidenceUploadForm(forms.Form):
    """An evidence file for an item × unit: which requirement it answers, a title, the file."""

    requirement = forms.ChoiceField(label=_("对应材料要求"), required=False)
    title = forms.CharField(label=_("材料名称"), max_length=200)
    period = forms.CharField(
        label=_("所属期间"),
        max_length=7,
        required=False,
        help_text=_("如 2021、2021Q1；不填为方案年度。材料只计入包含该期间的评估。"),
    )
    org_unit = forms.CharField(
        label=_("所属区划代码"),
        max_length=12,
        required=False,
        help_text=_("12 位区划代码，如某街道；不填为全区。材料只计入该区划及其上级的评估。"),
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )

    def __init__(self, *args: Any, requirements: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(r, r) for r in requirements or []]
        choices.append((OTHER_REQUIREMENT, gettext("其他材料（不对应材料要求）")))
        self.fields["requirement"].choices = choices  # type: ignore[attr-defined]


class RectificationEvidenceForm(forms.Form):
    """An evidence file showing a rectification was put right."""

    title = forms.CharField(label=_("材料名称"), max_length=200)
    file = forms.FileField(
        label=_("文件"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("审核通过")), ("reject", _("退回"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必须填写理由。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回材料须填写理由。"))
        return data
