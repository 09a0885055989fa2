"""``foodsafe send-reminders``: the daily cron job that chases rectification items and
complaint/report time limits (督办提醒)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from foodsafe.complainthandling.selectors import STEPS
from foodsafe.lib.locks import JobLocked, job_lock
from foodsafe.supervision.models import ReminderKind
from foodsafe.supervision.notifications import notifications_deliver
from foodsafe.supervision.services import DUE_SOON_WORKING_DAYS, reminders_send

JOB = "send-reminders"
KIND_ZH = {ReminderKind.DUE_SOON: "即将到期", ReminderKind.OVERDUE: "已逾期"}
STEP_ZH = {code: str(label) for code, label in STEPS.items()}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--on {text!r}: 日期应为 YYYY-MM-DD 形式 (use YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "记录当日的督办提醒：整改期限（及投诉举报各环节的法定期限）前 N 个工作日内的事项发"
        "“即将到期”提醒（每个期限一次），已逾期未办结的事项每个工作日发“已逾期”提醒。可重复运行：同一天再运行不会重复发送。"
        "运行期间持有锁（PostgreSQL 咨询锁，SQLite 时为 VAR_DIR/locks/send-reminders.lock）。"
        " / Record today's reminders: 'due soon' once per deadline within N working days, "
        "'overdue' every working day until closed. Idempotent; holds a lock; meant for cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on",
            type=_date,
            default=None,
            help="按此日期运行（默认今天，YYYY-MM-DD） / run as of this day (default: today)",
        )
        parser.add_argument(
            "--due-within",
            type=int,
            default=DUE_SOON_WORKING_DAYS,
            metavar="N",
            help=(
                f"期限前多少个工作日内提醒（默认 {DUE_SOON_WORKING_DAYS}） / "
                f"remind N working days before the deadline (default {DUE_SOON_WORKING_DAYS})"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on: date = options["on"] or timezone.localdate()
        due_within: int = options["due_within"]
        if due_within < 0:
            raise CommandError("--due-within 不能为负数 / must not be negative")
        try:
            with job_lock(JOB) as where:
                run = reminders_send(on=on, due_within=due_within)
                delivery = notifications_deliver(reminders=[*run.sent, *run.already_sent])
        except JobLocked as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout
        out.write(f"send-reminders {on:%Y-%m-%d}（提前 {due_within} 个工作日；锁 {where}）")
        if run.provisional_calendar:
            out.write(
                f"{on.year} 年节假日安排尚未载入，按法定节假日暂算工作日（暂定） / "
                f"no holiday arrangement for {on.year}: working days are provisional"
            )
        if not run.working_day:
            out.write(f"{on:%Y-%m-%d} 不是工作日，未发送提醒 / not a working day: nothing sent")
            return
        for reminder in run.sent:
            kind = KIND_ZH[ReminderKind(reminder.kind)]
            unit = reminder.responsible_unit.name if reminder.responsible_unit else "未分派"
            rect = reminder.rectification
            if reminder.complaint_id is not None:  # its number and step, no personal data
                complaint = reminder.complaint
                assert complaint is not None
                out.write(
                    f"  已发送 {kind:<4} {complaint.complaint_number}  {unit}  "
                    f"期限 {reminder.deadline:%Y-%m-%d}"
                    f"{'（暂定）' if complaint.deadline_provisional else ''}  "
                    f"{STEP_ZH.get(reminder.step, reminder.step)}"
                )
                continue
            if rect is None:  # a workplan task or milestone (its message says which)
                out.write(f"  已发送 {unit}  {reminder.message}")
                continue
            out.write(
                f"  已发送 {kind:<4} {rect.number}  "
                f"{unit}  期限 {reminder.deadline:%Y-%m-%d}"
                f"{'（暂定）' if rect.deadline_provisional else ''}  {rect.title}"
            )
        out.write(
            f"新发送 {len(run.sent)} 条（即将到期 "
            f"{sum(r.kind == ReminderKind.DUE_SOON for r in run.sent)}，已逾期 "
            f"{sum(r.kind == ReminderKind.OVERDUE for r in run.sent)}），"
            f"此前已发送 {len(run.already_sent)} 条 / "
            f"{len(run.sent)} sent, {len(run.already_sent)} already sent"
        )
        mail = (
            "邮件未配置（FOODSAFE_EMAIL_HOST），只发站内通知 / e-mail off"
            if delivery.mail_off
            else f"邮件 {delivery.emailed} 封，失败 {delivery.mail_failed}，"
            f"无邮箱跳过 {delivery.mail_skipped_no_address} / e-mails sent {delivery.emailed}"
        )
        out.write(f"站内通知 {len(delivery.notified)} 条；{mail}")
