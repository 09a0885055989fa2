from django.apps import AppConfig


class HandlersConfig(AppConfig):
    name = "foodsafe.handlers"
    label = "handlers"
