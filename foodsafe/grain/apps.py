from django.apps import AppConfig


class GrainConfig(AppConfig):
    name = "foodsafe.grain"
    label = "grain"
