"""Grading every operator of a year (风险等级评定): static + dynamic score → A–D.

Steps (RULES-supervision.md §1.1, JD16 rating steps 1–3):

1. static score: the operator's static-factor record (静态风险因素) on its table;
2. dynamic score: the operator's latest checklist (监督检查要点记录) dated on or before the
   grading day; a new operator (opened in the year) with none is graded from the static score
   alone (第二十四条);
3. grade: the total looked up in the bands.

No grade without the data it needs (无数据不下结论): an operator missing its static record, or an
older one missing a checklist, is not scored. It keeps the grade recorded for it (the year's
row of the grade ledger, else the registry's 风险等级, the unit's own earlier grading; basis
``recorded``) or, with none, is 待评定 (basis ``pending``); ``inputs["missing"]`` names what is
missing. Presuming instead (the format's tier for the static score, dynamic counted as
``new_operator.dynamic_assumed`` without a checklist) is the scheme's explicit ``presumption``
setting ([I], off in the national scheme); such a grade says so (``inputs["presumed"]``) and
never replaces a recorded grade.

A run covers every business open at some time of the year up to the grading day (not only those
open on it): a half year's coverage counts an operator that closed later in the year.

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


#: The data a grade needs, named as the pages and the 确定表 list them when missing.
MISSING_STATIC = "静态风险因素记录"
MISSING_DYNAMIC = "检查要点记录（动态风险因素）"


@dataclass(frozen=True)
class Assessment:
    """One operator's assessment before it is stored (see ``Grading``). ``static`` and
    ``dynamic`` are ``None`` and ``grade`` empty when the operator was not scored (basis
    ``recorded`` or ``pending``)."""

    business_id: int
    static: StaticScore | None
    dynamic: Decimal | None
    basis: str
    checklist_id: int | None
    grade: str
    inputs: dict[str, Any]

    @property
    def total(self) -> Decimal | None:
        if self.static is None or self.dynamic is None:
            return None
        return self.static.points + self.dynamic


def operating_filter(on: date) -> Q:
    """Businesses operating on ``on``, as the scorecard counts them (``operating_on``)."""
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=on)) & (
        (Q(closed_on__isnull=True) & ~Q(status=BusinessStatus.CLOSED)) | Q(closed_on__gt=on)
    )


def open_during(start: date, end: date) -> Q:
    """Businesses open at some time from ``start`` to ``end``: opened by ``end`` and not closed
    before ``start``. A business marked closed with no closing date is left out (when it closed
    is not known)."""
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=end)) & (
        (Q(closed_on__isnull=True) & ~Q(status=BusinessStatus.CLOSED)) | Q(closed_on__gte=start)
    )


def _static_for(
    spec: GradingSpec, business_format: str, record: tuple[str, dict[str, Any]] | None
) -> tuple[StaticScore | None, str]:
    """The static score from the record (``None`` when there is no usable record, unless the
    scheme presumes it from the format's tier) and a note when the record could not be used
    or the score was presumed (shown with the grade)."""
    presume = spec.presumption.static_from_format
    note = "未登记静态风险因素"
    if record is not None:
        table_code, values = record
        try:
            return static_score(spec.static_table(table_code), values), ""
        except KeyError:
            note = f"静态风险因素记录所用分值表 {table_code!r} 不在现行方案中"
        except FactorError as exc:
            note = f"静态风险因素无法计分：{exc}"
    if presume:
        return format_default_score(spec, business_format), f"{note}，按业态推定"
    return None, note


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
    recorded: dict[int, tuple[str, str]] | None = None,
) -> list[Assessment]:
    """Assess ``businesses`` (dicts with ``id``, ``sector``, ``business_format``, ``opened_on``)
    for ``year`` as of ``on``; ``cached``: static scores already known under ``spec`` (by
    business), used instead of scoring ``static_records``; ``recorded``: business → (grade,
    where it is recorded) for those with a recorded grade, kept when a score cannot be made.
    Pure given its inputs (tests call it with plain data)."""
    out = []
    cached = cached or {}
    recorded = recorded or {}
    presumption = spec.presumption
    for b in businesses:
        known = cached.get(b["id"])
        static: StaticScore | None
        if known is not None:
            static, note = known, ""
        else:
            static, note = _static_for(spec, b["business_format"], static_records.get(b["id"]))
        found = checklists.get(b["id"])
        inputs: dict[str, Any] = {
            "scheme": spec.label,
            "scheme_sha256": spec.sha256,
            "on": on.isoformat(),
        }
        if static is not None:
            inputs["static"] = static.as_inputs()
        if note:
            inputs["static_note"] = note
        # What real data is missing, and what the scheme's presumption would stand in for.
        missing: list[str] = []
        presumed: list[str] = []
        if known is None and note:  # no usable record: missing, or presumed from the format
            missing.append(MISSING_STATIC)
            if static is not None:
                presumed.append("static")
        dynamic: Decimal | None
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
            checklist_id = None
            opened = b.get("opened_on")
            if opened is not None and opened.year >= year:
                # 第二十四条 [P]: a new operator may be graded from its static score alone.
                basis, dynamic = Grading.Basis.NEW_OPERATOR, spec.new_operator.dynamic_assumed
                inputs["dynamic_assumed"] = str(dynamic)
            else:
                missing.append(MISSING_DYNAMIC)
                basis, dynamic = Grading.Basis.NO_CHECKLIST, None
                if presumption.dynamic_without_checklist:
                    dynamic = spec.new_operator.dynamic_assumed
                    inputs["dynamic_assumed"] = str(dynamic)
                    presumed.append("dynamic")
        kept = recorded.get(b["id"])
        if missing and (kept is not None or len(presumed) < len(missing)):
            # Not scored: a recorded grade stays (never replaced by a presumed one), else 待评定.
            inputs["missing"] = missing
            inputs.pop("dynamic_assumed", None)
            if kept is not None:
                inputs["recorded_grade"], inputs["recorded_in"] = kept
            out.append(
                Assessment(
                    business_id=b["id"],
                    static=None,
                    dynamic=None,
                    basis=Grading.Basis.RECORDED if kept is not None else Grading.Basis.PENDING,
                    checklist_id=checklist_id,
                    grade="",
                    inputs=inputs,
                )
            )
            continue
        if presumed:
            inputs["missing"], inputs["presumed"] = missing, presumed
        assert static is not None and dynamic is not None  # every missing part was presumed
        out.append(
            Assessment(
                business_id=b["id"],
                static=static,
                dynamic=dynamic,
                basis=basis,
                checklist_id=checklist_id,
                grade=grade_for(spec, static.points + dynamic),
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
    """Grade every business open at some time from the year's first day to ``on`` (default: the
    year's last day, or today if earlier), or only ``business_ids`` among them, writing one
    ``Grading`` per business for ``year``. An operator lacking the data a score needs keeps its
    recorded grade or is 待评定 (see the module doc).

    A grading already stored for the year is re-scored (scores, score grade, inputs); its
    confirmed ``grade`` stays as the office confirmed it, and the page shows when the new score
    grade differs. Returns the ``GradingRun`` recorded in the same transaction.
    """
    started = timezone.now()
    if on is None:
        on = min(date(year, 12, 31), timezone.localdate())
    # Open at any time of the year up to ``on``, not only on ``on``: an operator that closed
    # in the autumn was graded for the months it was open (a half year's coverage counts it).
    rows = FoodBusiness.objects.filter(open_during(date(year, 1, 1), on))
    if business_ids is not None:
        rows = rows.filter(pk__in=business_ids)
    businesses: list[dict[str, Any]] = []
    registry_levels: dict[int, str] = {}
    for pk, sector, fmt, opened, level in rows.values_list(
        "id", "sector", "business_format", "opened_on", "risk_level"
    ).iterator(chunk_size=BATCH):
        businesses.append({"id": pk, "sector": sector, "business_format": fmt, "opened_on": opened})
        if level:
            registry_levels[pk] = level
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
        recorded=recorded_grades(year, ids, registry_levels),
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
                    if a.business_id in record_ids
                    and a.static is not None
                    and "static_note" not in a.inputs
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


def recorded_grades(
    year: int, ids: list[int] | None, registry_levels: dict[int, str]
) -> dict[int, tuple[str, str]]:
    """Each business's recorded grade for ``year``: its grade-ledger row of the year (风险等级记录,
    e.g. last year's adjustment or an earlier confirmation), else the registry's 风险等级 (the
    ledger the unit keeps, its own earlier grading) unless a later year is in the grade ledger
    (the registry's grade then is that later one, not this year's). → (grade, where)."""
    found = {b: (level, "grade_ledger") for b, level in _grades_in_force(year, ids).items()}
    later = RiskGrade.objects.filter(year__gt=year)
    if ids is not None:
        later = later.filter(business_id__in=ids)
    regraded = set(later.values_list("business_id", flat=True).iterator(chunk_size=BATCH))
    for b, level in registry_levels.items():
        if b not in found and b not in regraded:
            found[b] = (level, "registry")
    return found


def _grading_row(
    a: Assessment, year: int, spec: GradingSpec, previous: str, now: datetime
) -> tuple[Any, ...]:
    return (
        a.business_id,
        year,
        spec.label,
        previous,
        a.static.points if a.static is not None else None,
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
