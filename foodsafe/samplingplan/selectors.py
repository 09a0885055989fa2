"""Reads of the sampling plan: the plan in force, its totals, and its progress by month, cell,
category and unit, read from the sampling ledger (nothing about progress is stored)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractMonth, Substr

from foodsafe.orgunits.models import OrgUnit, Population, subtree_prefix
from foodsafe.sampling.models import SamplingBatch, TestItem, TestItemCategory
from foodsafe.workdays.calendar import current_calendar

from .allocate import Cell, Line, Totals, totals
from .in_force import sampling_plan_spec
from .models import Disposal, DisposalState, DisposalStep, SamplingPlan
from .spec import SamplingPlanSpec

RESIDUE = (TestItemCategory.PESTICIDE_RESIDUE, TestItemCategory.VET_DRUG_RESIDUE)


def plan_in_force(org_code: str, year: int) -> SamplingPlan | None:
    """The latest saved version of ``org_code``'s plan for ``year``."""
    return (
        SamplingPlan.objects.filter(org_unit__code=org_code, year=year).order_by("-version").first()
    )


def plan_lines(plan: SamplingPlan) -> list[Line]:
    return [
        Line(
            r.category_code,
            r.stage,
            r.business_format,
            r.month_from,
            r.month_to,
            r.batches,
            r.residue,
            r.special,
        )
        for r in plan.lines.all()
    ]


def plan_cells(plan: SamplingPlan) -> tuple[Cell, ...]:
    """The cells the plan was generated for (as stored in its inputs)."""
    return tuple(Cell(s, f, int(n), float(w)) for s, f, n, w in plan.inputs.get("cells", []))


def plan_totals(plan: SamplingPlan) -> Totals:
    """Recomputed from the saved lines: batches, per 1,000, residue per 1,000, coverage."""
    return totals(plan_lines(plan), plan.population, plan_cells(plan))


def _monthly(lines: list[Line]) -> list[Decimal]:
    """Planned batches per month (a quarter line counts a third in each of its months)."""
    per = [Decimal(0)] * 12
    for line in lines:
        months = line.month_to - line.month_from + 1
        for m in range(line.month_from, line.month_to + 1):
            per[m - 1] += Decimal(line.batches) / months
    return per


def _due_by(line: Line, month: int) -> Decimal:
    """Batches of ``line`` due by the end of ``month``."""
    if month < line.month_from:
        return Decimal(0)
    months = line.month_to - line.month_from + 1
    return Decimal(line.batches) * (min(month, line.month_to) - line.month_from + 1) / months


@dataclass(frozen=True)
class MonthRow:
    month: int
    planned: Decimal
    planned_cum: Decimal
    done: int
    done_cum: int
    elapsed: bool
    balanced: bool | None  # None: the month has not ended yet


@dataclass(frozen=True)
class CellRow:
    stage: str
    business_format: str
    planned: int
    due: Decimal
    done: int

    @property
    def behind(self) -> Decimal:
        return max(self.due - self.done, Decimal(0))


@dataclass(frozen=True)
class CategoryNeed:
    code: str
    residue: bool
    planned: int
    done: int

    @property
    def needed(self) -> int:
        return max(self.planned - self.done, 0)


@dataclass(frozen=True)
class Progress:
    plan: SamplingPlan
    on: date
    months: list[MonthRow]
    cells: list[CellRow]
    needs: list[CategoryNeed]
    done: int
    done_residue: int
    planned: int
    planned_residue: int
    balance_share: Decimal | None  # 均衡推进: share of ended months on the line; None: 无数据
    forecast: int | None
    forecast_residue: int | None
    forecast_per_thousand: Decimal | None
    forecast_residue_per_thousand: Decimal | None


def _counted(plan: SamplingPlan, spec: SamplingPlanSpec, on: date):  # noqa: ANN202
    residue = TestItem.objects.filter(batch=OuterRef("pk"), category__in=RESIDUE)
    return SamplingBatch.objects.filter(
        org_unit__code__startswith=subtree_prefix(plan.org_unit_id),
        sampled_on__gte=date(plan.year, 1, 1),
        sampled_on__lte=min(on, date(plan.year, 12, 31)),
        sampling_type__in=spec.targets.counted_types,
    ).annotate(is_residue=Exists(residue))


