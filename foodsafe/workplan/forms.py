"""Forms of the workplan pages: they shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from foodsafe.lib.params import PAST_DATE, validate_year_range
from foodsafe.lib.widgets import DateInput
from foodsafe.orgunits.models import ResponsibleUnit

from .models import AttendanceStatus, MeetingKind, Person

DATE = DateInput()


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    post = forms.CharField(label=_("职务"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class TaskPlanForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("责任人"), queryset=Person.objects.none(), required=False
    )
    start_on = forms.DateField(
        label=_("开始日期"), required=False, widget=DATE, validators=[validate_year_range]
    )
    due_on = forms.DateField(
        label=_("完成期限"), required=False, widget=DATE, validators=[validate_year_range]
    )

    def __init__(self, *args: Any, unit_id: int, lock_dates: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = Person.objects.filter(unit_id=unit_id, active=True)  # type: ignore[attr-defined]
        if lock_dates:
            # 会议议定事项和阶段工作的期限由区创城办调整: shown, not editable, for a unit.
            for name in ("start_on", "due_on"):
                self.fields[name].disabled = True


class TaskDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE, validators=PAST_DATE)
    done_note = forms.CharField(
        label=_("完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due_on = forms.DateField(label=_("计划完成日期"), widget=DATE, validators=[validate_year_range])


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("实际完成日期"), widget=DATE, validators=PAST_DATE)
    evidence_url = forms.CharField(label=_("佐证链接"), max_length=300, required=False)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE, validators=PAST_DATE)
    place = forms.CharField(label=_("地点"), max_length=200)
    chair = forms.CharField(label=_("主持人"), max_length=60)
    minutes = forms.CharField(
        label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


ATTENDANCE_CHOICES = [("", _("未列入"))] + list(AttendanceStatus.choices)


def attendance_from_post(data: Any, units: list[ResponsibleUnit]) -> dict[int, tuple[str, str]]:
    """The attendance table's rows (``att-<unit id>`` and ``who-<unit id>``) as the service
    takes them; units left at 未列入 are not on the list."""
    out: dict[int, tuple[str, str]] = {}
    for unit in units:
        status = data.get(f"att-{unit.pk}", "")
        if status:
            out[unit.pk] = (status, data.get(f"who-{unit.pk}", ""))
    return out


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    owner_unit = forms.ModelChoiceField(
        label=_("落实部门"), queryset=ResponsibleUnit.objects.order_by("name")
    )
    due_on = forms.DateField(label=_("完成期限"), widget=DATE, validators=[validate_year_range])
