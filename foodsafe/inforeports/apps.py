from django.apps import AppConfig


class InforeportsConfig(AppConfig):
    name = "foodsafe.inforeports"
    label = "inforeports"
