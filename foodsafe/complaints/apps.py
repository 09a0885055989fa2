from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "foodsafe.complaints"
    label = "complaints"

    def ready(self) -> None:
        from foodsafe.workdays.registry import register_deadline_holder

        from .services import complaints_preview_deadlines, complaints_recompute_deadlines

        register_deadline_holder(
            "complaints", complaints_recompute_deadlines, complaints_preview_deadlines
        )
