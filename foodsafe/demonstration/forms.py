"""Forms of the 示范引领 pages: the application form and the site proposal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from foodsafe.accounts.permissions import user_unit
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.registry.models import FoodBusiness

from .models import DemonstrationProject, FieldCheckSite, ProjectCategory, ReviewStatus, SiteStatus
from .selectors import proposable_businesses


def _unit_field(user: Any) -> forms.ModelChoiceField:
    """The office picks the unit; a member unit's own unit is the only choice."""
    own = user_unit(user)
    units = ResponsibleUnit.objects.filter(is_collective=False).order_by("name")
    if own is not None:
        units = ResponsibleUnit.objects.filter(pk=own.pk)
    return forms.ModelChoiceField(
        label=_("单位"), queryset=units, initial=own.pk if own else None, empty_label=None
    )


class ProjectForm(forms.ModelForm):
    """示范引领项目申请表."""

    class Meta:
        model = DemonstrationProject
        fields = [
            "name", "category", "description", "achievements", "contact_name", "contact_phone",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "achievements": forms.Textarea(attrs={"rows": 5}),
        }


class NewProjectForm(ProjectForm):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(user), **self.fields}


class ProjectFilter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("审核状态"), required=False, choices=[("", _("全部")), *ReviewStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("项目类别"), required=False, choices=[("", _("全部")), *ProjectCategory.choices]
    )


class SiteFilter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *SiteStatus.choices]
    )


class DecisionForm(forms.Form):
    """审核 / 确认: yes or no, with the reason a return needs (checked by the service)."""

    decision = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])
    reason = forms.CharField(label=_("退回理由"), required=False, widget=forms.Textarea)


class SiteForm(forms.ModelForm):
    """推荐现场检查点位: the operator is picked from the registry (its id, from the search)."""

    business = forms.ModelChoiceField(
        label=_("经营者"), queryset=FoodBusiness.objects.all(), widget=forms.HiddenInput
    )

    class Meta:
        model = FieldCheckSite
        fields = ["address", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(user), **self.fields}
        # Only the operators the user may propose: a forged id is "not a valid choice".
        self.fields["business"].queryset = proposable_businesses(user)  # type: ignore[attr-defined]
        self.fields["address"].required = False
        self.fields["address"].help_text = _("留空则用登记台账中的经营地址")
