"""Item 25 (信用监管): credit file coverage and classified supervision, hand-worked. The metrics
read the credit app's tables by name; a scope without any file (class) is 无数据."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from foodsafe.credit.models import CreditEntry, CreditFile, CreditGrade
from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory

from .conftest import SUB_A, SUB_B


def _file(b, refreshed_on):
    return CreditFile.objects.create(
        business=b,
        key=b.registry_number,
        key_kind="registry",
        org_unit_id=b.org_unit_id,
        changed_at=datetime(2021, 1, 1, tzinfo=UTC),
        refreshed_on=refreshed_on,
    )


def _grade(b, month, applied=""):
    return CreditGrade.objects.create(
        business=b, month=month, computed="B", score=0, spec_label="t", level="B",
        applied_plan=applied,
    )  # fmt: skip


@pytest.mark.django_db
def test_credit_indicators_by_hand(scorecard):
    a1 = FoodBusinessFactory(org_unit_id=SUB_A)
    a2 = FoodBusinessFactory(org_unit_id=SUB_A)
    a3 = FoodBusinessFactory(org_unit_id=SUB_A)
    closed = FoodBusinessFactory(org_unit_id=SUB_A, status="closed", closed_on=date(2021, 5, 1))
    b1 = FoodBusinessFactory(org_unit_id=SUB_B)
    # Files: a1 gathered 2022-01-03 (after the year: current), a2 on 2021-12-30 (the day
    # before 12-31 is allowed by max_age_days 1: current), a3 on 2021-12-29 (too old), the
    # closed one (not in the denominator). SUB_B has no file at all.
    _file(a1, date(2022, 1, 3))
    _file(a2, date(2021, 12, 30))
    _file(a3, date(2021, 12, 29))
    _file(closed, date(2022, 1, 3))
    # Classes: a1's December class used by a plan; a2's used but for 2020-11 (before the
    # period's window, which starts at the month before 2021-01: 2020-12); a3 classed in
    # 2021-10 but not used by any plan.
    _grade(a1, date(2021, 12, 1), "JH-1")
    _grade(a2, date(2020, 11, 1), "JH-0")
    _grade(a3, date(2021, 10, 1))
    # The files hold a supervision record of 2021 (a1's inspection result): the files speak
    # for 2021. Without one the indicator is 无数据 (test_period_data.py).
    CreditEntry.objects.create(
        business=a1, kind="inspection", outcome="compliant", source_id=1,
        occurred_on=date(2021, 6, 1),
    )  # fmt: skip
    card = scorecard(org_unit=SUB_A)
    got = {i.code: i for i in card.indicators}
    # 3 operating in SUB_A at 2021-12-31 (the closed one is out): a1, a2 current → 2 / 3.
    f = got["credit_file_coverage"]
    assert (f.numerator, f.denominator, f.status) == (2, 3, Status.NOT_MET)
    # Only a1's class was applied in the window → 1 / 3.
    c = got["credit_classified_supervision"]
    assert (c.numerator, c.denominator) == (1, 3)
    # SUB_B has a business but no file: the presence check is the county's (the district has
    # files), so it is a real 0 / 1, not 无数据.
    f_b = {i.code: i for i in scorecard(org_unit=SUB_B).indicators}["credit_file_coverage"]
    assert (f_b.numerator, f_b.denominator) == (0, 1) and b1.pk
    # With no file and no class anywhere: no data, never 0 %.
    CreditFile.objects.all().delete()
    CreditGrade.objects.all().delete()
    got = {i.code: i for i in scorecard().indicators}
    assert got["credit_file_coverage"].status == Status.NO_DATA
    assert got["credit_classified_supervision"].status == Status.NO_DATA
