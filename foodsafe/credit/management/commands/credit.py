"""``foodsafe credit --refresh [--since ISO]`` / ``--assess 202110 [--confirm]`` /
``--export FILE.xlsx``: the credit files, the monthly classes, the public export.

A run holds the job lock ``credit`` (:mod:`foodsafe.lib.locks`: a PostgreSQL advisory lock, a
file lock on SQLite) from start to end, so a cron run and a hand run never rebuild the files or
write the classes at the same time; a second run refuses at once, saying where the lock is."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from foodsafe.credit.in_force import credit_spec
from foodsafe.credit.refresh import credit_files_refresh, credit_job
from foodsafe.credit.services import credit_grades_assess, credit_grades_confirm
from foodsafe.credit.spec import CreditSpecError
from foodsafe.lib.locks import JobLocked


def _month(raw: str) -> date:
    raw = raw.strip()
    if len(raw) != 6 or not raw.isdigit() or not 1 <= int(raw[4:]) <= 12:
        raise CommandError(f"月份应写作 202110，而不是 {raw!r}")
    return date(int(raw[:4]), int(raw[4:]), 1)


class Command(BaseCommand):
    help = (
        "信用监管：归集信用档案（--refresh，--since 只归集此后有变动的经营者）、按月信用风险分类"
        "（--assess 202110，--confirm 按计算结果确认）、导出信用信息公示表（--export）。"
        "每日由 cron 运行 --refresh 可补上导入之外的变动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true", help="归集信用档案")
        parser.add_argument("--since", default=None, help="只归集此时刻后有变动的（ISO 时间）")
        parser.add_argument("--assess", default=None, help="按月分类，如 202110")
        parser.add_argument("--confirm", action="store_true", help="确认该月待确认的分类")
        parser.add_argument("--export", default=None, help="信用信息公示表 .xlsx 路径")
        parser.add_argument("--as", dest="username", default=None, help="确认人用户名")

    def handle(self, *args, refresh, since, assess, confirm, export, username, **options):
        if not (refresh or assess or export):
            raise CommandError("请给出 --refresh、--assess 或 --export")
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"未知的用户 {username!r}")
        try:
            with credit_job() as where:
                self._run(refresh, since, assess, confirm, export, actor)
        except JobLocked as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"锁 {where} 已释放")

    def _run(self, refresh, since, assess, confirm, export, actor):
        if refresh:
            after = None
            if since:
                try:
                    after = datetime.fromisoformat(since)
                except ValueError:
                    raise CommandError(f"--since 应为 ISO 时间，而不是 {since!r}") from None
                if timezone.is_naive(after):
                    after = timezone.make_aware(after)
            r = credit_files_refresh(since=after)
            self.stdout.write(
                f"信用档案：{r.operators} 家经营者，新建 {r.created}，有变动 {r.changed}，"
                f"记录 {r.entries} 条，用时 {r.seconds:.1f} 秒"
            )
        if assess:
            try:
                spec = credit_spec()
            except CreditSpecError as exc:
                raise CommandError(str(exc)) from None
            month = _month(assess)
            a = credit_grades_assess(month=month, spec=spec, actor=actor)
            levels = "，".join(f"{k} {v}" for k, v in a.by_level.items())
            self.stdout.write(
                f"{month:%Y%m} 信用风险分类：{a.assessed} 家（{levels}），已确认保留 {a.kept} 家；"
                f"规则 {spec.label}"
            )
            if confirm:
                n = credit_grades_confirm(month=month, actor=actor)
                self.stdout.write(f"已确认 {n} 家")
        if export:
            from foodsafe.credit.exports import public_credit_xlsx

            path = Path(export)
            path.write_bytes(public_credit_xlsx(on=timezone.localdate()))
            self.stdout.write(f"信用信息公示表：{path}")
