from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    """绩效考核: each member unit's monthly score from configurable factor weights, the ranking,
    its Excel export and the office's written comment per unit and month."""

    name = "foodsafe.performance"
    label = "performance"
    verbose_name = "绩效考核"
