from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "foodsafe.enforcement"
    label = "enforcement"
