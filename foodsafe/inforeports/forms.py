"""Forms of the 信息报送 page: they only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from foodsafe.evidence.forms import ACCEPT_ATTR
from foodsafe.evidence.sniffing import ACCEPTED_TEXT
from foodsafe.lib.params import PAST_DATE, validate_year_range
from foodsafe.lib.widgets import DateInput

from .models import Frequency


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, initial="创建工作信息月报")
    frequency = forms.ChoiceField(label=_("频次"), choices=Frequency.choices)
    due_workday = forms.IntegerField(
        label=_("截止：下一期第几个工作日"), min_value=1, max_value=23, initial=5
    )
    starts_on = forms.DateField(
        label=_("起始日期"), widget=DateInput(), validators=[validate_year_range]
    )
    ends_on = forms.DateField(
        label=_("结束日期（可空）"),
        required=False,
        widget=DateInput(),
        validators=[validate_year_range],
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("报送期间"))
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("附件（可多选，最多 5 个）"), required=False, help_text=ACCEPTED_TEXT
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]


class BulletinForm(forms.Form):
    issued_on = forms.DateField(label=_("印发日期"), widget=DateInput(), validators=PAST_DATE)
    number = forms.IntegerField(label=_("期号（空：自动编号）"), min_value=1, required=False)
