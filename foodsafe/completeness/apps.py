from django.apps import AppConfig


class CompletenessConfig(AppConfig):
    name = "foodsafe.completeness"
    label = "completeness"
    verbose_name = "数据完整性"
