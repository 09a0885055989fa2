from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "foodsafe.workdays"
    label = "workdays"
    verbose_name = "工作日日历"
