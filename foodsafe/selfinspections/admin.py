from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SelfInspectionReport


@admin.register(SelfInspectionReport)
class SelfInspectionReportAdmin(SimpleHistoryAdmin):
    list_display = ("business", "submitted_on", "problems_found")
    search_fields = ("business__name", "business__registry_number")
    raw_id_fields = ("business",)
