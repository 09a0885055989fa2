from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    """工作推进: tasks with a responsible person (责任人) and milestones (节点), the phases' own
    work, and the office's meetings (推动会、调度会、专题会) whose decisions become tasks."""

    name = "foodsafe.workplan"
    label = "workplan"
    verbose_name = "任务推进与会议"
