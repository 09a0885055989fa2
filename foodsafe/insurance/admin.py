from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LiabilityPolicy


@admin.register(LiabilityPolicy)
class LiabilityPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("policy_number", "business", "insurer", "starts_on", "ends_on")
    search_fields = ("policy_number", "insurer", "business__name")
    raw_id_fields = ("business",)
