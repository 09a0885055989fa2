"""Admin for evidence: read only. Files come in through the upload page (content and size
checks, audit); reviews through the review form."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "requirement", "status", "uploaded_by", "uploaded_at", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["title", "requirement", "original_name", "sha256"]
    raw_id_fields = ["assignment", "rectification", "uploaded_by", "reviewed_by"]
    exclude = ["file"]  # no admin link to a private file: it is served by evidence:download

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
