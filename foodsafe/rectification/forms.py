"""Forms of the rectification pages: they shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit
from foodsafe.programme.models import TaskItem

from .models import Source, State
from .services import DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS


class RectificationForm(forms.Form):
    """A problem put on the ledger by hand (the office) or from a review (a reviewer)."""

    title = forms.CharField(label="问题", max_length=300)
    description = forms.CharField(
        label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_unit = forms.ModelChoiceField(
        label="责任单位", queryset=ResponsibleUnit.objects.order_by("code")
    )
    source = forms.ChoiceField(label="问题来源", choices=Source.choices)
    working_days = forms.IntegerField(
        label="整改期限（工作日）",
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=DEFAULT_WORKING_DAYS,
        help_text="按国务院公布的节假日安排计算工作日（含调休上班日），登记当日不计。",
    )
    created_on = forms.DateField(
        label="登记日期",
        required=False,
        help_text="留空为今天。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    item = forms.ModelChoiceField(
        label="对应任务",
        required=False,
        queryset=TaskItem.objects.select_related("programme").order_by("programme_id", "number"),
    )
    indicator_code = forms.CharField(label="对应指标代码", max_length=60, required=False)
    org_unit = forms.CharField(
        label="区划代码", max_length=12, required=False, help_text="12 位统计用区划代码，可留空。"
    )

    def __init__(self, *args: Any, reviewer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reviewer:
            # A reviewer's findings are always "评审发现".
            self.fields["source"].choices = [(Source.REVIEW, Source.REVIEW.label)]  # type: ignore[attr-defined]
            self.fields["source"].initial = Source.REVIEW

    def clean_org_unit(self) -> OrgUnit | None:
        code = (self.cleaned_data.get("org_unit") or "").strip()
        if not code:
            return None
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError("没有这个区划代码。")
        return unit


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=State.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeasuresForm(forms.Form):
    measures = forms.CharField(
        label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FromIndicatorForm(forms.Form):
    """The scorecard's one-click button: which indicator of which unit and period."""

    org_code = forms.RegexField(regex=r"^\d{12}$")
    period = forms.CharField(max_length=10)
    indicator = forms.RegexField(regex=r"^[a-z][a-z0-9_]*$", max_length=60)


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *State.choices]
    )
    unit = forms.ModelChoiceField(
        label="责任单位",
        required=False,
        queryset=ResponsibleUnit.objects.none(),
        empty_label="全部单位",
    )
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
