"""The year-end adjustment (年度风险等级调整, 2016 办法 第二十七条–第三十条).

第二十七条: next year's grade is adjusted from this year's records. Each rule of the spec's
``adjustment.up`` (第二十八条) and ``adjustment.down`` (第三十条) names a *detector*, the way
the ledgers show the case; a detector returns, for every business it finds, the reasons (which
case, which ledger row). Then per business (第二十九条: none → no change):

- any up case → up by the sum of the cases' ``steps``, at most ``up_max_steps`` grades;
- else any down case → down by one grade (the largest ``steps`` of the cases);
- with both, ``up_wins`` decides (the reading the spec states);
- the grade adjusted is the one confirmed for the year (``Grading.grade``), else the grade in
  force in the registry for the year, else the score grade, else the recorded grade kept for an
  operator lacking the data a score needs; a 待评定 operator (none of these) gets no proposal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from foodsafe.enforcement.models import Case
from foodsafe.registry.models import FoodBusiness, RiskGrade
from foodsafe.sampling.models import Conclusion, SamplingBatch

from . import bulk
from .grading import BATCH, _run
from .models import AdjustmentFact, Checklist, FactKind, Grading, GradingRun, Suggestion
from .scoring import shift
from .spec import AdjustmentRule, GradingSpec

Found = dict[int, list[str]]


def _penalty_case(rule: AdjustmentRule, year: int) -> Found:
    """Cases closed in ``year`` against the business with a penalty of at least
    ``options.min_penalty`` yuan (罚没款)."""
    minimum = Decimal(str(rule.options.get("min_penalty", "0.01")))
    found: Found = defaultdict(list)
    rows = Case.objects.filter(
        business__isnull=False, closed_on__year=year, penalty_amount__gte=minimum
    ).values_list("business_id", "case_number", "closed_on", "penalty_amount")
    for business_id, number, closed_on, amount in rows.iterator(chunk_size=BATCH):
        found[business_id].append(f"案件 {number}（{closed_on:%Y-%m-%d} 办结，罚没款 {amount} 元）")
    return found


def _failed_sampling(rule: AdjustmentRule, year: int) -> Found:
    """Batches of the business sampled in ``year`` of ``options.sampling_types`` concluded
    不合格."""
    types = rule.options.get("sampling_types", ["surveillance"])
    found: Found = defaultdict(list)
    rows = SamplingBatch.objects.filter(
        business__isnull=False,
        sampled_on__year=year,
        sampling_type__in=types,
        conclusion=Conclusion.NONCONFORMING,
    ).values_list("business_id", "sample_number", "sampled_on", "food_name")
    for business_id, number, sampled_on, food in rows.iterator(chunk_size=BATCH):
        found[business_id].append(
            f"抽样单 {number}（{sampled_on:%Y-%m-%d}，{food or '样品'}）不合格"
        )
    return found


def _recorded(kind: str, year: int) -> Found:
    """Facts of ``kind`` dated in ``year``; a certification counts when held on the year's last
    day (issued by then and not expired before)."""
    found: Found = defaultdict(list)
    rows = AdjustmentFact.objects.filter(kind=kind)
    end = date(year, 12, 31)
    if kind == FactKind.CERTIFICATION:
        rows = rows.filter(occurred_on__lte=end).exclude(valid_until__lt=end)
    else:
        rows = rows.filter(occurred_on__year=year)
    label = FactKind(kind).label
    for business_id, day, text in rows.values_list(
        "business_id", "occurred_on", "description"
    ).iterator(chunk_size=BATCH):
        found[business_id].append(f"{label}（{day:%Y-%m-%d}）：{text}")
    return found


def _recorded_fact(rule: AdjustmentRule, year: int) -> Found:
    return _recorded(str(rule.options["kind"]), year)


def _obstruction(rule: AdjustmentRule, year: int) -> Found:
    """A checklist of ``year`` marked 拒绝、逃避、阻挠检查, or a recorded fact of that kind."""
    found = _recorded(str(rule.options.get("kind", FactKind.OBSTRUCTION)), year)
    rows = Checklist.objects.filter(obstructed=True, inspection__inspected_on__year=year)
    for business_id, number, day in rows.values_list(
        "inspection__business_id", "inspection__inspection_number", "inspection__inspected_on"
    ).iterator(chunk_size=BATCH):
        found[business_id].append(f"检查 {number}（{day:%Y-%m-%d}）记录拒绝、逃避、阻挠检查")
    return found


DETECTORS: dict[str, Callable[[AdjustmentRule, int], Found]] = {
    "penalty_case": _penalty_case,
    "failed_surveillance_sampling": _failed_sampling,
    "recorded_fact": _recorded_fact,
    "obstruction": _obstruction,
}


def up_cases(spec: GradingSpec, year: int) -> dict[int, list[dict[str, Any]]]:
    """Every 第二十八条 case of ``year``, by business: ``[{code, article, name, steps,
    reasons}]``."""
    cases: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rule in spec.adjustment.up:
        for business_id, reasons in DETECTORS[rule.detector](rule, year).items():
            cases[business_id].append(_case(rule, reasons))
    return cases


def _case(rule: AdjustmentRule, reasons: list[str]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "article": rule.article,
        "name": rule.name,
        "steps": rule.steps,
        "reasons": reasons,
    }


def down_cases(
    spec: GradingSpec, year: int, ups_by_year: dict[int, dict[int, list[dict[str, Any]]]]
) -> dict[int, list[dict[str, Any]]]:
    """Every 第三十条 case of ``year``, by business. ``clean_years`` needs the up cases of the
    earlier years: ``ups_by_year[y]`` as :func:`up_cases` returns them."""
    cases: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rule in spec.adjustment.down:
        if rule.detector == "clean_years":
            found = _clean_years(rule, year, ups_by_year)
        else:
            found = DETECTORS[rule.detector](rule, year)
        for business_id, reasons in found.items():
            cases[business_id].append(_case(rule, reasons))
    return cases


def _clean_years(
    rule: AdjustmentRule, year: int, ups_by_year: dict[int, dict[int, list[dict[str, Any]]]]
) -> Found:
    """Businesses open since 1 January of the first of ``options.years`` years ending with
    ``year`` with no up case in any of them (第三十条第（一）项, [M])."""
    years = int(rule.options.get("years", 3))
    first = year - years + 1
    dirty: set[int] = set()
    for y in range(first, year + 1):
        dirty |= set(ups_by_year[y])
    found: Found = {}
    rows = FoodBusiness.objects.filter(opened_on__lte=date(first, 1, 1)).values_list(
        "id", flat=True
    )
    for business_id in rows.iterator(chunk_size=BATCH):
        if business_id not in dirty:
            found[business_id] = [f"{first}–{year} 年连续 {years} 年无第二十八条所列情形"]
    return found


def decide(
    spec: GradingSpec, base: str, ups: list[dict[str, Any]], downs: list[dict[str, Any]]
) -> tuple[str, str]:
    """``(suggestion, next grade)`` from the base grade and the cases (see the module doc)."""
    if ups and (spec.adjustment.up_wins or not downs):
        steps = min(sum(int(c["steps"]) for c in ups), spec.adjustment.up_max_steps)
        return Suggestion.UP, shift(base, steps)
    if downs:
        return Suggestion.DOWN, shift(base, -max(int(c["steps"]) for c in downs))
    return Suggestion.KEEP, base


def adjustments_propose(*, spec: GradingSpec, year: int, actor: Any) -> GradingRun:
    """Propose next year's grade for every grading of ``year`` (run ``gradings_assess`` first):
    the cases found with their reasons, the suggestion (上调/不调/下调) and the proposed grade.
    A confirmed ``next_grade`` stays as confirmed. Returns the run (audit row)."""
    started = timezone.now()
    years = _years_needed(spec, year)
    ups_by_year = {y: up_cases(spec, y) for y in years}
    downs = down_cases(spec, year, ups_by_year)
    ups = ups_by_year[year]
    in_force = dict(
        RiskGrade.objects.filter(year=year)
        .values_list("business_id", "level")
        .iterator(chunk_size=BATCH)
    )
    now = timezone.now()
    rows = []
    # The recorded grade kept for an operator lacking the data a score needs (its inputs only:
    # reading every grading's inputs would cost a city's run much more).
    kept = {
        b: str(inputs.get("recorded_grade", ""))
        for b, inputs in Grading.objects.filter(year=year, basis=Grading.Basis.RECORDED)
        .values_list("business_id", "inputs")
        .iterator(chunk_size=BATCH)
    }
    for grading_id, b, score_grade, grade in (
        Grading.objects.filter(year=year)
        .values_list("id", "business_id", "score_grade", "grade")
        .iterator(chunk_size=BATCH)
    ):
        base = grade or in_force.get(b) or score_grade or kept.get(b, "")
        if not base:
            continue  # 待评定: no grade to adjust (no data, no recorded grade)
        suggestion, proposed = decide(spec, base, ups.get(b, []), downs.get(b, []))
        rows.append((ups.get(b, []), downs.get(b, []), suggestion, proposed, now, grading_id))
    with transaction.atomic():
        bulk.update_by_id(
            Grading,
            ["up_cases", "down_cases", "suggestion", "proposed_next_grade", "adjusted_at"],
            rows,
        )
        ids = [row[-1] for row in rows]
        bulk.history_copy(Grading, ids, history_type="~", user=actor, when=now)
        return _run(GradingRun.Kind.ADJUSTMENT, year, spec, len(rows), actor, started)


def _years_needed(spec: GradingSpec, year: int) -> list[int]:
    span = max(
        (
            int(r.options.get("years", 3))
            for r in spec.adjustment.down
            if r.detector == "clean_years"
        ),
        default=1,
    )
    return list(range(year - span + 1, year + 1))
