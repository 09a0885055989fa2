from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SchoolCanteen


@admin.register(SchoolCanteen)
class SchoolCanteenAdmin(SimpleHistoryAdmin):
    list_display = (
        "school_name",
        "school_type",
        "business",
        "bright_kitchen_on",
        "principal_responsibility",
        "accompanied_meal",
    )
    list_filter = ("school_type", "principal_responsibility", "accompanied_meal")
    search_fields = ("school_name", "business__name")
    raw_id_fields = ("business",)
