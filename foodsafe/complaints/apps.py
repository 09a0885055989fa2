from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "foodsafe.complaints"
    label = "complaints"
