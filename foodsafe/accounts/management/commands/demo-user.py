"""``foodsafe demo-user``: create or reset the demo login ``office`` and print its password.

The module name has a hyphen because Django names a command after its file; it is loaded by
Django's command loader, never imported by name.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from foodsafe.accounts.services import demo_user_reset

from ._login import add_url_argument, login_url


class Command(BaseCommand):
    help = (
        "创建或重置演示账号 office（创城办），生成随机密码并打印。Create or reset the demo user "
        "'office' in group 创城办 with a new random password, and print the login. Idempotent."
    )

    def add_arguments(self, parser):
        add_url_argument(parser)

    def handle(self, *args, **options):
        login = demo_user_reset()
        self.stdout.write(
            f"登录 / Login: {login_url(options['url'])}  用户名 {login.user.get_username()}  密码 {login.password}"
        )
