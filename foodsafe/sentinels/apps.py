from django.apps import AppConfig


class SentinelsConfig(AppConfig):
    name = "foodsafe.sentinels"
    label = "sentinels"
