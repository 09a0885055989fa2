"""``foodsafe create-user USERNAME --role ROLE [--unit UNIT_CODE [--division CODE]]
[--complaint-handler]``: a login with a role (``--division``: one 街道 of the unit).
``foodsafe create-user USERNAME --complaint-handler`` (or ``--no-complaint-handler``) without
``--role``: an existing login joins (or leaves) the group 投诉举报处理人员, which otherwise only
the Django admin could change.

The module name has a hyphen because Django names a command after its file; it is loaded by
Django's command loader, never imported by name.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from foodsafe.accounts.models import Role
from foodsafe.accounts.services import AccountError, complaint_handler_set, user_create

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
            choices=Role.values,
            help="角色 / role（新账号必填；不填则只改已有账号的投诉举报处理人员资格 / required for "
            "a new login; without it, only an existing login's complaint-handler membership "
            "changes): " + ", ".join(f"{v} ({label})" for v, label in Role.choices),
        )
        parser.add_argument(
            "--unit", default=None, help="责任单位代码 / responsible unit code (member_unit)"
        )
        parser.add_argument(
            "--division",
            default=None,
            help="街道区划代码 / a 街道's 12-digit division code (member_unit, e.g. "
            "120101006000 with --unit subdistricts): the user sees and changes only that "
            "街道's items",
        )
        handler = parser.add_mutually_exclusive_group()
        handler.add_argument(
            "--complaint-handler",
            action="store_true",
            help="加入“投诉举报处理人员”组：可逐条查看投诉人个人信息（留痕）；新账号或已有账号均可 / "
            "may reveal a complainant's name and phone, one record at a time, audited; for a "
            "new or an existing login",
        )
        handler.add_argument(
            "--no-complaint-handler",
            action="store_true",
            help="已有账号退出“投诉举报处理人员”组 / an existing login leaves the group",
        )

    def handle(self, *args, **options):
        if options["role"] is None:
            self._set_handler(options)
            return
        if options["no_complaint_handler"]:
            raise CommandError("--no-complaint-handler 只用于已有账号（不带 --role）")
        try:
            login = user_create(
                username=options["username"],
                role=options["role"],
                unit_code=options["unit"],
                division_code=options["division"],
                complaint_handler=options["complaint_handler"],
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from None
        profile = login.profile
        unit = f"  责任单位 {profile.responsible_unit.name}" if profile.responsible_unit else ""
        if profile.division:
            unit += f"  街道 {profile.division.name}（{profile.division.code}）"
        self.stdout.write(
            f"登录 / Login: {login_url(options['url'])}  用户名 {login.user.get_username()}  密码 {login.password}"
            f"  角色 {profile.get_role_display()}{unit}"
            + ("  投诉举报处理人员" if options["complaint_handler"] else "")
        )

    def _set_handler(self, options):
        joining = options["complaint_handler"]
        if not joining and not options["no_complaint_handler"]:
            raise CommandError(
                "新账号须用 --role 指定角色；已有账号用 --complaint-handler 或 "
                "--no-complaint-handler 改变投诉举报处理人员资格"
            )
        try:
            user = complaint_handler_set(username=options["username"], handler=joining)
        except AccountError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"用户名 {user.get_username()}："
            + ("已加入“投诉举报处理人员”组" if joining else "已退出“投诉举报处理人员”组")
            + "（密码不变 / password unchanged）"
        )
