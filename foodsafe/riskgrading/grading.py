"""Grading every operator of a year (风险等级评定): static + dynamic score → A–D.

Steps (RULES-supervision.md §1.1, JD16 rating steps 1–3):

1. static score: the operator's static-factor record (静态风险因素) on its table, or, with no
   record, its registry format's tier (``format_defaults``, [I]);
2. dynamic score: the operator's latest checklist (监督检查要点记录) dated on or before the
   grading day; an operator with none is graded from the static score alone (第二十四条: a new
   operator; an older one with no checklist is treated alike and says so);
3. grade: the total looked up in the bands.

Bulk by design (a city has ~150,000 operators): a handful of queries, scores in Python, rows
written by ``bulk.upsert`` with a history row each (``bulk.history_copy``), and the run itself
recorded (``GradingRun``: who, when, scheme and its sha256, how many rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from foodsafe.registry.models import BusinessStatus, FoodBusiness, RiskGrade

from . import bulk
from .models import Checklist, Grading, GradingRun, StaticFactors
from .scoring import FactorError, StaticScore, format_default_score, grade_for, static_score
from .spec import GradingSpec

BATCH = 5000


@dataclass(frozen=True)
class Assessment:
    """One operator's assessment before it is stored (see ``Grading``)."""

    business_id: int
    static: StaticScore
    dynamic: Decimal
    basis: str
    checklist_id: int | None
    grade: str
    inputs: dict[str, Any]

    @property
    def total(self) -> Decimal:
        return self.static.points + self.dynamic


def operating_filter(on: date) -> Q:
    """Businesses operating on ``on``, as the scorecard counts them (``operating_on``)."""
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=on)) & (
        (Q(closed_on__isnull=True) & ~Q(status=BusinessStatus.CLOSED)) | Q(closed_on__gt=on)
    )


def _static_for(
    spec: GradingSpec, sector: str, business_format: str, record: tuple[str, dict[str, Any]] | None
) -> tuple[StaticScore, str]:
    """The static score and, when the record could not be used, why (shown with the grade)."""
    if record is not None:
        table_code, values = record
        try:
            table = spec.static_table(table_code)
        except KeyError:
            note = f"静态风险因素记录所用分值表 {table_code!r} 不在现行方案中，按业态推定"
            return format_default_score(spec, business_format), note
        try:
            return static_score(table, values), ""
        except FactorError as exc:
            return format_default_score(
                spec, business_format
            ), f"静态风险因素无法计分：{exc}；按业态推定"
    return format_default_score(spec, business_format), "未登记静态风险因素，按业态推定"


def latest_checklists(
    on: date, business_ids: list[int] | None = None
) -> dict[int, tuple[int, date, Decimal, str]]:
    """Each business's latest checklist dated on or before ``on``:
    ``business_id → (checklist id, inspected_on, dynamic score, inspection number)``.

    Latest by inspection date, then by the highest checklist id on that date.
    """
    rows = Checklist.objects.filter(inspection__inspected_on__lte=on)
    if business_ids is not None:
        rows = rows.filter(inspection__business_id__in=business_ids)
    latest_day = dict(
        rows.values("inspection__business_id")
        .annotate(day=Max("inspection__inspected_on"))
        .values_list("inspection__business_id", "day")
    )
    found: dict[int, tuple[int, date, Decimal, str]] = {}
    for pk, business_id, day, score, number in rows.values_list(
        "pk",
        "inspection__business_id",
        "inspection__inspected_on",
        "dynamic_score",
        "inspection__inspection_number",
    ).iterator(chunk_size=BATCH):
        if day != latest_day.get(business_id):
            continue
        if business_id not in found or found[business_id][0] < pk:
            found[business_id] = (pk, day, score, number)
    return found


