from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "foodsafe.synthetic"
    label = "synthetic"
