from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "foodsafe.supervision"
    label = "supervision"
