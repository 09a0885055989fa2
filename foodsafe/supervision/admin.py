"""Admin for reminders: read only — ``foodsafe send-reminders`` records them, nobody edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "kind", "rectification", "responsible_unit", "deadline"]
    list_filter = ["kind", "sent_on", "responsible_unit"]
    search_fields = ["rectification__number", "rectification__title", "message"]
    date_hierarchy = "sent_on"
    list_select_related = ["rectification", "responsible_unit"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
