from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """公示: public notices of the self-evaluation (or any document) and the objections to them."""

    name = "foodsafe.notices"
    label = "notices"
    verbose_name = "公示与异议"
