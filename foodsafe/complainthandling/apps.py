from django.apps import AppConfig


class ComplaintHandlingConfig(AppConfig):
    """投诉举报办理: intake from the public page, assignment, decisions and deadlines."""

    name = "foodsafe.complainthandling"
    label = "complainthandling"
    verbose_name = "投诉举报办理"
