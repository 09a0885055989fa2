"""Credit files gathered from the ledgers and the monthly classes, hand-worked per kind of
record (spec foodsafe/credit/specs/credit-2022.yaml: window 24 months before the month; points
inspection.noncompliant 8, inspection.rectify 2, sampling.nonconforming 10, case.filed 5,
case.penalty 10, case.individual 20, case.criminal 40, complaint.accepted 1; A = 0 points and a
compliant inspection in the window; B ≤ 9; C ≤ 29; D ≥ 30; D forced by the 名单 or 移送公安)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from foodsafe.credit.grading import credit_class, window_start
from foodsafe.credit.models import CreditEntry, CreditFile, CreditGrade, GradeStatus
from foodsafe.credit.refresh import credit_files_refresh
from foodsafe.credit.services import (
    CreditError,
    credit_grade_override,
    credit_grades_assess,
    credit_grades_confirm,
    listing_record,
)
from foodsafe.credit.spec import CreditSpecError, load_credit_spec, parse_credit_spec
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    FoodBusinessFactory,
    InspectionFactory,
    SamplingBatchFactory,
)

SPEC_PATH = Path("foodsafe/credit/specs/credit-2022.yaml")
OCTOBER = date(2021, 10, 1)


@pytest.fixture
def spec():
    return load_credit_spec(SPEC_PATH)


def test_window_starts_24_months_before_the_month():
    # 2021-10-01 − 24 months = 2019-10-01; January wraps the year: 2021-01 − 1 = 2020-12.
    assert window_start(date(2021, 10, 1), 24) == date(2019, 10, 1)
    assert window_start(date(2021, 1, 1), 1) == date(2020, 12, 1)


def test_classes_by_hand(spec):
    # Nothing known: B ("期内无记录").
    assert credit_class({}, spec).level == "B"
    # One compliant inspection, no bad record: 0 points with the A requirement met → A.
    assert credit_class({"inspection.compliant": 1}, spec).level == "A"
    # 0 points but never inspected (only a licence): A's requirement missing → B.
    assert credit_class({"licence.granted": 1}, spec).level == "B"
    # One 限期整改 (2) + 3 accepted complaints (3×1) = 5 ≤ 9 → B.
    c = credit_class({"inspection.rectify": 1, "complaint.accepted": 3}, spec)
    assert (c.level, c.score) == ("B", 5)
    # One failed batch (10) → 10 > 9 → C.
    assert credit_class({"sampling.nonconforming": 1}, spec).level == "C"
    # Noncompliant inspection 8 + penalty 10 + failed batch 10 = 28 ≤ 29 → C.
    c = credit_class(
        {"inspection.noncompliant": 1, "case.penalty": 1, "sampling.nonconforming": 1}, spec
    )
    assert (c.level, c.score) == ("C", 28)
    # 处罚到人 20 + noncompliant 8 + rectify 2 = 30 → D (30 and above).
    c = credit_class(
        {"case.individual": 1, "inspection.noncompliant": 1, "inspection.rectify": 1}, spec
    )
    assert (c.level, c.score) == ("D", 30)
    assert c.reasons[-1] == "30 分（30 分及以上）→ D 类"
    # On the 名单 with a clean record otherwise: forced D whatever the points (0 here).
    c = credit_class({"listing.listed": 1, "inspection.compliant": 2}, spec)
    assert (c.level, c.score) == ("D", 0)
    assert "列入严重违法失信名单" in c.reasons[-1]


def test_spec_errors_name_the_key():
    import yaml

    data = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    data["weights"]["points"]["inspection.bogus"] = 3
    with pytest.raises(CreditSpecError, match=r"weights\.points\.inspection\.bogus"):
        parse_credit_spec(data, path="x.yaml")
    data = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    data["classes"]["c_max"] = 5
    with pytest.raises(CreditSpecError, match=r"x\.yaml: classes\.c_max"):
        parse_credit_spec(data, path="x.yaml")


def _operators(district):
    """One operator per kind of record, all records dated inside October 2021's window."""
    clean = FoodBusinessFactory(uscc="91120101MA05000001", licence_number="JY11201010000001")
    InspectionFactory(business=clean, inspected_on=date(2021, 5, 10), result="compliant")
    no_uscc = FoodBusinessFactory(licence_number="JY11201010000002")  # keyed by licence
    bare = FoodBusinessFactory()  # keyed by registry number, nothing recorded
    failed = FoodBusinessFactory(uscc="91120101MA05000003")
    SamplingBatchFactory(business=failed, sampled_on=date(2021, 7, 1), conclusion="nonconforming")
    SamplingBatchFactory(business=failed, sampled_on=date(2021, 7, 2), conclusion="conforming")
    punished = FoodBusinessFactory(uscc="91120101MA05000004")
    InspectionFactory(business=punished, inspected_on=date(2021, 3, 1), result="noncompliant")
    CaseFactory(
        business=punished,
        org_unit=district,
        lead_received_on=date(2021, 3, 2),
        filed_on=date(2021, 3, 5),
        closed_on=date(2021, 6, 1),
        penalty_amount=Decimal("5000"),
        individual_penalty=True,
    )
    complained = FoodBusinessFactory(uscc="91120101MA05000005")
    for day in (1, 2, 3):
        ComplaintFactory(
            business=complained,
            org_unit=district,
            received_on=date(2021, 8, day),
            decision="accepted",
            decided_on=date(2021, 8, day),
        )
    ComplaintFactory(business=complained, org_unit=district, decision="refused")
    InspectionFactory(business=complained, inspected_on=date(2021, 9, 1), result="rectify")
    return {
        "clean": clean,
        "no_uscc": no_uscc,
        "bare": bare,
        "failed": failed,
        "punished": punished,
        "complained": complained,
    }


