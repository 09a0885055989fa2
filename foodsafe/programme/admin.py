"""Admin for the programme: read what a spec loaded; the YAML stays the source of truth."""

from __future__ import annotations

from django.contrib import admin

from .models import ItemAssignment, Programme, TaskItem, VetoFinding


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "loaded_at"]
    search_fields = ["code", "name"]
    readonly_fields = ["spec_sha256", "loaded_at"]


class ItemAssignmentInline(admin.TabularInline):
    model = ItemAssignment
    extra = 0
    ordering = ["position"]


@admin.register(TaskItem)
class TaskItemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "group_code", "programme"]
    list_filter = ["programme", "group_code"]
    search_fields = ["title", "text"]
    inlines = [ItemAssignmentInline]


@admin.register(VetoFinding)
class VetoFindingAdmin(admin.ModelAdmin):
    list_display = ["programme_code", "veto_code", "org_unit", "year", "vetoed", "recorded_at"]
    list_filter = ["programme_code", "veto_code", "year", "vetoed"]
    raw_id_fields = ["org_unit", "recorded_by"]
    readonly_fields = ["recorded_at"]
