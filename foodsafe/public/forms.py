"""Public forms: the complaint form (第九条 fields), the status lookup."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from foodsafe.complaints.models import Category
from foodsafe.orgunits.models import Level, OrgUnit
from foodsafe.surveys.forms import SurveyAnswersForm


def subdistrict_choices() -> list[tuple[str, str]]:
    """The subdistricts (街道/乡镇) a citizen picks from."""
    rows = OrgUnit.objects.filter(level=Level.TOWNSHIP).order_by("code")
    return [("", "—"), *rows.values_list("code", "name")]


class SubdistrictField(forms.ChoiceField):
    """所在街道: a select of the subdistricts, read from the database only when the form is drawn.
    A posted code is checked once, by ``complaint_submit`` (``submission_problems``: a
    subdistrict that exists, else 请选择所在街道), not here as well: on each post that saved
    reading the whole list for a check the service repeats (docs/public.md, "Load")."""

    def valid_value(self, value: Any) -> bool:
        return True


class ChallengeForm(forms.Form):
    """The challenge's token and answer, and a honeypot field people never see (``website``,
    hidden by the stylesheet: a bot filling every field gives itself away)."""

    token = forms.CharField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("验证：请用数字作答"), max_length=4)
    website = forms.CharField(required=False, label=_("请勿填写"))


class ComplaintForm(ChallengeForm):
    is_complaint = forms.BooleanField(
        label=_("投诉（维护自身消费权益，请求调解）"), required=False, initial=True
    )
    is_report = forms.BooleanField(label=_("举报（反映违法行为线索）"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    address = forms.CharField(label=_("联系地址"), max_length=200)
    org_unit_code = SubdistrictField(label=_("所在街道"), choices=subdistrict_choices)
    respondent = forms.CharField(label=_("被投诉人（名称、地址）"), max_length=200)
    category = forms.ChoiceField(label=_("投诉类别"), choices=Category.choices)
    claim = forms.CharField(
        label=_("投诉请求"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    facts = forms.CharField(
        label=_("事实和理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("answer", "phone"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("is_complaint") or data.get("is_report")):
            raise forms.ValidationError(_("请选择投诉、举报或两者"))
        if data.get("is_complaint") and not (data.get("claim") or "").strip():
            self.add_error("claim", _("投诉须写明具体的投诉请求（第九条）"))
        return data


class StatusForm(ChallengeForm):
    number = forms.CharField(label=_("受理编号"), max_length=40)
    phone = forms.CharField(label=_("投诉时填写的联系电话"), max_length=20)


class SurveyForm(ChallengeForm, SurveyAnswersForm):
    """The survey answered on the public page (网络调查). ``invitation``: the code a respondent
    drawn in the sample was sent (问卷邀请码, ``surveys.invitations``); without one the answers
    are 网络自愿填答."""

    invitation = forms.CharField(
        label=_("邀请码（收到调查邀请的受访者填写，可不填）"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ObjectionForm(ChallengeForm):
    """异议: contact details are required so that the office can answer."""

    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    contact = forms.CharField(label=_("其他联系方式（可选）"), max_length=200, required=False)
    content = forms.CharField(
        label=_("异议内容和理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
