"""Admin for the risk-grading records: read only, with their history. Every change goes through
the services (the 静态因素和调整事实 page, the checklist page, grading runs), which check the values
against the grading spec and write the audit row with the acting user."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdjustmentFact, Checklist, ChecklistPhoto, Grading, GradingRun, StaticFactors


class ReadOnly:
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    pass


@admin.register(StaticFactors)
class StaticFactorsAdmin(ReadOnlyAdmin):
    list_display = ["business", "table", "recorded_on", "recorded_by"]
    list_filter = ["table"]
    search_fields = ["business__name", "business__registry_number"]
    list_select_related = ["business", "recorded_by"]
    raw_id_fields = ["business", "recorded_by"]


@admin.register(AdjustmentFact)
class AdjustmentFactAdmin(ReadOnlyAdmin):
    list_display = ["business", "kind", "occurred_on", "valid_until", "recorded_by"]
    list_filter = ["kind"]
    date_hierarchy = "occurred_on"
    search_fields = ["business__name", "business__registry_number", "description"]
    list_select_related = ["business", "recorded_by"]
    raw_id_fields = ["business", "recorded_by"]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "checklist", "dynamic_score", "key_failed", "general_failed"]
    list_filter = ["checklist"]
    search_fields = ["inspection__inspection_number", "inspection__business__name"]
    list_select_related = ["inspection"]
    raw_id_fields = ["inspection", "recorded_by"]


@admin.register(ChecklistPhoto)
class ChecklistPhotoAdmin(ReadOnlyAdmin):
    list_display = ["checklist", "item", "original_name", "content_type", "size", "uploaded_at"]
    search_fields = ["checklist__inspection__inspection_number", "original_name"]
    raw_id_fields = ["checklist", "uploaded_by"]


@admin.register(Grading)
class GradingAdmin(ReadOnlyAdmin):
    list_display = ["business", "year", "total_score", "score_grade", "grade", "next_grade"]
    list_filter = ["year", "score_grade", "grade"]
    search_fields = ["business__name", "business__registry_number"]
    list_select_related = ["business"]
    raw_id_fields = ["business", "checklist", "grade_confirmed_by", "next_confirmed_by"]


@admin.register(GradingRun)
class GradingRunAdmin(ReadOnly, admin.ModelAdmin):  # no history: it is the audit row itself
    list_display = ["kind", "year", "scheme", "rows", "actor", "started_at", "finished_at"]
    list_filter = ["kind", "year"]