def assess(
    *,
    spec: GradingSpec,
    year: int,
    on: date,
    businesses: list[dict[str, Any]],
    static_records: dict[int, tuple[str, dict[str, Any]]],
    checklists: dict[int, tuple[int, date, Decimal, str]],
    cached: dict[int, StaticScore] | None = None,
) -> list[Assessment]:
    """Assess ``businesses`` (dicts with ``id``, ``sector``, ``business_format``, ``opened_on``)
    for ``year`` as of ``on``; ``cached``: static scores already known under ``spec`` (by
    business), used instead of scoring ``static_records``. Pure given its inputs (tests call
    it with plain data)."""
    out = []
    cached = cached or {}
    for b in businesses:
        known = cached.get(b["id"])
        if known is not None:
            static, note = known, ""
        else:
            static, note = _static_for(
                spec, b["sector"], b["business_format"], static_records.get(b["id"])
            )
        found = checklists.get(b["id"])
        inputs: dict[str, Any] = {
            "scheme": spec.label,
            "scheme_sha256": spec.sha256,
            "on": on.isoformat(),
            "static": static.as_inputs(),
        }
        if note:
            inputs["static_note"] = note
        if found is not None:
            checklist_id, day, dynamic, number = found
            basis = Grading.Basis.SCORED
            inputs["checklist"] = {
                "id": checklist_id,
                "inspected_on": day.isoformat(),
                "inspection_number": number,
                "dynamic": str(dynamic),
            }
        else:
            checklist_id, dynamic = None, spec.new_operator.dynamic_assumed
            opened = b.get("opened_on")
            new = opened is not None and opened.year >= year
            basis = Grading.Basis.NEW_OPERATOR if new else Grading.Basis.NO_CHECKLIST
            inputs["dynamic_assumed"] = str(dynamic)
        total = static.points + dynamic
        out.append(
            Assessment(
                business_id=b["id"],
                static=static,
                dynamic=dynamic,
                basis=basis,
                checklist_id=checklist_id,
                grade=grade_for(spec, total),
                inputs=inputs,
            )
        )
    return out


def gradings_assess(
    *,
    spec: GradingSpec,
    year: int,
    actor: Any,
    on: date | None = None,
    business_ids: list[int] | None = None,
) -> GradingRun:
    """Grade every business operating on ``on`` (default: the year's last day, or today if
    earlier), or only ``business_ids``, writing one ``Grading`` per business for ``year``.

    A grading already stored for the year is re-scored (scores, score grade, inputs); its
    confirmed ``grade`` stays as the office confirmed it, and the page shows when the new score
    grade differs. Returns the ``GradingRun`` recorded in the same transaction.
    """
    started = timezone.now()
    if on is None:
        on = min(date(year, 12, 31), timezone.localdate())
    rows = FoodBusiness.objects.filter(operating_filter(on))
    if business_ids is not None:
        rows = rows.filter(pk__in=business_ids)
    businesses: list[dict[str, Any]] = [
        {"id": pk, "sector": sector, "business_format": fmt, "opened_on": opened}
        for pk, sector, fmt, opened in rows.values_list(
            "id", "sector", "business_format", "opened_on"
        )
    ]
    ids = [b["id"] for b in businesses] if business_ids is not None else None
    statics = StaticFactors.objects.all()
    if ids is not None:
        statics = statics.filter(business_id__in=ids)
    # A record scored under this very scheme is not scored again (its cached score and
    # inputs); the others are scored here and their cache written back below. Every write of
    # a record's table or values goes through ``static_factors_record``, which re-scores it.
    fresh = statics.filter(scored_under=spec.sha256, score__isnull=False) if spec.sha256 else None
    cached: dict[int, StaticScore] = {}
    if fresh is not None:
        cached = {
            business_id: StaticScore(
                table=inputs.get("table", ""),
                points=score,  # type: ignore[arg-type]  # filtered: not null
                cached_inputs=inputs,
            )
            for business_id, score, inputs in fresh.values_list(
                "business_id", "score", "score_inputs"
            ).iterator(chunk_size=BATCH)
        }
    stale = (
        statics.filter(~Q(scored_under=spec.sha256) | Q(score__isnull=True))
        if fresh is not None
        else statics
    )
    record_ids: dict[int, int] = {}
    static_records: dict[int, tuple[str, dict[str, Any]]] = {}
    for pk, business_id, table, values in stale.values_list(
        "pk", "business_id", "table", "values"
    ).iterator(chunk_size=BATCH):
        record_ids[business_id] = pk
        static_records[business_id] = (table, values)
    assessments = assess(
        spec=spec,
        year=year,
        on=on,
        businesses=businesses,
        static_records=static_records,
        checklists=latest_checklists(on, ids),
        cached=cached,
    )
    previous = _grades_in_force(year - 1, ids)
    now = timezone.now()
    with transaction.atomic():
        if spec.sha256:
            bulk.update_by_id(
                StaticFactors,
                ["score", "score_inputs", "scored_under"],
                (
                    (a.static.points, a.static.as_inputs(), spec.sha256, record_ids[a.business_id])
                    for a in assessments
                    if a.business_id in record_ids and "static_note" not in a.inputs
                ),
            )
        existing = set(
            Grading.objects.filter(year=year)
            .values_list("business_id", flat=True)
            .iterator(chunk_size=BATCH)
        )
        bulk.upsert(
            Grading,
            GRADING_COLUMNS,
            (
                _grading_row(a, year, spec, previous.get(a.business_id, ""), now)
                for a in assessments
            ),
            conflict=["business_id", "year"],
            update=ASSESSMENT_COLUMNS,
        )
        _record_history(year, assessments, existing, actor, now)
        return _run(GradingRun.Kind.ASSESSMENT, year, spec, len(assessments), actor, started)


