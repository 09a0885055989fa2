from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "foodsafe.rectification"
    label = "rectification"
