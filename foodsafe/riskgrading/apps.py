from django.apps import AppConfig


class RiskGradingConfig(AppConfig):
    name = "foodsafe.riskgrading"
    label = "riskgrading"
