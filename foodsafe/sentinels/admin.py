from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DiseaseEvent, SentinelInstitution, SentinelReport


@admin.register(SentinelInstitution)
class SentinelInstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "org_unit", "designated_on", "withdrawn_on")
    search_fields = ("code", "name")
    raw_id_fields = ("org_unit",)


@admin.register(SentinelReport)
class SentinelReportAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "month", "reported_on", "cases")
    raw_id_fields = ("institution",)


@admin.register(DiseaseEvent)
class DiseaseEventAdmin(SimpleHistoryAdmin):
    list_display = ("event_number", "org_unit", "institution", "found_on", "reported_on", "cases")
    search_fields = ("event_number",)
    raw_id_fields = ("org_unit", "institution")
