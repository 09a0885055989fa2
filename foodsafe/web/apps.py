from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "foodsafe.web"
    label = "web"
