"""``foodsafe rollback-import LOG_ID --as USERNAME``: 撤销导入, as the programme office."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.imports.models import ImportLog
from foodsafe.imports.rollback import RollbackRefusedError, import_rollback, log_label


class Command(BaseCommand):
    help = (
        "撤销一次导入：删除它新增的记录，恢复它修改的记录的原值，全部或全不；只有创城办用户可以撤销，"
        "之后的导入改过同一批记录时拒绝。/ Roll back an import (office users only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("log_id", type=int, help="导入日志编号 / import log id")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="撤销人（创城办用户名），记入导入日志和历史记录 / the office user acting",
        )

    def handle(self, *args, **options) -> None:
        user = get_user_model()._default_manager.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']}", returncode=2)
        log = ImportLog.objects.select_related("imported_by").filter(pk=options["log_id"]).first()
        if log is None:
            raise CommandError(f"没有导入日志 #{options['log_id']}", returncode=2)
        try:
            plan = import_rollback(log=log, actor=user)
        except RollbackRefusedError as exc:
            for reason in exc.reasons:
                self.stderr.write(reason)
            raise CommandError(f"未撤销 {log_label(log)}，未改动任何数据", returncode=1) from exc
        self.stdout.write(
            f"已撤销 {log_label(log)}：删除新增记录 {plan.remove} 条，恢复原值 {plan.restore} 条"
        )
