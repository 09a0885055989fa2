from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "foodsafe.insurance"
    label = "insurance"
