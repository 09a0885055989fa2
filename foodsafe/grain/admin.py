from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GrainMonitoring, GrainStock


@admin.register(GrainStock)
class GrainStockAdmin(SimpleHistoryAdmin):
    list_display = ("depot_code", "depot_name", "year", "stock_tonnes", "org_unit")
    list_filter = ("year",)
    search_fields = ("depot_code", "depot_name")
    raw_id_fields = ("org_unit",)


@admin.register(GrainMonitoring)
class GrainMonitoringAdmin(SimpleHistoryAdmin):
    list_display = (
        "monitoring_number",
        "stock",
        "sampled_on",
        "monitored_tonnes",
        "problem_found",
        "problem_handled_on",
    )
    list_filter = ("problem_found",)
    search_fields = ("monitoring_number", "stock__depot_name")
    raw_id_fields = ("stock",)
