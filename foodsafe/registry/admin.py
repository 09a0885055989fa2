from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FoodBusiness


@admin.register(FoodBusiness)
class FoodBusinessAdmin(SimpleHistoryAdmin):
    list_display = (
        "registry_number",
        "name",
        "sector",
        "business_format",
        "org_unit",
        "status",
        "risk_level",
    )
    list_filter = ("sector", "business_format", "status", "risk_level")
    search_fields = ("registry_number", "name", "uscc", "licence_number")
    list_select_related = ("org_unit",)
    raw_id_fields = ("org_unit",)
