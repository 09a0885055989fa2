"""``foodsafe info-reminders``: the daily cron job that reminds units of work information due
or overdue (信息报送), through the in-app notifications and e-mail."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from foodsafe.inforeports.reminders import info_reminders_send
from foodsafe.lib.locks import JobLocked, job_lock


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--on {text!r}: 日期应为 YYYY-MM-DD 形式 (use YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "信息报送提醒：截止前 2 个工作日内未报的发“即将截止”，过了截止日未报的发“逾期未报”，"
        "各一次；站内通知给该单位的用户（配置了邮件服务器时同时发邮件）。可重复运行。"
        " / Remind units of work information due soon or overdue (once each); idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, default=None, help="YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        on: date = options["on"] or timezone.localdate()
        try:
            with job_lock("info-reminders"):
                run = info_reminders_send(on=on)
        except JobLocked as exc:
            raise CommandError(str(exc)) from exc
        if not run.working_day:
            self.stdout.write(f"{on:%Y-%m-%d} 不是工作日，未发送提醒 / not a working day")
            return
        late = sum(r.kind == "late" for r in run.sent)
        self.stdout.write(
            f"info-reminders {on:%Y-%m-%d}：新提醒 {len(run.sent)} 条（逾期未报 {late}，"
            f"即将截止 {len(run.sent) - late}），站内通知 {run.notified} 条 / "
            f"{len(run.sent)} reminders, {run.notified} notifications"
        )