@pytest.mark.django_db
def test_files_and_october_classes(district, spec, office_admin):
    ops = _operators(district)
    with time_machine.travel(datetime(2021, 10, 8, 9, tzinfo=timezone.get_current_timezone())):
        r = credit_files_refresh()
        listing_record(
            business=ops["clean"],
            decision_number="津市监严失〔2021〕1号",
            listed_on=date(2021, 9, 20),
            reason="示例",
            actor=office_admin,
        )
    # The listing's on_commit refresh does not run inside the test transaction: refresh again.
    credit_files_refresh(business_ids=[ops["clean"].pk])
    assert r.operators == 6 and r.created == 6
    files = {f.business_id: f for f in CreditFile.objects.all()}
    assert files[ops["clean"].pk].key == "91120101MA05000001"
    assert files[ops["no_uscc"].pk].key == "JY11201010000002"
    assert files[ops["no_uscc"].pk].key_kind == "licence"
    assert files[ops["bare"].pk].key_kind == "registry"
    assert files[ops["bare"].pk].entries_count == 0
    # failed: one entry (the conforming batch is not a credit record).
    assert files[ops["failed"].pk].entries_count == 1
    punished = CreditEntry.objects.get(business=ops["punished"], kind="case")
    assert (punished.outcome, punished.public, punished.amount) == ("individual", True, 5000)
    kinds = set(
        CreditEntry.objects.filter(business=ops["complained"]).values_list("kind", "outcome")
    )
    assert kinds == {("complaint", "accepted"), ("inspection", "rectify")}

    a = credit_grades_assess(month=OCTOBER, spec=spec, actor=office_admin)
    levels = {g.business_id: (g.level, g.score) for g in CreditGrade.objects.filter(month=OCTOBER)}
    # clean: compliant inspection but listed on 2021-09-20 (on the list on 10-01) → D, 0 points.
    assert levels[ops["clean"].pk] == ("D", 0)
    # no_uscc: licence only (granted date unknown: no dated record) → B; bare → B.
    assert levels[ops["no_uscc"].pk] == ("B", 0)
    assert levels[ops["bare"].pk] == ("B", 0)
    # failed: 1 nonconforming batch × 10 → C.
    assert levels[ops["failed"].pk] == ("C", 10)
    # punished: noncompliant 8 + 处罚到人 20 = 28 → C (the case counts once, as its worst
    # outcome: individual, not also penalty).
    assert levels[ops["punished"].pk] == ("C", 28)
    # complained: 3 accepted × 1 + rectify 2 = 5 → B (the refused complaint does not count).
    assert levels[ops["complained"].pk] == ("B", 5)
    assert a.by_level == {"A": 0, "B": 3, "C": 2, "D": 1}


