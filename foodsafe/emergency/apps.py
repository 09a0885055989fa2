from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "foodsafe.emergency"
    label = "emergency"
