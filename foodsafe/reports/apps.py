from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "foodsafe.reports"
    label = "reports"
