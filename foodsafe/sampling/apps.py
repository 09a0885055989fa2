from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "foodsafe.sampling"
    label = "sampling"