def plan_progress(*, plan: SamplingPlan, spec: SamplingPlanSpec, on: date) -> Progress:
    """Progress of ``plan`` on ``on`` (实施方案 第13条 "按计划要求均衡推进"): done against due by
    month and by 环节 × 业态 cell; the share of ended months whose cumulative done is within the
    spec's tolerance of the cumulative plan; the year-end forecast at the pace so far and the
    batches still needed by category. One grouped query over the sampling ledger."""
    lines = plan_lines(plan)
    rows = (
        _counted(plan, spec, on)
        .annotate(m=ExtractMonth("sampled_on"), top=Substr("category_code", 1, 2))
        .values("m", "stage", "business_format", "top", "category_code", "is_residue")
        .annotate(n=Count("id"))
    )
    by_month: dict[int, int] = defaultdict(int)
    by_cell: dict[tuple[str, str], int] = defaultdict(int)
    by_top: dict[str, int] = defaultdict(int)
    by_residue_code: dict[str, int] = defaultdict(int)
    done = done_residue = 0
    for r in rows:
        n = r["n"]
        done += n
        by_month[r["m"]] += n
        by_cell[(r["stage"], r["business_format"])] += n
        if r["is_residue"]:
            done_residue += n
            by_residue_code[(r["category_code"] or "")[:4]] += n
        else:
            by_top[r["top"] or ""] += n

    ended = _ended_months(plan.year, on)
    monthly = _monthly(lines)
    tolerance = Decimal(str(spec.balance.tolerance))
    months, planned_cum, done_cum, on_line = [], Decimal(0), 0, 0
    for m in range(1, 13):
        planned_cum += monthly[m - 1]
        done_cum += by_month.get(m, 0)
        balanced = None
        if m <= ended:
            balanced = done_cum >= (1 - tolerance) * planned_cum
            on_line += balanced
        months.append(
            MonthRow(
                m, monthly[m - 1], planned_cum, by_month.get(m, 0), done_cum, m <= ended, balanced
            )
        )

    cells: dict[tuple[str, str], list[Decimal]] = {}
    for line in lines:
        slot = cells.setdefault((line.stage, line.business_format), [Decimal(0), Decimal(0)])
        slot[0] += line.batches
        slot[1] += _due_by(line, ended)
    for key in by_cell:
        cells.setdefault(key, [Decimal(0), Decimal(0)])
    cell_rows = [
        CellRow(s, f, int(p), d.quantize(Decimal("0.1")), by_cell.get((s, f), 0))
        for (s, f), (p, d) in sorted(cells.items())
    ]

    planned_top: dict[tuple[str, bool], int] = defaultdict(int)
    for line in lines:
        planned_top[(line.category_code, line.residue)] += line.batches
    needs = [
        CategoryNeed(
            code, residue, n, by_residue_code.get(code, 0) if residue else by_top.get(code, 0)
        )
        for (code, residue), n in sorted(
            planned_top.items(), key=lambda kv: (not kv[0][1], kv[0][0])
        )
    ]
    planned = sum(line.batches for line in lines)
    planned_residue = sum(line.batches for line in lines if line.residue)
    fraction = _year_fraction(plan.year, on)
    forecast = round(done / fraction) if fraction and done else None
    forecast_residue = round(done_residue / fraction) if fraction and done_residue else None

    def per(n: int | None) -> Decimal | None:
        if n is None or not plan.population:
            return None
        return (Decimal(n) * 1000 / plan.population).quantize(Decimal("0.01"), ROUND_HALF_UP)

    return Progress(
        plan=plan,
        on=on,
        months=months,
        cells=cell_rows,
        needs=needs,
        done=done,
        done_residue=done_residue,
        planned=planned,
        planned_residue=planned_residue,
        balance_share=(Decimal(100) * on_line / ended).quantize(Decimal("0.1")) if ended else None,
        forecast=forecast,
        forecast_residue=forecast_residue,
        forecast_per_thousand=per(forecast),
        forecast_residue_per_thousand=per(forecast_residue),
    )


def _ended_months(year: int, on: date) -> int:
    """Months of ``year`` that have ended by ``on`` (0–12)."""
    if on.year < year:
        return 0
    if on.year > year:
        return 12
    last = calendar.monthrange(year, on.month)[1]
    return on.month if on.day == last else on.month - 1


def _year_fraction(year: int, on: date) -> float:
    """Share of ``year`` elapsed by the end of ``on`` (0 before it, 1 after it)."""
    if on.year < year:
        return 0.0
    if on.year > year:
        return 1.0
    days = 366 if calendar.isleap(year) else 365
    return (on - date(year, 1, 1)).days / days + 1 / days


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    population: int | None
    due: Decimal | None
    done: int

    @property
    def behind(self) -> Decimal | None:
        return None if self.due is None else max(self.due - self.done, Decimal(0))


