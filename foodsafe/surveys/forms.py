"""The survey's questions as a form, built from the questionnaire in force, with the
respondent's fields (RULES-supervision.md §3.3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foodsafe.lib.params import validate_year_range
from foodsafe.lib.widgets import DateInput
from foodsafe.orgunits.models import Level, OrgUnit

from .models import AgeBand, Sex, UrbanRural
from .questionnaire import questionnaire
from .services import Respondent


class SurveyAnswersForm(forms.Form):
    org_unit_code = forms.ChoiceField(label=_("您居住的街道"), choices=())
    urban_rural = forms.ChoiceField(
        label=_("城镇或乡村"), choices=UrbanRural.choices, widget=forms.RadioSelect
    )
    age_band = forms.ChoiceField(label=_("年龄"), choices=AgeBand.choices, widget=forms.RadioSelect)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices, widget=forms.RadioSelect)
    resident_6m = forms.TypedChoiceField(
        label=_("您在本区居住是否满6个月？"),
        choices=(("1", _("是")), ("0", _("否"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (u.code, u.name) for u in OrgUnit.objects.filter(level=Level.TOWNSHIP).order_by("code")
        ]
        q = questionnaire()
        english = (get_language() or "").startswith("en")
        for question in q.questions:
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=f"{question.code}. {q.text(question, english=english)}",
                choices=q.choices(question, english=english),
                widget=forms.RadioSelect,
            )

    def question_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("q_")]

    def respondent_fields(self) -> list[Any]:
        names = ("org_unit_code", "urban_rural", "age_band", "sex", "resident_6m")
        return [self[name] for name in names]

    def answers(self) -> dict[str, str]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("q_")}

    def respondent(self) -> Respondent:
        d = self.cleaned_data
        return Respondent(
            org_unit_code=d["org_unit_code"],
            urban_rural=d["urban_rural"],
            age_band=d["age_band"],
            sex=d["sex"],
            resident_6m=d["resident_6m"],
        )


class PhoneInterviewForm(SurveyAnswersForm):
    """A phone interviewer's entry: the same questions, and the number called (stored only as a
    keyed hash)."""

    phone = forms.CharField(label=_("受访电话（仅保存摘要）"), max_length=20, required=False)


class PlanForm(forms.Form):
    margin = forms.DecimalField(label=_("允许误差（百分点）"), min_value=1, max_value=20, initial=5)
    allowance = forms.DecimalField(
        label=_("无效问卷预留（%）"), min_value=0, max_value=50, initial=15
    )
    year = forms.IntegerField(label=_("常住人口年度"), min_value=2000, max_value=2100)


class InvitationForm(forms.Form):
    """问卷邀请码发放: how many codes for the respondents drawn in one 街道 for a wave."""

    wave = forms.CharField(label=_("调查批次"), max_length=40)
    org_unit_code = forms.ChoiceField(label=_("抽样街道（乡镇）"), choices=())
    count = forms.IntegerField(label=_("邀请码数量"), min_value=1, max_value=5000)
    valid_from = forms.DateField(
        label=_("调查开始日期"), widget=DateInput(), validators=[validate_year_range]
    )
    valid_until = forms.DateField(
        label=_("调查结束日期"), widget=DateInput(), validators=[validate_year_range]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (u.code, u.name) for u in OrgUnit.objects.filter(level=Level.TOWNSHIP).order_by("code")
        ]
