from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "foodsafe.scorecard"
    label = "scorecard"

    def ready(self) -> None:
        from foodsafe.programme.in_force import use_metric_names

        from .registry import known_metrics

        # The spec in force is checked against the metrics registered here (programme sits
        # below the scorecard, so it takes the names instead of importing them).
        use_metric_names(known_metrics)
