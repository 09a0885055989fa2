from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Finding, Inspection


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = (
        "inspection_number",
        "business",
        "inspected_on",
        "inspection_type",
        "full_checklist",
        "result",
    )
    list_filter = ("inspection_type", "result", "full_checklist")
    search_fields = ("inspection_number", "business__name", "business__registry_number")
    date_hierarchy = "inspected_on"
    list_select_related = ("business",)
    raw_id_fields = ("business",)
    inlines = [FindingInline]
