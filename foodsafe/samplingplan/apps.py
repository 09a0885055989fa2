from django.apps import AppConfig


class SamplingPlanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "foodsafe.samplingplan"
    verbose_name = "抽检计划与核查处置"
