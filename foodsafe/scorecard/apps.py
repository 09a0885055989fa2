from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "foodsafe.scorecard"
    label = "scorecard"
