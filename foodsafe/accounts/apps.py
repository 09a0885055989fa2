from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "foodsafe.accounts"
    label = "accounts"
