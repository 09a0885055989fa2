from django.contrib import admin

from .models import ImportLog


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    list_display = (
        "imported_at",
        "ledger",
        "file_name",
        "imported_by",
        "rows_added",
        "rows_updated",
        "rows_unchanged",
    )
    list_filter = ("ledger",)
    search_fields = ("file_name", "sha256")
    readonly_fields = [f.name for f in ImportLog._meta.fields]

    def has_add_permission(self, request):  # the log is written by imports only
        return False

    def has_change_permission(self, request, obj=None):
        return False
