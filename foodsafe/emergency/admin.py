from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Drill, PlanRevision


@admin.register(PlanRevision)
class PlanRevisionAdmin(SimpleHistoryAdmin):
    list_display = ("plan_code", "plan_name", "org_unit", "revised_on", "document_number")
    search_fields = ("plan_code", "plan_name", "document_number")
    raw_id_fields = ("org_unit",)


@admin.register(Drill)
class DrillAdmin(SimpleHistoryAdmin):
    list_display = ("drill_number", "held_on", "organiser", "kind", "scenario", "org_unit")
    list_filter = ("organiser", "kind")
    search_fields = ("drill_number", "scenario", "participants")
    raw_id_fields = ("org_unit",)
