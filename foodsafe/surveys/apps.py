from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "foodsafe.surveys"
    label = "surveys"
