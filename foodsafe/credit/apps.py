from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "foodsafe.credit"
    verbose_name = _("信用监管")

    def ready(self) -> None:
        # Ledger writes below this layer announce themselves (foodsafe.lib.changes); the credit
        # files follow them ("及时归集到企业名下", 实施方案 第25条) without the ledgers importing
        # this app.
        from foodsafe.lib.changes import ledgers_changed

        from .refresh import refresh_after_change

        ledgers_changed.connect(refresh_after_change, dispatch_uid="credit-refresh")