@pytest.mark.django_db
def test_incremental_refresh_and_changed_at(district, spec):
    zone = timezone.get_current_timezone()
    with time_machine.travel(datetime(2021, 10, 1, 8, tzinfo=zone)):
        b = FoodBusinessFactory(uscc="91120101MA05000009")
        other = FoodBusinessFactory()
        credit_files_refresh()
    first = CreditFile.objects.get(business=b).changed_at
    with time_machine.travel(datetime(2021, 10, 2, 8, tzinfo=zone)):
        since = timezone.now()
        InspectionFactory(business=b, inspected_on=date(2021, 10, 2), result="noncompliant")
        r = credit_files_refresh(since=since)
    # Only b had a ledger row written since: one operator in scope, its file changed.
    assert (r.operators, r.changed) == (1, 1)
    f = CreditFile.objects.get(business=b)
    assert f.changed_at > first and f.entries_count == 1 and f.refreshed_on == date(2021, 10, 2)
    assert CreditFile.objects.get(business=other).refreshed_on == date(2021, 10, 1)
    with time_machine.travel(datetime(2021, 10, 3, 8, tzinfo=zone)):
        r = credit_files_refresh()
    # Nothing changed: no file's changed_at moves, every file's refreshed_on does.
    assert r.changed == 0
    assert CreditFile.objects.get(business=b).changed_at == f.changed_at
    assert CreditFile.objects.get(business=other).refreshed_on == date(2021, 10, 3)


@pytest.mark.django_db
def test_confirm_and_override_are_audited(district, spec, office_admin):
    b = FoodBusinessFactory()
    InspectionFactory(business=b, inspected_on=date(2021, 5, 1), result="compliant")
    credit_files_refresh()
    credit_grades_assess(month=OCTOBER, spec=spec, actor=office_admin)
    g = CreditGrade.objects.get(business=b)
    assert g.level == "A"
    with pytest.raises(CreditError, match="理由"):
        credit_grade_override(grade=g, level="B", reason=" ", actor=office_admin)
    credit_grade_override(grade=g, level="B", reason="群众反映较多，待核实", actor=office_admin)
    g.refresh_from_db()
    assert (g.computed, g.level, g.status) == ("A", "B", GradeStatus.OVERRIDDEN)
    last = g.history.first()
    assert last.history_user == office_admin and last.level == "B"
    # A re-assessment keeps the office's decision.
    again = credit_grades_assess(month=OCTOBER, spec=spec, actor=office_admin)
    assert again.kept == 1 and CreditGrade.objects.get(business=b).level == "B"
    other = FoodBusinessFactory()
    credit_files_refresh()
    credit_grades_assess(month=OCTOBER, spec=spec, actor=office_admin)
    assert credit_grades_confirm(month=OCTOBER, actor=office_admin) == 1
    confirmed = CreditGrade.objects.get(business=other)
    assert confirmed.status == GradeStatus.CONFIRMED
    assert confirmed.history.first().history_user == office_admin


@pytest.mark.django_db
def test_a_rerun_replaces_the_proposed_classes_without_history_rows(district, spec, office_admin):
    """Re-classing a month replaces its proposed classes (computed rows, written without
    history) by a plain DELETE: no history row per replaced class, the office's decided ones
    kept with theirs. Two operators: one proposed (replaced: one row for it after the re-run,
    a new id), one confirmed (kept, the same row)."""
    proposed, decided = FoodBusinessFactory(), FoodBusinessFactory()
    credit_files_refresh()
    credit_grades_assess(month=OCTOBER, spec=spec, actor=office_admin)
    first = CreditGrade.objects.get(business=proposed)
    credit_grades_confirm(
        month=OCTOBER, actor=office_admin, ids=[CreditGrade.objects.get(business=decided).pk]
    )
    history_before = CreditGrade.history.count()  # the one confirmation
    assert history_before == 1
    result = credit_grades_assess(month=OCTOBER, spec=spec, actor=office_admin)
    assert (result.assessed, result.kept) == (1, 1)
    assert CreditGrade.objects.filter(business=proposed).count() == 1
    assert CreditGrade.objects.get(business=proposed).pk != first.pk
    assert CreditGrade.objects.get(business=decided).status == GradeStatus.CONFIRMED
    assert CreditGrade.history.count() == history_before
