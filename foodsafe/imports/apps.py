from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "foodsafe.imports"
    label = "imports"
