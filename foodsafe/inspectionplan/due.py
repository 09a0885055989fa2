"""When each operator's next inspection is due, and why: pure functions over an operator's facts.

Three rules, all configuration (the plan spec and the grading spec's frequencies):

- **grade frequency** (风险分级管理办法 第二十六条; frequencies RULES.md §2.2): an operator of
  grade g inspected at least n times a year is due 12/n months after its last counted
  inspection (the interval reading, [I]); the 2022 draft's table gives months directly;
  an operator without a grade is due every ``frequency.ungraded.months``;
- **two-year full checklist** (监督检查管理办法 第二十二条): due 24 months after its last
  full-checklist (全项目) inspection;
- **重点监督检查** (第二十二条): an operator in a key category (special-food producer, C/D
  producer, D operator, central kitchen, group-meal distributor) is due every
  ``key_supervision.months`` (the interval is [I]).

An operator never inspected under a rule counts from its opening date; with no opening date it
is due at once (``due_on`` is the date asked about, and the reason says so).
The next inspection is due at the earliest of its rules; every rule's date is kept as a reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from .spec import FROM_GRADING_SPEC, PlanSpec


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (2021-08-31 + 6 → 2022-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class OperatorFacts:
    """What the ledgers say about one operator on the day asked about (history before it)."""

    business_id: int
    registry_number: str
    name: str
    org_unit_code: str
    sector: str
    business_format: str
    opened_on: date | None
    grade: str  # "" when the operator has no grade
    grade_source: str  # e.g. "2021 年风险等级记录", "登记等级", ""
    last_counted: date | None  # last inspection of a counted type
    last_full: date | None  # last full-checklist inspection
    static_table: str = ""
    last_inspectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueReason:
    rule: str  # frequency | ungraded | full_checklist | key
    due_on: date
    text: str


@dataclass(frozen=True)
class Due:
    facts: OperatorFacts
    due_on: date
    reasons: tuple[DueReason, ...]
    key_categories: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> DueReason:
        """The rule that makes it due first."""
        return min(self.reasons, key=lambda r: r.due_on)

    def overdue(self, on: date) -> bool:
        return self.due_on < on

    def days_since_last(self, on: date) -> int | None:
        last = self.facts.last_counted
        return None if last is None else (on - last).days


def frequency_months(spec: PlanSpec, per_year_min: dict[str, int]) -> dict[str, int | None]:
    """Months between inspections for each grade: the plan spec's table when it names one,
    else 12 // the grading spec's yearly minimum (``None`` when that minimum is 0: no rule).

    ``per_year_min``: grade → minimum inspections a year from the grading spec's
    ``frequencies.per_year`` (A 1, B 1, C 2, D 3 in the 2016 table → 12, 12, 6, 4 months).
    """
    table = spec.frequency_table()
    if table is not None and spec.frequency.table != FROM_GRADING_SPEC:
        return {g: m for g, m in table.months.items()}
    return {g: (12 // n if n else None) for g, n in per_year_min.items()}


def key_categories(spec: PlanSpec, facts: OperatorFacts) -> tuple[str, ...]:
    """Names of the 重点监督检查 categories the operator falls in (第二十二条)."""
    return tuple(
        cat.name
        for cat in spec.key_supervision.categories
        if cat.matches(
            sector=facts.sector,
            business_format=facts.business_format,
            grade=facts.grade,
            static_table=facts.static_table,
        )
    )


def _since(last: date | None, opened: date | None, months: int, on: date) -> tuple[date, str]:
    if last is not None:
        return add_months(last, months), f"上次 {last:%Y-%m-%d}"
    if opened is not None:
        return add_months(opened, months), f"无记录，自开业 {opened:%Y-%m-%d} 起算"
    return on, "无记录且开业日期不详，即为到期"


def due_for(
    spec: PlanSpec, months_by_grade: dict[str, int | None], facts: OperatorFacts, on: date
) -> Due:
    """The operator's next due date with every rule's date and reason (see the module doc).

    ``months_by_grade`` is :func:`frequency_months`; ``on`` is the day asked about (used only
    when a rule has neither a last inspection nor an opening date to count from).
    """
    reasons: list[DueReason] = []
    grade = facts.grade
    if grade:
        months = months_by_grade.get(grade)
        if months:
            day, basis = _since(facts.last_counted, facts.opened_on, months, on)
            reasons.append(
                DueReason("frequency", day, f"{grade} 级每 {months} 个月至少检查 1 次（{basis}）")
            )
    else:
        months = spec.frequency.ungraded.months
        day, basis = _since(facts.last_counted, facts.opened_on, months, on)
        reasons.append(
            DueReason("ungraded", day, f"未定级，每 {months} 个月至少检查 1 次（{basis}）")
        )
    full = spec.full_checklist.months
    day, basis = _since(facts.last_full, facts.opened_on, full, on)
    reasons.append(
        DueReason(
            "full_checklist", day, f"每 {full} 个月至少 1 次全项目检查（第二十二条，{basis}）"
        )
    )
    cats = key_categories(spec, facts)
    if cats:
        months = spec.key_supervision.months
        day, basis = _since(facts.last_counted, facts.opened_on, months, on)
        reasons.append(
            DueReason("key", day, f"重点监督检查（{'、'.join(cats)}），每 {months} 个月（{basis}）")
        )
    due_on = min(r.due_on for r in reasons)
    return Due(facts=facts, due_on=due_on, reasons=tuple(reasons), key_categories=cats)


def baseline_order_key(due: Due, on: date) -> tuple[int, int, str]:
    """The order of the due list without a risk ranking: grade D first (ungraded after A),
    then the longest time since the last counted inspection (never inspected first), then the
    registry number."""
    grade_rank = {"D": 0, "C": 1, "B": 2, "A": 3}.get(due.facts.grade, 4)
    since = due.days_since_last(on)
    return (grade_rank, -(since if since is not None else 10**6), due.facts.registry_number)
