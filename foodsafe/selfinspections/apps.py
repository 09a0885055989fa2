from django.apps import AppConfig


class SelfinspectionsConfig(AppConfig):
    name = "foodsafe.selfinspections"
    label = "selfinspections"
