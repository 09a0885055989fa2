from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import StaffMember, TrainingRecord


class TrainingInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = (
        "staff_number",
        "name",
        "agency",
        "org_unit",
        "is_food_inspector",
        "is_professional",
        "left_on",
    )
    list_filter = ("is_food_inspector", "is_professional")
    search_fields = ("staff_number", "name")
    raw_id_fields = ("org_unit",)
    inlines = [TrainingInline]
