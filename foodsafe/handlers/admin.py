from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from foodsafe.lib.masking import mask_name

from .models import FoodHandler, SystemCertificate


@admin.register(FoodHandler)
class FoodHandlerAdmin(SimpleHistoryAdmin):
    """Handlers' names are personal data (《个人信息保护法》): shown masked, never edited here."""

    list_display = (
        "staff_number",
        "masked_name",
        "business",
        "role",
        "direct_contact",
        "valid_until",
        "left_on",
    )
    list_filter = ("direct_contact",)
    search_fields = ("staff_number", "certificate_number", "business__name")
    raw_id_fields = ("business",)
    exclude = ("name",)
    readonly_fields = ("masked_name",)

    @admin.display(description="姓名")
    def masked_name(self, obj: FoodHandler) -> str:
        return mask_name(obj.name)


@admin.register(SystemCertificate)
class SystemCertificateAdmin(SimpleHistoryAdmin):
    list_display = ("certificate_number", "business", "scheme", "issued_on", "valid_until")
    list_filter = ("scheme",)
    search_fields = ("certificate_number", "business__name", "certifier")
    raw_id_fields = ("business",)
