from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "foodsafe.tasks"
    label = "tasks"
