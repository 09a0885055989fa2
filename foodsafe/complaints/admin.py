from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from foodsafe.complaints.masking import mask_name, mask_phone

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    """Complainants' names and phone numbers are shown masked (personal data)."""

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
    readonly_fields = ("masked_complainant", "masked_phone", "acceptance_due_on", "closing_due_on")

    @admin.display(description="投诉人")
    def masked_complainant(self, obj: Complaint) -> str:
        return mask_name(obj.complainant_name)

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Complaint) -> str:
        return mask_phone(obj.complainant_phone)
