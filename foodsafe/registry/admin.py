from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FoodBusiness
from .services import EXAMPLES, food_business_references


@admin.register(FoodBusiness)
class FoodBusinessAdmin(SimpleHistoryAdmin):
    list_display = (
        "registry_number",
        "name",
        "sector",
        "business_format",
        "org_unit",
        "status",
        "risk_level",
    )
    list_filter = ("sector", "business_format", "status", "risk_level")
    search_fields = ("registry_number", "name", "uscc", "licence_number")
    list_select_related = ("org_unit",)
    raw_id_fields = ("org_unit",)

    def get_deleted_objects(self, objs, request):
        """Admin delete page: a business still referenced lists, instead of every referencing
        row, each ledger with its row count and a few examples (as ``food_business_delete``
        says it)."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = [_in_use_summary(business) for business in objs]
            protected = [line for line in protected if line]
        return to_delete, model_count, perms_needed, protected


def _in_use_summary(business: FoodBusiness) -> str:
    references = food_business_references(business=business, examples=EXAMPLES)
    if not references:
        return ""
    parts = []
    for reference in references:
        more = "等" if reference.count > len(reference.examples) else ""
        examples = f"（{'、'.join(reference.examples)}{more}）" if reference.examples else ""
        parts.append(f"{reference.ledger} {reference.count} 条{examples}")
    return (
        f"“{business.name}”（登记编号 {business.registry_number}）仍被其他台账引用，不能删除："
        + "；".join(parts)
    )
