from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "foodsafe.incidents"
    label = "incidents"
