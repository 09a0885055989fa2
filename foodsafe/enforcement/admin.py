from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = (
        "case_number",
        "org_unit",
        "lead_received_on",
        "should_file",
        "filed_on",
        "closed_on",
    )
    list_filter = ("should_file", "individual_penalty", "criminal_referral")
    search_fields = ("case_number", "business__name")
    date_hierarchy = "lead_received_on"
    list_select_related = ("org_unit",)
    raw_id_fields = ("org_unit", "business")
