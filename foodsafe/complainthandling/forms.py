"""Staff forms of complaint handling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foodsafe.complaints.models import Outcome, RefusalGround
from foodsafe.lib.params import PAST_DATE
from foodsafe.orgunits.models import ResponsibleUnit


def _day(label: Any) -> forms.DateField:
    """A handling step's date: today by default, from 2000 (a date no working-day calendar
    holds is a form error, not a deadline computed past year 9999) to today (a step is
    recorded once taken)."""
    return forms.DateField(label=label, initial=timezone.localdate, validators=PAST_DATE)


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=ResponsibleUnit.objects.filter(is_collective=False)
    )


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("受理决定"),
        choices=(("1", _("受理")), ("0", _("不予受理"))),
        coerce=lambda v: v == "1",
    )
    decided_on = _day(_("决定日期"))
    ground = forms.ChoiceField(
        label=_("不予受理理由（第十五条）"),
        choices=[("", "—"), *RefusalGround.choices],
        required=False,
    )
    reply = forms.CharField(
        label=_("告知内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SuspendForm(forms.Form):
    working_days = forms.IntegerField(
        label=_("检验鉴定等不计入的工作日"), min_value=0, max_value=365
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办结方式"), choices=Outcome.choices)
    closed_on = _day(_("办结日期"))
    reply = forms.CharField(
        label=_("处理结果（投诉人查询时可见）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NotifyForm(forms.Form):
    notified_on = _day(_("告知日期"))


class CaseDecisionForm(forms.Form):
    filed = forms.TypedChoiceField(
        label=_("立案决定"),
        choices=(("1", _("立案")), ("0", _("不予立案"))),
        coerce=lambda v: v == "1",
    )
    decided_on = _day(_("决定日期"))


class ExtendForm(forms.Form):
    confirm = forms.BooleanField(label=_("特殊情况，经负责人批准延长核查期限"))


class ReporterNoticeForm(forms.Form):
    notified_on = _day(_("告知举报人日期"))


class CaseCloseForm(forms.Form):
    closed_on = _day(_("处理决定日期"))
    reply = forms.CharField(
        label=_("处理结果（举报人查询时可见）"), widget=forms.Textarea(attrs={"rows": 3})
    )
