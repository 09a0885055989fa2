from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from foodsafe.lib.masking import mask_name, mask_phone

from .models import Complaint, ComplaintKind
from .selectors import REPORTER_CONFIDENTIAL
from .services import complaint_check, complaint_save


class ComplaintAdminForm(forms.ModelForm):
    """Reports the checks :func:`complaint_save` makes as form errors (never a 500)."""

    class Meta:
        model = Complaint
        fields = (
            "complaint_number",
            "kind",
            "is_food",
            "org_unit",
            "business",
            "summary",
            "received_on",
            "decision",
            "decided_on",
            "suspended_working_days",
            "closed_on",
        )

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.instance.received_on is None:
            return
        for field, message in complaint_check(self.instance).items():
            self.add_error(field if field in self.fields else None, message)


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    """Complainants' names and phone numbers are shown masked (personal data), a reporter's
    not at all (举报人信息保密, 第三十三条: complaint handlers reach it through the audited reveal
    on the 投诉举报台账 page); the deadlines are computed on every save
    (:func:`complaint_save`), never typed."""

    form = ComplaintAdminForm
    list_display = (
        "complaint_number",
        "kind",
        "is_food",
        "received_on",
        "decision",
        "closed_on",
        "masked_complainant",
        "masked_phone",
    )
    list_filter = ("kind", "is_food", "decision")
    search_fields = ("complaint_number", "summary")
    date_hierarchy = "received_on"
    list_select_related = ("org_unit",)
    raw_id_fields = ("org_unit", "business")
    exclude = ("complainant_name", "complainant_phone")
    readonly_fields = (
        "masked_complainant",
        "masked_phone",
        "acceptance_due_on",
        "closing_due_on",
        "deadline_provisional",
        "deadline_calendar_revision",
    )

    @admin.display(description="投诉人")
    def masked_complainant(self, obj: Complaint) -> str:
        if obj.kind == ComplaintKind.REPORT:  # 第三十三条: selectors.may_see_reporter
            return str(REPORTER_CONFIDENTIAL)
        return mask_name(obj.complainant_name)

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Complaint) -> str:
        if obj.kind == ComplaintKind.REPORT:
            return "—"
        return mask_phone(obj.complainant_phone)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Deadlines are computed by :func:`complaint_save`, on add and on every change."""
        complaint_save(complaint=obj, actor=request.user)
