from django.apps import AppConfig


class DemonstrationConfig(AppConfig):
    """示范引领: units' demonstration projects (示范引领项目) and the field-check sites
    (现场检查点位) they propose, reviewed and confirmed by the programme office."""

    name = "foodsafe.demonstration"
    label = "demonstration"
    verbose_name = "示范引领与现场检查点位"
