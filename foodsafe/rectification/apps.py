from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "foodsafe.rectification"
    label = "rectification"

    def ready(self) -> None:
        from foodsafe.workdays.registry import register_deadline_holder

        from .services import rectifications_preview_deadlines, rectifications_recompute_deadlines

        register_deadline_holder(
            "rectification", rectifications_recompute_deadlines, rectifications_preview_deadlines
        )
