from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "foodsafe.evidence"
    label = "evidence"
