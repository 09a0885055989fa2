"""Zero reports (零报告): who may record one, what the scorecard makes of it, the command, and
roll-ups flagged 不完整 when a subdistrict has not reported (issue 10 §2)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from foodsafe.completeness.models import ZeroReport
from foodsafe.completeness.services import zero_report_record
from foodsafe.programme.spec import ReportingSpec
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.scorecard.results import Status
from tests.factories import PopulationFactory, SamplingBatchFactory
from tests.scorecard.conftest import DISTRICT, SUB_A, SUB_B, full_spec, narrowed_spec


def test_office_records_a_zero_report_with_who_and_when(district, office_admin):
    report = zero_report_record(
        spec=full_spec(), ledger="incidents", org_unit=DISTRICT, period="2021", actor=office_admin
    )
    assert (report.ledger, report.org_unit_id, report.period) == ("incidents", DISTRICT, "2021")
    assert report.reported_by == office_admin
    assert report.reported_at is not None
    assert report.history.get().history_user == office_admin  # its audit row


def test_a_unit_that_keeps_the_ledger_may_record_another_may_not(
    district, market_user, education_user
):
    # The spec's reporting section: incidents are reported by 区市场监管局, 区卫生健康委 and
    # the subdistricts; not by 区教育局.
    zero_report_record(
        spec=full_spec(), ledger="incidents", org_unit=SUB_A, period="2021", actor=market_user
    )
    with pytest.raises(PermissionDenied):
        zero_report_record(
            spec=full_spec(),
            ledger="incidents",
            org_unit=SUB_B,
            period="2021",
            actor=education_user,
        )


@pytest.mark.parametrize(
    ("ledger", "org", "period", "code"),
    [
        ("nonsense", DISTRICT, "2021", "ledger"),
        ("incidents", "999999999999", "2021", "org_unit"),
        ("incidents", DISTRICT, "2021Q5", "period"),
    ],
)
def test_bad_input_is_refused(district, office_admin, ledger, org, period, code):
    with pytest.raises(ValidationError) as exc:
        zero_report_record(
            spec=full_spec(), ledger=ledger, org_unit=org, period=period, actor=office_admin
        )
    assert exc.value.code == code


def test_a_second_report_for_the_same_ledger_unit_and_period_is_refused(district, office_admin):
    kwargs = dict(spec=full_spec(), ledger="incidents", org_unit=DISTRICT, period="2021")
    zero_report_record(**kwargs, actor=office_admin)
    with pytest.raises(ValidationError) as exc:
        zero_report_record(**kwargs, actor=office_admin)
    assert exc.value.code == "duplicate"
    assert ZeroReport.objects.count() == 1


def test_command(district, office_admin, capsys):
    call_command("zero-report", "incidents", org=SUB_A, period="2021", user="office_admin")
    assert "已记录零报告：incidents 120101001000 2021" in capsys.readouterr().out
    with pytest.raises(CommandError, match="未知用户"):
        call_command("zero-report", "incidents", org=SUB_A, period="2021", user="nobody")
    with pytest.raises(CommandError, match="已填报"):
        call_command("zero-report", "incidents", org=SUB_A, period="2021", user="office_admin")


# -- roll-ups -------------------------------------------------------------------------------


def _township_sampling_spec():
    """The real spec with sampling per 1,000 residents only, and the sampling ledger made
    township-level: every subdistrict must report it."""
    spec = narrowed_spec("sampling_per_thousand")
    reporting = [
        ReportingSpec(
            ledger="sampling",
            name="食品抽检台账",
            reporters=["market-regulation"],
            level="township",
            needed_by=["sampling_per_thousand"],
        )
    ]
    return spec.model_copy(update={"reporting": reporting})


def test_roll_up_missing_a_subdistrict_is_incomplete_never_met(district):
    # 1,000 residents, 5 batches all in A街道: 5 / 1,000 × 1000 = 5 ≥ 4 a year would be 达标.
    # B街道 has neither a batch nor a zero report, so the district's figure may be missing
    # B's batches: 不完整, naming B街道. A街道 alone is 达标 (it reported: its rows).
    PopulationFactory(org_unit__code=DISTRICT, resident_population=1000)
    PopulationFactory(org_unit__code=SUB_A, resident_population=500)
    SamplingBatchFactory.create_batch(5, org_unit__code=SUB_A)
    spec = _township_sampling_spec()
    card = evaluate_scorecard(spec=spec, org_unit=DISTRICT, period="2021")
    ind = card.indicator("sampling_per_thousand")
    assert ind.value == 5
    assert ind.status is Status.INCOMPLETE
    assert ind.status_zh == "不完整"
    assert ind.unreported == ("B街道（测试）",)
    assert ind.unreported_zh == "未上报：B街道（测试）"
    item_13 = next(i for i in card.items if i.number == 13)
    assert item_13.status is Status.INCOMPLETE
    sub_a = evaluate_scorecard(spec=spec, org_unit=SUB_A, period="2021")
    assert sub_a.indicator("sampling_per_thousand").status is Status.MET  # 5 / 500 × 1000 = 10
    sub_b = evaluate_scorecard(spec=spec, org_unit=SUB_B, period="2021")
    assert sub_b.indicator("sampling_per_thousand").status is Status.NO_DATA
    assert sub_b.indicator("sampling_per_thousand").note == "未上报"
    # B街道's zero report for 2021: it had no batch. The district is complete and 达标.
    ZeroReport.objects.create(ledger="sampling", org_unit_id=SUB_B, period="2021")
    card = evaluate_scorecard(spec=spec, org_unit=DISTRICT, period="2021")
    assert card.indicator("sampling_per_thousand").status is Status.MET


def test_incomplete_does_not_hide_not_met(district):
    # 2 batches for 1,000 residents: 2 < 4 already fails; a missing subdistrict could only add
    # batches, but the verdict stays 未达标 with the missing unit named beside it.
    PopulationFactory(org_unit__code=DISTRICT, resident_population=1000)
    SamplingBatchFactory.create_batch(2, org_unit__code=SUB_A)
    card = evaluate_scorecard(spec=_township_sampling_spec(), org_unit=DISTRICT, period="2021")
    ind = card.indicator("sampling_per_thousand")
    assert ind.status is Status.NOT_MET
    assert ind.unreported == ("B街道（测试）",)


# -- 数据截至 ----------------------------------------------------------------------------------


def test_data_through_when_the_ledgers_end_before_the_period(district):
    # Sampling rows end on 2013-08-30 and the period is 2013: the as-of date is 2013-12-31, so
    # the page says 数据截至 2013-08-30 next to it. A row after the as-of date does not count.
    SamplingBatchFactory(org_unit__code=SUB_A, sampled_on=date(2013, 8, 30))
    SamplingBatchFactory(org_unit__code=SUB_A, sampled_on=date(2014, 2, 1))
    card = evaluate_scorecard(spec=narrowed_spec(), org_unit=DISTRICT, period="2013")
    assert card.as_of == date(2013, 12, 31)
    assert card.data_through == date(2013, 8, 30)
    assert card.data_through_zh == "数据截至 2013-08-30"
    # Data to the last day: nothing to say.
    SamplingBatchFactory(org_unit__code=SUB_B, sampled_on=date(2013, 12, 31))
    card = evaluate_scorecard(spec=narrowed_spec(), org_unit=DISTRICT, period="2013")
    assert card.data_through_zh == ""
