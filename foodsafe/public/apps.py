from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public side (公众页面): pages without login under /public/."""

    name = "foodsafe.public"
    label = "public"
    verbose_name = "公众页面"
