"""``foodsafe create-user USERNAME --role ROLE [--unit UNIT_CODE]``: a login with a role.

The module name has a hyphen because Django names a command after its file; it is loaded by
Django's command loader, never imported by name.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from foodsafe.accounts.models import Role
from foodsafe.accounts.services import AccountError, user_create

from ._login import add_url_argument, login_url


class Command(BaseCommand):
    help = (
        "创建一个带角色的账号，生成随机密码并打印（只显示一次）。成员单位用户须用 --unit "
        "指定责任单位代码。Create a user with a role and a random password, printed once; a "
        "member-unit user needs --unit (a responsible unit code such as 'education')."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名 / username")
        add_url_argument(parser)
        parser.add_argument(
            "--role",
            required=True,
            choices=Role.values,
            help="角色 / role: " + ", ".join(f"{v} ({label})" for v, label in Role.choices),
        )
        parser.add_argument(
            "--unit", default=None, help="责任单位代码 / responsible unit code (member_unit)"
        )
        parser.add_argument(
            "--complaint-handler",
            action="store_true",
            help="加入“投诉举报处理人员”组：可逐条查看投诉人个人信息（留痕） / may reveal a "
            "complainant's name and phone, one record at a time, audited",
        )

    def handle(self, *args, **options):
        try:
            login = user_create(
                username=options["username"],
                role=options["role"],
                unit_code=options["unit"],
                complaint_handler=options["complaint_handler"],
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from None
        profile = login.profile
        unit = f"  责任单位 {profile.responsible_unit.name}" if profile.responsible_unit else ""
        self.stdout.write(
            f"登录 / Login: {login_url(options['url'])}  用户名 {login.user.get_username()}  密码 {login.password}"
            f"  角色 {profile.get_role_display()}{unit}"
            + ("  投诉举报处理人员" if options["complaint_handler"] else "")
        )