#: The columns an assessment writes; a stored grading keeps its confirmation and adjustment.
ASSESSMENT_COLUMNS = [
    "scheme",
    "previous_grade",
    "static_score",
    "dynamic_score",
    "total_score",
    "score_grade",
    "basis",
    "checklist_id",
    "inputs",
    "graded_at",
]
GRADING_COLUMNS = [
    "business_id",
    "year",
    *ASSESSMENT_COLUMNS,
    "grade",
    "grade_reason",
    "up_cases",
    "down_cases",
    "suggestion",
    "proposed_next_grade",
    "next_grade",
    "next_reason",
]


def _grading_row(
    a: Assessment, year: int, spec: GradingSpec, previous: str, now: datetime
) -> tuple[Any, ...]:
    return (
        a.business_id,
        year,
        spec.label,
        previous,
        a.static.points,
        a.dynamic,
        a.total,
        a.grade,
        a.basis,
        a.checklist_id,
        a.inputs,
        now,
        "",
        "",
        [],
        [],
        "",
        "",
        "",
        "",
    )


def _record_history(
    year: int, assessments: list[Assessment], existing: set[int], actor: Any, now: datetime
) -> None:
    """History rows for the gradings just written: created (+) or re-scored (~)."""
    by_business = dict(
        Grading.objects.filter(year=year, graded_at=now)
        .values_list("business_id", "id")
        .iterator(chunk_size=BATCH)
    )
    written = [a.business_id for a in assessments if a.business_id in by_business]
    for kind, chosen in (
        ("+", [by_business[b] for b in written if b not in existing]),
        ("~", [by_business[b] for b in written if b in existing]),
    ):
        if chosen:
            bulk.history_copy(Grading, chosen, history_type=kind, user=actor, when=now)


def _grades_in_force(year: int, ids: list[int] | None) -> dict[int, str]:
    rows = RiskGrade.objects.filter(year=year)
    if ids is not None:
        rows = rows.filter(business_id__in=ids)
    return dict(rows.values_list("business_id", "level").iterator(chunk_size=BATCH))


def _run(
    kind: str, year: int, spec: GradingSpec, rows: int, actor: Any, started: datetime
) -> GradingRun:
    return GradingRun.objects.create(
        kind=kind,
        year=year,
        scheme=spec.label,
        scheme_sha256=spec.sha256,
        rows=rows,
        actor=actor if getattr(actor, "pk", None) is not None else None,
        started_at=started,
        finished_at=timezone.now(),
    )
