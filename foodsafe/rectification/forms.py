"""Forms of the rectification pages: they shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from foodsafe.lib.widgets import DateInput
from foodsafe.orgunits.models import Level, OrgUnit, ResponsibleUnit, subtree_prefix
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import TaskItem

from .models import Source, State
from .services import DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS


def indicator_choices() -> list[tuple[str, str]]:
    """The programme's indicators as the 登记问题 form lists them: ``第 N 项 · 名称``."""
    spec = programme_spec()
    return [("", "（不对应具体指标）")] + [
        (i.code, f"第 {i.item} 项 · {i.name}")
        for i in sorted(spec.indicators, key=lambda i: (i.item, i.code))
    ]


class OrgUnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class RectificationForm(forms.Form):
    """A problem put on the ledger by hand: by the office, from a review (a reviewer), or a
    member unit's own finding (its 排查台账: the unit is its own, the source 自查). The
    indicator and the division are picked from lists, not typed as codes."""

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
        widget=DateInput(),
    )
    item = forms.ModelChoiceField(
        label="对应任务",
        required=False,
        queryset=TaskItem.objects.select_related("programme").order_by("programme_id", "number"),
    )
    indicator_code = forms.ChoiceField(label="对应指标", required=False, choices=())
    org_unit = OrgUnitChoice(
        label="区划",
        required=False,
        # District and subdistricts (街道): the level a finding is placed at; a village-level
        # list would run to thousands of entries.
        queryset=OrgUnit.objects.filter(level__lte=Level.TOWNSHIP).order_by("code"),
        empty_label="（不限区划）",
        to_field_name="code",
    )

    def __init__(
        self,
        *args: Any,
        reviewer: bool = False,
        own_unit: Any = None,
        division: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = indicator_choices()  # type: ignore[attr-defined]
        # Only the programme's district and its 街道 (the service refuses any other, N8).
        district = subtree_prefix(programme_spec().programme.org_unit)
        self.fields["org_unit"].queryset = self.fields["org_unit"].queryset.filter(  # type: ignore[attr-defined]
            code__startswith=district
        )
        if division:
            # A 街道 user places its findings in its own 街道 (N7; the service checks too).
            self.fields["org_unit"].queryset = self.fields["org_unit"].queryset.filter(  # type: ignore[attr-defined]
                code__startswith=subtree_prefix(division)
            )
            self.fields["org_unit"].initial = division
            self.fields["org_unit"].empty_label = None  # type: ignore[attr-defined]
        if reviewer:
            # A reviewer's findings are always "评审发现".
            self.fields["source"].choices = [(Source.REVIEW, Source.REVIEW.label)]  # type: ignore[attr-defined]
            self.fields["source"].initial = Source.REVIEW
        if own_unit is not None:
            # A member unit's own 排查台账: its unit only, source 自查.
            self.fields["owner_unit"].queryset = ResponsibleUnit.objects.filter(pk=own_unit.pk)  # type: ignore[attr-defined]
            self.fields["owner_unit"].initial = own_unit.pk
            self.fields["owner_unit"].empty_label = None  # type: ignore[attr-defined]
            self.fields["source"].choices = [(Source.SELF_CHECK, Source.SELF_CHECK.label)]  # type: ignore[attr-defined]
            self.fields["source"].initial = Source.SELF_CHECK


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=State.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeasuresForm(forms.Form):
    measures = forms.CharField(
        label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FromIndicatorForm(forms.Form):
    """The scorecard's one-click button: which indicator of which unit and period."""

    org_code = forms.RegexField(regex=r"^\d{12}$")
    period = forms.CharField(max_length=10)
    indicator = forms.RegexField(regex=r"^[a-z][a-z0-9_]*$", max_length=60)


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "编号、问题或描述"}),
    )
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


class SelfCheckForm(forms.Form):
    """Which unit and phase the 阶段性自查说明 is for (a member unit: its own, no field).
    Plain choices read once (a model choice field would query the units on every render)."""

    unit = forms.TypedChoiceField(label="责任单位", choices=(), coerce=int)
    phase = forms.ChoiceField(label="阶段", choices=())

    def __init__(self, *args: Any, own_unit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = programme_spec()
        self.fields["phase"].choices = [(p.code, f"{p.number}. {p.name}") for p in spec.phases]  # type: ignore[attr-defined]
        self.own_unit = own_unit
        if own_unit is not None:
            del self.fields["unit"]  # a member unit's statement is its own unit's
            return
        self.units = {u.pk: u for u in ResponsibleUnit.objects.order_by("code")}
        self.fields["unit"].choices = [(pk, u.name) for pk, u in self.units.items()]  # type: ignore[attr-defined]

    def chosen_unit(self) -> Any:
        """The unit chosen (or the member unit's own); call after ``is_valid()``."""
        return self.own_unit or self.units[self.cleaned_data["unit"]]
