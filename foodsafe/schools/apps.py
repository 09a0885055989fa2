from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "foodsafe.schools"
    label = "schools"
