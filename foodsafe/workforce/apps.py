from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "foodsafe.workforce"
    label = "workforce"
