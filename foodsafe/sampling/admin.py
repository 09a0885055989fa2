from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SamplingBatch, TestItem


class TestItemInline(admin.TabularInline):
    model = TestItem
    extra = 0


@admin.register(SamplingBatch)
class SamplingBatchAdmin(SimpleHistoryAdmin):
    list_display = (
        "sample_number",
        "sampled_on",
        "sampling_type",
        "stage",
        "business_format",
        "food_category",
        "conclusion",
        "org_unit",
    )
    list_filter = ("sampling_type", "stage", "conclusion", "department")
    search_fields = ("sample_number", "food_name", "business__name")
    date_hierarchy = "sampled_on"
    list_select_related = ("org_unit",)
    raw_id_fields = ("org_unit", "business")
    inlines = [TestItemInline]
