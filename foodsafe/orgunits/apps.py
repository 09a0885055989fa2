from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "foodsafe.orgunits"
    label = "orgunits"
