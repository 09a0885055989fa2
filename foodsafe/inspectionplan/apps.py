from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionPlanConfig(AppConfig):
    name = "foodsafe.inspectionplan"
    verbose_name = _("监督检查计划")
