from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "foodsafe.programme"
    label = "programme"
