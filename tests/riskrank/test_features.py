"""Features of an operator at a date see only what was known before that date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from foodsafe.inspections.models import Finding
from foodsafe.registry.models import RiskGrade
from foodsafe.riskrank.features import MAX_DAYS, operator_features, reason, snapshot
from foodsafe.riskrank.history import OperatorHistory, PastInspection
from foodsafe.riskrank.selectors import operator_histories
from foodsafe.riskrank.severity import SeveritySpecError, parse_severity, severity_spec
from tests.factories import (
    ComplaintFactory,
    FoodBusinessFactory,
    InspectionFactory,
    SamplingBatchFactory,
)

AS_OF = date(2021, 10, 1)


def _history(**kw) -> OperatorHistory:
    base = {
        "operator_id": 1,
        "name": "示例餐馆",
        "business_format": "restaurant",
        "org_unit": "120101001000",
        "opened_on": date(2019, 4, 1),
        "grades": ((date(2021, 1, 15), "C"),),
        "inspections": (
            PastInspection(date(2020, 5, 6), "compliant", 92, low=1),
            PastInspection(date(2021, 3, 4), "noncompliant", 66, high=2, moderate=1),
        ),
        "complaints": (date(2021, 2, 1), date(2019, 1, 1)),
        "failed_sampling": (date(2020, 7, 1),),
    }
    base.update(kw)
    return OperatorHistory(**base)


def test_features_worked_by_hand():
    f = operator_features(_history(), as_of=AS_OF)
    # Last inspection 2021-03-04 (不符合, 66 points, 2 high + 1 moderate findings); the one before
    # 2020-05-06 (92). 2021-03-04 → 2021-10-01 = 27 + 30 + 31 + 30 + 31 + 31 + 30 + 1 = 211 days.
    assert f["last_bad"] == 1 and f["last_serious"] == 1
    assert f["last_score"] == 66 and f["mean_score"] == (66 + 92) / 2
    assert f["bad_share"] == 0.5
    assert (f["high_last"], f["moderate_last"], f["low_last"]) == (2, 1, 0)
    assert f["findings_recent"] == 4 and f["high_recent"] == 2
    assert f["days_since_last"] == pytest.approx(__import__("math").log1p(211))
    # 2020-05-06 → 2021-03-04: 25 + 30 + 31 + 31 + 30 + 31 + 30 + 31 + 31 + 28 + 4 = 302 days.
    assert f["gap_last_two"] == pytest.approx(__import__("math").log1p(302))
    assert f["inspections_1y"] == 1  # only 2021-03-04 lies within 365 days of 2021-10-01
    assert f["complaints_1y"] == 1  # 2019-01-01 is older than a year
    assert f["failed_sampling_2y"] == 1
    assert f["grade_C"] == 1 and f["grade_none"] == 0
    assert f["format_restaurant"] == 1 and f["format_other"] == 0
    # Opened 2019-04-01: 914 days before 2021-10-01 = 2.50 years.
    assert f["age_years"] == pytest.approx(914 / 365.25)
    assert f["new_business"] == 0 and f["age_unknown"] == 0


def test_a_planted_future_changes_nothing():
    """Records on or after the ranking date (an inspection that finds a serious problem, a grade
    decided, a complaint, a failed batch) must leave every feature as it was."""
    clean = _history()
    planted = replace(
        clean,
        inspections=(*clean.inspections, PastInspection(AS_OF, "noncompliant", 40, high=5)),
        grades=(*clean.grades, (AS_OF, "D")),
        complaints=(*clean.complaints, AS_OF),
        failed_sampling=(*clean.failed_sampling, date(2021, 12, 1)),
    )
    assert operator_features(planted, as_of=AS_OF) == operator_features(clean, as_of=AS_OF)
    # …and the planted inspection does count the day after: the test can fail.
    after = operator_features(planted, as_of=date(2021, 10, 2))
    assert after["last_score"] == 40 and after["grade_D"] == 1


def test_never_inspected_and_no_grade():
    s = snapshot(_history(inspections=(), grades=(), opened_on=None), as_of=AS_OF)
    f = operator_features(s.history, as_of=AS_OF)
    assert f["no_history"] == 1 and f["days_since_last"] == pytest.approx(
        __import__("math").log1p(MAX_DAYS)
    )
    assert f["grade_none"] == 1 and f["age_unknown"] == 1
    assert reason(s, "days_since_last") == "从未检查"
    assert reason(s, "last_bad") is None


@pytest.mark.django_db
def test_ledger_features_ignore_a_planted_future(district):
    """Through the ledgers: the same operator read before and after planting a later inspection
    with a finding, a grade, a complaint and a failed batch gives the same features."""
    op = FoodBusinessFactory(org_unit_id="120101001000", opened_on=date(2018, 1, 1))
    old = InspectionFactory(business=op, inspected_on=date(2021, 3, 4), result="rectify", score=80)
    Finding.objects.create(inspection=old, description="冷藏设施温度不符合要求")
    InspectionFactory(
        business=op, inspected_on=date(2021, 3, 20), inspection_type="follow_up", result="rectify"
    )
    RiskGrade.objects.create(
        business=op, year=2021, level="B", basis="assessment", decided_on=date(2021, 1, 10)
    )
    before = operator_histories(operator_ids=[op.pk], before=AS_OF)

    future = InspectionFactory(business=op, inspected_on=AS_OF, result="noncompliant", score=30)
    Finding.objects.create(inspection=future, description="销售变质食品")
    RiskGrade.objects.create(
        business=op, year=2022, level="D", basis="adjustment", decided_on=AS_OF
    )
    ComplaintFactory(org_unit_id="120101001000", business=op, received_on=date(2021, 10, 8))
    SamplingBatchFactory(
        org_unit_id="120101001000",
        business=op,
        sampled_on=date(2021, 9, 20),  # sampled before, but reported only on the day ranked
        reported_on=AS_OF,
        conclusion="nonconforming",
    )
    after = operator_histories(operator_ids=[op.pk], before=AS_OF)

    assert after == before
    f = operator_features(after[0], as_of=AS_OF)
    # The 复查 of 2021-03-20 is left out; the finding reads as high (冷藏设施温度, severity.yaml).
    assert f["last_score"] == 80 and f["high_last"] == 1 and f["grade_B"] == 1
    assert f["failed_sampling_2y"] == 0 and f["complaints_1y"] == 0
    later = operator_features(
        operator_histories(operator_ids=[op.pk], before=date(2021, 10, 9))[0],
        as_of=date(2021, 10, 9),
    )
    assert later["last_score"] == 30 and later["grade_D"] == 1
    assert later["failed_sampling_2y"] == 1 and later["complaints_1y"] == 1


def test_severity_reading():
    spec = severity_spec()
    assert spec.classify("销售超过保质期的食品") == "high"
    assert spec.classify("从业人员健康证明过期") == "moderate"  # 健康证明, not 超过保质期
    assert spec.classify("餐饮具清洗消毒不到位") == "moderate"
    assert spec.classify("未公示食品经营许可证") == "low"
    assert spec.classify("High risk food holding temperature") == "high"
    assert spec.classify("Unclean or degraded floors walls or ceilings") == "low"


def test_severity_file_errors_name_the_key():
    with pytest.raises(SeveritySpecError, match=r"x\.yaml: key 'moderate'"):
        parse_severity({"high": ["鼠"], "moderate": "消毒"}, source="x.yaml")
    with pytest.raises(SeveritySpecError, match="x.yaml: the file must be a mapping"):
        parse_severity(["鼠"], source="x.yaml")