def units_progress(
    *,
    plan: SamplingPlan,
    spec: SamplingPlanSpec,
    on: date,
    parent: str | None = None,
    parents: list[str] | None = None,
) -> list[UnitRow]:
    """Each child unit's batches done against its share of the plan due by ``on``; the share
    is its resident population's [I] (the plan is made for the whole unit). ``parent``: the
    children of that unit (inside the plan's) instead; ``parents``: the children of each of
    those units, in that order (every unit of a city in one call). A child with no population
    figure for the plan's population year has no due (无数据). Three queries whatever the
    number of units: the children, the population figures, the batches by org unit."""
    wanted = parents if parents is not None else [parent or plan.org_unit_id]
    children = list(OrgUnit.objects.filter(parent__code__in=wanted).order_by("parent_id", "code"))
    order = {code: i for i, code in enumerate(wanted)}
    children.sort(key=lambda c: (order.get(c.parent_id or "", 0), c.code))
    year = plan.inputs.get("population_year", plan.year)
    figures = list(
        Population.objects.filter(
            org_unit__code__startswith=subtree_prefix(plan.org_unit_id), year=year
        ).values_list("org_unit_id", "org_unit__level", "resident_population")
    )
    population: dict[str, int] = {}
    for child in children:
        prefix = subtree_prefix(child.code)
        inside = [(level, n) for code, level, n in figures if str(code).startswith(prefix)]
        if inside:
            top = min(level for level, _ in inside)
            population[child.code] = sum(n for level, n in inside if level == top)
    # Counts only: no residue flag, so no per-row subquery.
    rows = (
        SamplingBatch.objects.filter(
            org_unit__code__startswith=subtree_prefix(plan.org_unit_id),
            sampled_on__gte=date(plan.year, 1, 1),
            sampled_on__lte=min(on, date(plan.year, 12, 31)),
            sampling_type__in=spec.targets.counted_types,
        )
        .values("org_unit_id")
        .annotate(n=Count("id"))
    )
    by_unit = {r["org_unit_id"]: r["n"] for r in rows}
    done: dict[str, int] = {}
    for child in children:
        prefix = subtree_prefix(child.code)
        done[child.code] = sum(n for code, n in by_unit.items() if str(code).startswith(prefix))
    ended = _ended_months(plan.year, on)
    due_total = sum((_due_by(line, ended) for line in plan_lines(plan)), Decimal(0))
    return [
        UnitRow(
            c.code,
            c.name,
            population.get(c.code),
            (due_total * population[c.code] / plan.population).quantize(Decimal("0.1"))
            if c.code in population and plan.population
            else None,
            done[c.code],
        )
        for c in children
    ]


@dataclass(frozen=True)
class Reminder:
    """A step or a whole disposal due soon (``overdue`` False) or past its deadline."""

    disposal: Disposal
    step: DisposalStep | None
    due_on: date
    overdue: bool

    @property
    def title(self) -> str:
        return self.step.title if self.step else "核查处置办结"


def disposal_reminders(*, spec: SamplingPlanSpec, on: date, prefix: str = "") -> list[Reminder]:
    """Open disposals' steps not done, and disposals not closed, whose deadline is within
    ``disposal.remind_before_workdays`` working days of ``on`` or already past it (逾期督办);
    ``prefix`` limits them to an org-unit subtree. Overdue first, then by deadline."""
    calendar = current_calendar()
    soon = calendar.add_workdays(on, spec.disposal.remind_before_workdays).date
    disposals = Disposal.objects.filter(state=DisposalState.OPEN).select_related(
        "batch", "business"
    )
    if prefix:
        disposals = disposals.filter(org_unit__code__startswith=prefix)
    out: list[Reminder] = []
    for d in disposals:
        if d.served_on is None and d.serve_due_on <= soon:
            out.append(Reminder(d, None, d.serve_due_on, d.serve_due_on < on))
        deadline = d.extended_to or d.close_due_on
        if deadline is not None and deadline <= soon:
            out.append(Reminder(d, None, deadline, deadline < on))
    steps = DisposalStep.objects.filter(
        disposal__state=DisposalState.OPEN, done_on__isnull=True, kind="task", due_on__lte=soon
    ).select_related("disposal__batch", "disposal__business")
    if prefix:
        steps = steps.filter(disposal__org_unit__code__startswith=prefix)
    out += [Reminder(s.disposal, s, s.due_on, s.due_on < on) for s in steps]
    return sorted(out, key=lambda r: (not r.overdue, r.due_on, r.disposal.pk))


def disposals_list(*, prefix: str = "", year: int | None = None) -> list[Disposal]:
    """Disposals of a subtree (and a report year), newest first, with batch and operator."""
    rows = Disposal.objects.select_related("batch", "business").order_by("-reported_on")
    if prefix:
        rows = rows.filter(org_unit__code__startswith=prefix)
    if year:
        rows = rows.filter(reported_on__year=year)
    return list(rows)


def failed_without_disposal(*, prefix: str = "", year: int | None = None) -> list[SamplingBatch]:
    """不合格 batches with a report and no disposal opened yet."""
    rows = SamplingBatch.objects.filter(
        conclusion="nonconforming", reported_on__isnull=False, disposal__isnull=True
    ).select_related("business")
    if prefix:
        rows = rows.filter(org_unit__code__startswith=prefix)
    if year:
        rows = rows.filter(reported_on__year=year)
    return list(rows.order_by("reported_on", "sample_number"))


@dataclass(frozen=True)
class SamplingCard:
    """The dashboard's sampling-plan card: the plan in force and its progress on a day."""

    plan: SamplingPlan
    progress: Progress
    linked: bool


def sampling_card(*, org_code: str, year: int, on: date, may_open: bool) -> SamplingCard | None:
    """The plan in force of ``org_code`` for ``year`` with its progress on ``on`` (均衡推进
    share, forecast), or ``None`` when the unit has no plan that year."""
    plan = plan_in_force(org_code, year)
    if plan is None:
        return None
    spec = sampling_plan_spec()
    return SamplingCard(plan, plan_progress(plan=plan, spec=spec, on=on), may_open)
