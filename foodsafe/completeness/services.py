"""Writes for data completeness: record a zero report (零报告).

A zero report says a unit had nothing to enter in a ledger for a period (issue 10 §2): with it
an empty ledger is a real zero for the scorecard (an incident veto reads 未触发); without it and
without rows the scorecard says 无数据. Recorded by a responsible unit that keeps the ledger (the
spec's ``reporting[].reporters``) or by the programme office, with who and when (its history row
is written in the same transaction).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from foodsafe.accounts.permissions import is_member_unit, is_office, user_unit_id
from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit
from foodsafe.programme.spec import ProgrammeSpec
from foodsafe.scorecard.periods import PeriodError, parse_period

from .models import ZeroReport


def may_record_zero_report(user: Any, spec: ProgrammeSpec, ledger: str) -> bool:
    """The office for any ledger; a member unit for a ledger the spec says it reports."""
    if is_office(user):
        return True
    entry = spec.ledger_reporting(ledger)
    if entry is None or not is_member_unit(user):
        return False
    unit_id = user_unit_id(user)
    if unit_id is None:
        return False
    return ResponsibleUnit.objects.filter(pk=unit_id, code__in=entry.reporters).exists()


def zero_report_record(
    *, spec: ProgrammeSpec, ledger: str, org_unit: str, period: str, note: str = "", actor: Any
) -> ZeroReport:
    """Record that ``org_unit`` had nothing to report in ``ledger`` for ``period``.

    ``ledger`` must be one of the spec's ``reporting`` ledgers; ``period`` a period code (2021,
    2021Q1…); ``org_unit`` a known 12-digit code. Recording the same (ledger, unit, period)
    again is refused (the first report stands, with its reporter and time).

    Raises ``PermissionDenied`` unless ``actor`` is the office or a unit that reports the
    ledger; ``ValidationError`` for an unknown ledger, unit or period or a duplicate.
    """
    entry = spec.ledger_reporting(ledger)
    if entry is None:
        known = "、".join(r.ledger for r in spec.reporting)
        raise ValidationError(f"未知的台账 {ledger!r}；可填：{known}", code="ledger")
    if not may_record_zero_report(actor, spec, ledger):
        raise PermissionDenied(
            f"只有{'、'.join(entry.reporters)}或创城办可以填报{entry.name}零报告"
        )
    try:
        code = parse_period(period).code
    except PeriodError as exc:
        raise ValidationError(str(exc), code="period") from exc
    unit = OrgUnit.objects.filter(code=(org_unit or "").strip()).first()
    if unit is None:
        raise ValidationError(f"未知的区划代码 {org_unit!r}", code="org_unit")
    with transaction.atomic():
        if ZeroReport.objects.filter(ledger=ledger, org_unit=unit, period=code).exists():
            raise ValidationError(
                f"{unit.name} {code} 的{entry.name}零报告已填报，不能重复填报。", code="duplicate"
            )
        report = ZeroReport(
            ledger=ledger,
            org_unit=unit,
            period=code,
            note=(note or "").strip(),
            reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        report._history_user = actor  # type: ignore[attr-defined]
        report.save()
    return report
