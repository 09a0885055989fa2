"""Notice writes: publish for N days, file an objection (public page), assign it, reply, and
close the notice with its result. Each write is one transaction with its history row (the
audit trail: who, when, what; the objector's name and phone are kept out of it)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from foodsafe.accounts.permissions import user_role
from foodsafe.supervision.models import Notification
from foodsafe.workdays.calendar import add_workdays

from .models import Notice, Objection, Outcome


class NoticeError(ValueError):
    """A step that may not happen; the message says why, in Chinese."""


#: How far ahead a notice may be scheduled to start.
MAX_DAYS_AHEAD = 90


def notice_publish(*, notice: Notice, starts_on: date, on: date, actor: Any) -> Notice:
    """公示: from ``starts_on`` for ``notice.days`` calendar days (the 15 days of the city
    review are 自然日 [I]: the plan says 公示15天 without 工作日), ``ends_on`` the last one.
    Published on ``on``: the notice may start that day or up to 90 days later, never before
    (a notice backdated into the past would read 公示期满 before anyone could object), and runs
    at least ``FOODSAFE_NOTICE_MIN_DAYS`` days."""
    if notice.starts_on is not None:
        raise NoticeError("该公示已发布")
    if notice.days < settings.FOODSAFE_NOTICE_MIN_DAYS:
        raise NoticeError(f"公示天数不能少于{settings.FOODSAFE_NOTICE_MIN_DAYS}天")
    if starts_on < on:
        raise NoticeError(f"公示开始日期不能早于发布当天（{on:%Y-%m-%d}）")
    if starts_on > on + timedelta(days=MAX_DAYS_AHEAD):
        raise NoticeError(f"公示开始日期不能晚于发布后{MAX_DAYS_AHEAD}天")
    notice.starts_on = starts_on
    notice.ends_on = starts_on + timedelta(days=notice.days - 1)
    notice._history_user = actor  # type: ignore[attr-defined]
    with transaction.atomic():
        notice.save()
    return notice


def is_open(notice: Notice, on: date) -> bool:
    return (
        notice.starts_on is not None
        and notice.ends_on is not None
        and notice.closed_on is None
        and notice.starts_on <= on <= notice.ends_on
    )


def objection_file(
    *, notice: Notice, name: str, phone: str, contact: str, content: str, key: str, on: date
) -> Objection:
    """File an objection during the notice period; its reply is due
    ``FOODSAFE_OBJECTION_REPLY_WORKING_DAYS`` working days later ([I]: no rule gives the time,
    the office sets it). ``key`` (the form's challenge nonce) makes a resubmission store
    nothing new."""
    number = f"YY{on:%Y%m%d}-{key[:10].upper()}"
    found = Objection.objects.filter(number=number).first()
    if found is not None:
        return found
    if not is_open(notice, on):
        raise NoticeError("不在公示期内，不能提出异议")
    if not (name.strip() and phone.strip() and content.strip()):
        raise NoticeError("请填写姓名、联系电话和异议内容")
    due = add_workdays(on, settings.FOODSAFE_OBJECTION_REPLY_WORKING_DAYS).date
    try:
        with transaction.atomic():
            return Objection.objects.create(
                notice=notice,
                number=number,
                name=name.strip(),
                phone=phone.strip(),
                contact=contact.strip(),
                content=content.strip(),
                received_on=on,
                due_on=due,
            )
    except IntegrityError:
        return Objection.objects.get(number=number)


def objection_assign(*, objection: Objection, handler: Any, actor: Any) -> Objection:
    """Make ``handler`` the objection's 承办人 (the office assigns): from then on it is on their
    page 我承办的异议 (``notices:objections``), with the objector's contact details in full, and
    they answer it; nobody else but the office sees it. The handler is told in 通知 (and by
    e-mail when configured) — without the objector's name or phone. Refused for an answered
    objection and for a login without a role or not active (it could not open the page)."""
    if objection.replied_on is not None:
        raise NoticeError("该异议已答复，不能再指定承办人")
    if not handler.is_active or user_role(handler) is None:
        raise NoticeError("承办人须为在用、有角色的账号")
    objection.handler = handler
    objection._history_user = actor  # type: ignore[attr-defined]
    with transaction.atomic():
        objection.save(update_fields=["handler"])
        Notification.objects.create(
            recipient=handler,
            title=f"异议承办：{objection.number}",
            body=(
                f"您被指定为公示“{objection.notice.title}”的异议 {objection.number} 的承办人，"
                f"请于 {objection.due_on:%Y-%m-%d} 前核实并答复。"
            ),
            url=reverse("notices:objection", args=[objection.pk]),
        )
    return objection


def objection_reply(
    *, objection: Objection, reply: str, outcome: str, on: date, actor: Any
) -> Objection:
    """答复: the handler's reply and finding (成立/部分成立/不成立)."""
    if objection.handler_id is not None and objection.handler_id != actor.pk:
        raise NoticeError("只有承办人可以答复")
    if not reply.strip() or outcome not in Outcome.values:
        raise NoticeError("请填写答复并选择核实结论")
    objection.reply, objection.outcome, objection.replied_on = reply.strip(), outcome, on
    objection._history_user = actor  # type: ignore[attr-defined]
    with transaction.atomic():
        objection.save(update_fields=["reply", "outcome", "replied_on"])
    return objection


def notice_close(*, notice: Notice, on: date, actor: Any) -> Notice:
    """End the notice after its last day: "无异议" when none came, else each objection and its
    outcome (all must be answered first)."""
    if notice.ends_on is None or on <= notice.ends_on:
        raise NoticeError("公示期未满，不能结束")
    if notice.closed_on is not None:
        raise NoticeError("该公示已结束")
    objections = list(notice.objections.order_by("received_on", "id"))
    if any(o.replied_on is None for o in objections):
        raise NoticeError("尚有异议未答复")
    if objections:
        lines = [f"{o.number}：{o.get_outcome_display()}。{o.reply}" for o in objections]
        notice.result = f"公示期内收到异议 {len(objections)} 件：\n" + "\n".join(lines)
    else:
        notice.result = "公示期满，无异议。"
    notice.closed_on = on
    notice._history_user = actor  # type: ignore[attr-defined]
    with transaction.atomic():
        notice.save(update_fields=["result", "closed_on"])
    return notice


def new_key() -> str:
    return secrets.token_hex(5)


def notice_create(*, title: str, body: str, days: int, actor: Any) -> Notice:
    """A draft notice (published with :func:`notice_publish`)."""
    if not title.strip() or not body.strip():
        raise NoticeError("请填写公示标题和内容")
    if days < settings.FOODSAFE_NOTICE_MIN_DAYS:
        raise NoticeError(f"公示天数不能少于{settings.FOODSAFE_NOTICE_MIN_DAYS}天")
    notice = Notice(title=title.strip(), body=body.strip(), days=days, created_by=actor)
    notice._history_user = actor  # type: ignore[attr-defined]
    with transaction.atomic():
        notice.save()
    return notice
