from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import InspectionPlan, InspectorAccount


@admin.register(InspectorAccount)
class InspectorAccountAdmin(SimpleHistoryAdmin):
    """Link an inspector login to its roster entry (监管人员)."""

    list_display = ("user", "staff")
    raw_id_fields = ("user", "staff")


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    """Plans are made by the service (recorded draw); the admin only reads them."""

    list_display = ("number", "org_unit", "period", "seed", "created_by", "created_at")
    readonly_fields = [f.name for f in InspectionPlan._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
