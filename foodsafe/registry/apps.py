from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "foodsafe.registry"
    label = "registry"
