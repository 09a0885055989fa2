from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "foodsafe.materials"
    label = "materials"
