from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Incident


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = (
        "incident_number",
        "org_unit",
        "occurred_on",
        "severity",
        "kind",
        "serious_social_impact",
    )
    list_filter = ("severity", "kind", "serious_social_impact")
    search_fields = ("incident_number", "description")
    raw_id_fields = ("org_unit",)
