from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "foodsafe.imports"
    label = "imports"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers imports.E001)
