"""Admin for the rectification ledger: read only; every change goes through the services
(state machine, events, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Rectification, RectificationEvent


class RectificationEventInline(admin.TabularInline):
    model = RectificationEvent
    extra = 0
    readonly_fields = ("at", "from_state", "to_state", "actor", "note")
    fields = readonly_fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Rectification)
class RectificationAdmin(SimpleHistoryAdmin):
    list_display = [
        "number", "title", "owner_unit", "source", "deadline", "deadline_provisional", "state",
        "closed_on",
    ]  # fmt: skip
    list_filter = ["state", "source", "owner_unit"]
    search_fields = ["number", "title", "description"]
    raw_id_fields = [
        "owner_unit", "item", "org_unit", "business", "inspection", "created_by", "verified_by",
    ]  # fmt: skip
    inlines = [RectificationEventInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
