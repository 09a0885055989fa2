from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "foodsafe.inspections"
    label = "inspections"
