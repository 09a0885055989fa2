"""The 材料报送 form: it only shapes input; the service decides (file checks, scope)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from foodsafe.evidence.forms import ACCEPT_ATTR
from foodsafe.evidence.sniffing import ACCEPTED_TEXT


class FilingForm(forms.Form):
    self_check_text = forms.CharField(
        label=_("自查说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("本模块任务的完成情况、存在问题和下一步措施。"),
    )
    self_check_file = forms.FileField(
        label=_("自查说明附件（可选）"),
        required=False,
        help_text=ACCEPTED_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )
