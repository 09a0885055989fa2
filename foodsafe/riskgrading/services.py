"""Risk grading writes: confirming grades, static factors, adjustment facts, checklists.

Each write and its history row (django-simple-history, with the acting user) happen in one
transaction. Bulk grading and adjustment live in ``grading`` and ``adjustment``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from foodsafe.inspections.models import Finding, Inspection, InspectionType
from foodsafe.registry.models import FoodBusiness, RiskGrade

from . import bulk
from .grading import BATCH, _run
from .models import AdjustmentFact, Checklist, FactKind, Grading, GradingRun, StaticFactors
from .photos import photo_problems, photos_delete_files, photos_store
from .rectify import inspection_rectify
from .scoring import ANSWERS, dynamic_score, static_score
from .spec import GRADES, GradingSpec


class GradingError(ValidationError):
    """A write refused, with a message in Chinese for the page or the command line."""


def _as_actor(obj: Any, actor: Any) -> None:
    if getattr(actor, "pk", None) is not None:
        obj._history_user = actor


def _record_grade(
    *, business_id: int, year: int, level: str, basis: str, on: date, actor: Any
) -> None:
    """The registry's grade ledger: the grade in force for ``year`` (one row, history kept);
    the business's current ``risk_level`` follows when ``year`` is this year or earlier and no
    later grade is recorded."""
    grade = RiskGrade.objects.filter(business_id=business_id, year=year).first()
    if grade is None:
        grade = RiskGrade(business_id=business_id, year=year)
    grade.level, grade.basis, grade.decided_on = level, basis, on
    _as_actor(grade, actor)
    grade.save()
    latest = (
        RiskGrade.objects.filter(business_id=business_id, year__lte=on.year)
        .order_by("-year")
        .first()
    )
    if latest is not None:
        business = FoodBusiness.objects.get(pk=business_id)
        if business.risk_level != latest.level:
            business.risk_level = latest.level
            _as_actor(business, actor)
            business.save(update_fields=["risk_level"])


def grading_confirm(
    *, grading: Grading, actor: Any, part: str = "grade", grade: str = "", reason: str = ""
) -> Grading:
    """The office confirms a grading (审核): ``part="grade"`` the year's grade from its score,
    ``part="next"`` next year's grade from the year-end adjustment.

    ``grade`` empty takes the proposal (score grade, the recorded grade kept for an operator
    lacking the data a score needs, or proposed next grade); a different grade is an override
    and needs ``reason`` (改定理由). A 待评定 grading has no proposal: only an override with a
    reason confirms it. Writes the grade in force into the registry (year, or year + 1 for
    ``next``) with the acting user on every history row.
    Raises :class:`GradingError` (no proposal yet, unknown grade, override without reason).
    """
    reason = reason.strip()
    if part not in ("grade", "next"):
        raise GradingError(f"未知的确认类型 {part!r}")
    proposal = grading.proposal if part == "grade" else grading.proposed_next_grade
    if not proposal and part == "next":
        raise GradingError("尚未进行年度调整评定，无法确认下一年度风险等级。")
    if not proposal and not grade:
        missing = "、".join(grading.missing) or "评定数据"
        raise GradingError(f"缺少{missing}，待评定：请登记后重新评定，或填写风险等级和改定理由。")
    chosen = grade or proposal
    if chosen not in GRADES:
        raise GradingError(f"风险等级应为 A、B、C、D 之一，实际为 {chosen!r}")
    if chosen != proposal and not reason:
        suggested = f"建议 {proposal} 级" if proposal else "待评定"
        raise GradingError(f"改定为 {chosen} 级（{suggested}）须填写改定理由。")
    now = timezone.now()
    with transaction.atomic():
        if part == "grade":
            grading.grade, grading.grade_reason = chosen, reason
            grading.grade_confirmed_by, grading.grade_confirmed_at = actor, now
            year, basis = grading.year, RiskGrade.Basis.ASSESSMENT
            if grading.basis == Grading.Basis.RECORDED:
                basis = RiskGrade.Basis.RECORDED
        else:
            grading.next_grade, grading.next_reason = chosen, reason
            grading.next_confirmed_by, grading.next_confirmed_at = actor, now
            year, basis = grading.year + 1, RiskGrade.Basis.ADJUSTMENT
        if chosen != proposal:
            basis = RiskGrade.Basis.OVERRIDE
        _as_actor(grading, actor)
        grading.save()
        _record_grade(
            business_id=grading.business_id,
            year=year,
            level=chosen,
            basis=basis,
            on=timezone.localdate(),
            actor=actor,
        )
    return grading


def gradings_confirm_all(*, spec: GradingSpec, year: int, part: str, actor: Any) -> GradingRun:
    """Confirm every unconfirmed proposal of ``year`` as proposed (no override): ``part``
    ``grade`` (the year's grade from its score) or ``next`` (next year's from the adjustment).

    Writes the registry's grade ledger (one row per business for ``year`` or ``year + 1``) and
    each business's current ``risk_level`` when that year is in force, with a history row by
    ``actor`` for every row changed. An operator lacking the data a score needs keeps its
    recorded grade (ledger basis ``recorded``; a ledger row of the year with that grade stays
    as it is); a 待评定 one is left unconfirmed. Returns the run (``GradingRun``)."""
    if part not in ("grade", "next"):
        raise GradingError(f"未知的确认类型 {part!r}")
    started = now = timezone.now()
    today = timezone.localdate()
    rows = Grading.objects.filter(year=year)
    kept: dict[int, str] = {}
    if part == "grade":
        rows = rows.filter(grade="").exclude(basis=Grading.Basis.PENDING)
        source, target_year, basis = "score_grade", year, RiskGrade.Basis.ASSESSMENT
        kept = {
            business_id: str(inputs.get("recorded_grade", ""))
            for business_id, inputs in rows.filter(basis=Grading.Basis.RECORDED)
            .values_list("business_id", "inputs")
            .iterator(chunk_size=BATCH)
        }
    else:
        rows = rows.filter(next_grade="").exclude(proposed_next_grade="")
        source, target_year, basis = "proposed_next_grade", year + 1, RiskGrade.Basis.ADJUSTMENT
    chosen = [
        (pk, business_id, level or kept.get(business_id, ""))
        for pk, business_id, level in rows.values_list("id", "business_id", source).iterator(
            chunk_size=BATCH
        )
    ]
    chosen = [c for c in chosen if c[2]]
    ids = [c[0] for c in chosen]
    levels = {business_id: level for _, business_id, level in chosen if business_id not in kept}
    recorded = {business_id: level for business_id, level in kept.items() if level}
    with transaction.atomic():
        fields = (
            ("grade", "grade_confirmed_by_id", "grade_confirmed_at")
            if part == "grade"
            else ("next_grade", "next_confirmed_by_id", "next_confirmed_at")
        )
        bulk.update_by_id(Grading, fields, ((level, actor.pk, now, pk) for pk, _, level in chosen))
        bulk.history_copy(Grading, ids, history_type="~", user=actor, when=now)
        _ledger_write(levels, target_year, basis, today, actor, now)
        if recorded:
            # A ledger row of the year already holding the recorded grade stays as it is (its
            # basis and date); the others get the recorded grade, basis ``recorded``.
            same = set(
                RiskGrade.objects.filter(year=target_year)
                .values_list("business_id", "level")
                .iterator(chunk_size=BATCH)
            )
            _ledger_write(
                {b: level for b, level in recorded.items() if (b, level) not in same},
                target_year,
                RiskGrade.Basis.RECORDED,
                today,
                actor,
                now,
            )
        levels = {**levels, **recorded}
        if target_year <= today.year:
            _sync_current_levels(levels, target_year, today.year, actor, now)
        return _run(GradingRun.Kind.CONFIRM, year, spec, len(chosen), actor, started)


def _ledger_write(
    levels: dict[int, str], year: int, basis: str, on: date, actor: Any, now: Any
) -> None:
    """The registry's grade ledger for ``year``: one row per business, history kept."""
    existing = set(
        RiskGrade.objects.filter(year=year)
        .values_list("business_id", flat=True)
        .iterator(chunk_size=BATCH)
    )
    bulk.upsert(
        RiskGrade,
        ["business_id", "year", "level", "basis", "decided_on"],
        ((b, year, level, basis, on) for b, level in levels.items()),
        conflict=["business_id", "year"],
        update=["level", "basis", "decided_on"],
    )
    ids = dict(
        RiskGrade.objects.filter(year=year)
        .values_list("business_id", "id")
        .iterator(chunk_size=BATCH)
    )
    for kind, chosen in (
        ("+", [ids[b] for b in levels if b not in existing]),
        ("~", [ids[b] for b in levels if b in existing]),
    ):
        if chosen:
            bulk.history_copy(RiskGrade, chosen, history_type=kind, user=actor, when=now)


def _sync_current_levels(
    levels: dict[int, str], year: int, this_year: int, actor: Any, now: Any
) -> None:
    """Each business's ``risk_level`` becomes its grade for ``year`` unless a later grade (up to
    ``this_year``) is recorded; history rows for those changed."""
    later = set(
        RiskGrade.objects.filter(year__gt=year, year__lte=this_year)
        .values_list("business_id", flat=True)
        .iterator(chunk_size=BATCH)
    )
    current = dict(FoodBusiness.objects.values_list("id", "risk_level").iterator(chunk_size=BATCH))
    changed = [
        (level, b)
        for b, level in levels.items()
        if b not in later and current.get(b, level) != level
    ]
    bulk.update_by_id(FoodBusiness, ["risk_level"], changed)
    bulk.history_copy(FoodBusiness, [b for _, b in changed], history_type="~", user=actor, when=now)


def static_factors_record(
    *, business: FoodBusiness, spec: GradingSpec, table: str, values: dict[str, Any], actor: Any
) -> StaticFactors:
    """Record (or replace) ``business``'s static factors on ``table`` of ``spec``.

    Raises :class:`GradingError` naming the table or factor when the values cannot be scored.
    """
    try:
        scored = static_score(spec.static_table(table), values)
    except KeyError:
        raise GradingError(f"现行分级方案没有分值表 {table!r}") from None
    except ValueError as exc:
        raise GradingError(str(exc)) from None
    record = StaticFactors.objects.filter(business=business).first() or StaticFactors(
        business=business
    )
    record.table, record.values = table, values
    # the score under the scheme in force, kept for grading (a cache keyed by its sha256)
    record.score, record.score_inputs = scored.points, scored.as_inputs()
    record.scored_under = spec.sha256
    record.recorded_on, record.recorded_by = timezone.localdate(), actor
    with transaction.atomic():
        _as_actor(record, actor)
        record.save()
    return record


def adjustment_fact_record(
    *,
    business: FoodBusiness,
    kind: str,
    occurred_on: date,
    description: str,
    actor: Any,
    valid_until: date | None = None,
) -> AdjustmentFact:
    """Record a fact for the year-end adjustment (e.g. an incident at this operator), with its
    history row naming ``actor``. Raises :class:`GradingError` with every problem: an unknown
    kind, no description (or over 300 characters), a date in the future, a ``valid_until``
    before the date."""
    problems = []
    if kind not in FactKind.values:
        problems.append(f"未知的调整情形 {kind!r}")
    if not description.strip():
        problems.append("请填写情况说明。")
    elif len(description.strip()) > 300:
        problems.append("情况说明不能超过 300 个字。")
    if occurred_on > timezone.localdate():
        problems.append("发生（取得）日期不能晚于今天。")
    if valid_until is not None and valid_until < occurred_on:
        problems.append("有效期至不能早于发生（取得）日期。")
    if problems:
        raise GradingError(problems)
    fact = AdjustmentFact(
        business=business,
        kind=kind,
        occurred_on=occurred_on,
        valid_until=valid_until,
        description=description.strip(),
        recorded_by=actor,
    )
    with transaction.atomic():
        _as_actor(fact, actor)
        fact.save()
    return fact


def _next_inspection_number(day: date) -> str:
    prefix = f"JC{day:%Y%m%d}-"
    taken = Inspection.objects.filter(inspection_number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def checklist_record(
    *,
    business: FoodBusiness,
    spec: GradingSpec,
    inspected_on: date,
    inspection_type: str,
    answers: dict[str, dict[str, str]],
    inspectors: tuple[tuple[str, str], tuple[str, str]],
    signed_by: str,
    refused: bool,
    refusal_note: str,
    obstructed: bool,
    actor: Any,
    photos: dict[str, list[UploadedFile]] | None = None,
    rectify_days: int | None = None,
) -> Checklist:
    """Record an inspection with its checklist (监督检查要点表) as one row of the inspections
    ledger plus its checklist, in one transaction.

    ``answers``: item code → ``{"answer": "yes"|"no"|"na", "note": str}``, every item of the
    business's sector checklist answered. ``inspectors``: two ``(name, badge number)``, two
    different people (监督检查管理办法 第二十三条). The operator signs (``signed_by``) or refuses
    (``refused`` with ``refusal_note``). The result (符合/基本符合/不符合) and the dynamic score
    follow from the answers by the spec's rule; the inspection counts as full-checklist.
    ``photos``: item code → uploaded photos (PNG/JPEG by content, size-limited; see
    :mod:`.photos`), stored privately with the checklist or not at all. ``rectify_days``: when
    an item failed, its problems go on the rectification ledger (责令整改, linked to the
    operator and the inspection) with that many working days (:mod:`.rectify`); ``None``: not.
    Raises :class:`GradingError` with every problem at once.
    """
    problems: list[str] = []
    checklist = spec.checklist_for(business.sector)
    if checklist is None:
        raise GradingError(f"现行分级方案没有“{business.get_sector_display()}”的检查要点表")
    if inspection_type not in InspectionType.values:
        problems.append(f"检查类型 {inspection_type!r} 无效")
    missing = [
        i.code for i in checklist.items if answers.get(i.code, {}).get("answer") not in ANSWERS
    ]
    if missing:
        problems.append(f"以下检查项未作结论：{'、'.join(missing)}")
    for code, answer in answers.items():
        if answer.get("answer") == "no" and not answer.get("note", "").strip():
            problems.append(f"检查项 {code} 不符合，须写明问题")
    (name1, badge1), (name2, badge2) = (tuple(s.strip() for s in p) for p in inspectors)
    if not (name1 and badge1 and name2 and badge2):
        problems.append("须由两名检查人员实施，并填写姓名和执法证号（第二十三条）")
    elif name1 == name2 or badge1 == badge2:
        problems.append("两名检查人员不能是同一人（第二十三条）")
    signed_by, refusal_note = signed_by.strip(), refusal_note.strip()
    if refused and not refusal_note:
        problems.append("被检查单位拒绝签字的，须写明拒签情况")
    if refused and signed_by:
        problems.append("已签字的不能同时记录拒签")
    if not refused and not signed_by:
        problems.append("须由被检查单位负责人签字，或记录其拒绝签字")
    if inspected_on > timezone.localdate():
        problems.append("检查日期不能晚于今天")
    if rectify_days is not None and not 1 <= rectify_days <= 250:
        problems.append("整改期限应为 1 至 250 个工作日")
    photos = {code: files for code, files in (photos or {}).items() if files}
    problems.extend(photo_problems(photos, {i.code for i in checklist.items}))
    if problems:
        raise GradingError(problems)
    plain = {code: a["answer"] for code, a in answers.items()}
    scored = dynamic_score(spec, checklist, plain)
    stored: list[str] = []
    try:
        return _checklist_write(
            business=business,
            checklist=checklist,
            inspected_on=inspected_on,
            inspection_type=inspection_type,
            answers=answers,
            inspectors=((name1, badge1), (name2, badge2)),
            signed_by=signed_by,
            refused=refused,
            refusal_note=refusal_note,
            obstructed=obstructed,
            scored=scored,
            spec=spec,
            photos=photos,
            stored=stored,
            actor=actor,
            rectify_days=rectify_days,
        )
    except BaseException:
        photos_delete_files(stored)
        raise


def _checklist_write(
    *,
    business: FoodBusiness,
    checklist: Any,
    inspected_on: date,
    inspection_type: str,
    answers: dict[str, dict[str, str]],
    inspectors: tuple[tuple[str, str], tuple[str, str]],
    signed_by: str,
    refused: bool,
    refusal_note: str,
    obstructed: bool,
    scored: Any,
    spec: GradingSpec,
    photos: dict[str, list[UploadedFile]],
    stored: list[str],
    actor: Any,
    rectify_days: int | None,
) -> Checklist:
    """The writes of :func:`checklist_record`, checked already, in one transaction."""
    (name1, badge1), (name2, badge2) = inspectors
    with transaction.atomic():
        inspection = Inspection(
            inspection_number=_next_inspection_number(inspected_on),
            business=business,
            inspected_on=inspected_on,
            inspection_type=inspection_type,
            full_checklist=True,
            result=scored.result,
            inspectors=f"{name1}（{badge1}）、{name2}（{badge2}）",
        )
        _as_actor(inspection, actor)
        inspection.save()
        record = Checklist(
            inspection=inspection,
            checklist=checklist.code,
            scheme=spec.label,
            answers={
                code: {"answer": a["answer"], "note": a.get("note", "").strip()}
                for code, a in answers.items()
            },
            dynamic_score=scored.points,
            key_failed=scored.key_failed,
            general_failed=scored.general_failed,
            inspector_1=name1,
            inspector_1_badge=badge1,
            inspector_2=name2,
            inspector_2_badge=badge2,
            signed_by="" if refused else signed_by,
            refused=refused,
            refusal_note=refusal_note if refused else "",
            obstructed=obstructed,
            recorded_by=actor,
        )
        _as_actor(record, actor)
        record.save()
        # Each 不符合 is a finding of the inspections ledger (检查发现问题), as imports write them.
        findings = [
            Finding(
                inspection=inspection,
                description=f"{item.code} {item.text}：{answers[item.code].get('note', '').strip()}",
                risk_category=item.group[:40],
            )
            for item in checklist.items
            if item.code in scored.failed
        ]
        Finding.objects.bulk_create(findings)
        if findings and rectify_days is not None:
            try:
                inspection_rectify(
                    inspection=inspection,
                    working_days=rectify_days,
                    actor=actor,
                    failed=[f.description for f in findings],
                )
            except ValidationError as exc:  # rolls the checklist back with it
                raise GradingError(exc.messages) from exc
        photos_store(checklist=record, photos=photos, actor=actor, stored=stored)
    return record
