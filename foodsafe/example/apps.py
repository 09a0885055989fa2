from django.apps import AppConfig


class ExampleConfig(AppConfig):
    name = "foodsafe.example"
    label = "example"
