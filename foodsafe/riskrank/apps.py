from django.apps import AppConfig


class RiskRankConfig(AppConfig):
    name = "foodsafe.riskrank"
    label = "riskrank"
