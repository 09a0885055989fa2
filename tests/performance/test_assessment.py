"""绩效考核 (issue 17 point 6): the monthly score of two units worked out by hand, the 无数据
rule, the ranking, the comment, the export and who sees what.

September 2021, assessed on 2021-10-15 (so as of 2021-09-30). The spec in force
(foodsafe/performance/specs/assessment-2021.yaml) weighs tasks on time 25, evidence first pass
20, rectifications closed on time 25, overdue days 15 (2 points off per working day) and
meeting decisions done 15; a factor without data is left out and the weights of the rest
re-scaled.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from foodsafe.evidence.services import evidence_review
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.performance.factors import Tally
from foodsafe.performance.in_force import assessment_spec
from foodsafe.performance.selectors import FactorScore, UnitScore, assessment, ranked
from foodsafe.performance.services import assessment_comment_set
from foodsafe.performance.spec import AssessmentSpecError, parse_assessment_spec
from foodsafe.workplan.models import Meeting, Milestone, Task
from tests.tasks.board_data import add_evidence, add_rectification

TZ = ZoneInfo("Asia/Shanghai")
SEPTEMBER = date(2021, 9, 1)
TODAY = date(2021, 10, 15)


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def _review(evidence, *, approve: bool, on: date, reviewer) -> None:
    with _at(on):
        evidence_review(
            evidence=evidence, approve=approve, reason="" if approve else "不全", actor=reviewer
        )


def _resubmit(evidence, *, on: date, by) -> None:
    with _at(on):
        evidence.status = "submitted"
        evidence._history_user = by
        evidence.save()


def _closed(unit, *, deadline: date, closed_on: date, by):
    r = add_rectification(unit, by=by, deadline=deadline)
    r.state, r.closed_on, r.verified_by = "closed", closed_on, by
    r.save()
    return r


@pytest.fixture
def september(district, market_user, education_user, office_admin, reviewer):
    market = ResponsibleUnit.objects.get(code="market-regulation")
    education = ResponsibleUnit.objects.get(code="education")
    # -- 区市场监管局 ------------------------------------------------------------------------
    holder = add_rectification(market, by=office_admin, deadline=date(2021, 12, 31))
    e1 = add_evidence(holder, by=market_user)
    _review(e1, approve=True, on=date(2021, 9, 10), reviewer=reviewer)  # first pass
    e2 = add_evidence(holder, by=market_user)
    _review(e2, approve=False, on=date(2021, 9, 12), reviewer=reviewer)  # rejected first
    _resubmit(e2, on=date(2021, 9, 15), by=market_user)
    _review(e2, approve=True, on=date(2021, 9, 20), reviewer=reviewer)
    e3 = add_evidence(holder, by=market_user)
    _review(e3, approve=True, on=date(2021, 8, 25), reviewer=reviewer)  # first review in August
    e4 = add_evidence(holder, by=market_user)
    _review(e4, approve=False, on=date(2021, 10, 8), reviewer=reviewer)  # in October
    _closed(market, deadline=date(2021, 9, 15), closed_on=date(2021, 9, 14), by=office_admin)
    _closed(market, deadline=date(2021, 9, 15), closed_on=date(2021, 9, 17), by=office_admin)
    _closed(market, deadline=date(2021, 9, 20), closed_on=date(2021, 9, 20), by=office_admin)
    _closed(market, deadline=date(2021, 8, 20), closed_on=date(2021, 8, 30), by=office_admin)
    add_rectification(market, by=office_admin, deadline=date(2021, 9, 24))  # open
    _closed(market, deadline=date(2021, 9, 28), closed_on=date(2021, 10, 8), by=office_admin)
    phase = {"kind": "phase", "owner_unit": market}
    Task.objects.create(title="A", due_on=date(2021, 9, 10), done_on=date(2021, 9, 9), **phase)
    Task.objects.create(title="B", due_on=date(2021, 9, 20), done_on=date(2021, 9, 22), **phase)
    Task.objects.create(title="E", due_on=date(2021, 9, 28), **phase)
    long = Task.objects.create(title="D", due_on=date(2021, 12, 31), **phase)
    Milestone.objects.create(
        task=long, title="m1", due_on=date(2021, 9, 15), done_on=date(2021, 9, 15)
    )
    Milestone.objects.create(task=long, title="m2", due_on=date(2021, 9, 30))
    meeting = Meeting.objects.create(
        kind="scheduling", title="调度会", held_on=date(2021, 9, 1), place="区政府", chair="区长"
    )
    decision = {"kind": "decision", "owner_unit": market, "meeting": meeting}
    Task.objects.create(title="X", due_on=date(2021, 9, 15), done_on=date(2021, 9, 20), **decision)
    Task.objects.create(title="Y", due_on=date(2021, 9, 25), **decision)
    Task.objects.create(title="Z", due_on=date(2021, 10, 10), **decision)
    # -- 区教育局 ----------------------------------------------------------------------------
    edu_holder = add_rectification(education, by=office_admin, deadline=date(2021, 9, 1))
    for day in (date(2021, 9, 3), date(2021, 9, 8)):
        _review(
            add_evidence(edu_holder, by=education_user), approve=True, on=day, reviewer=reviewer
        )
    return market, education


def _by_unit(rows):
    return {r.unit.code: r for r in rows}


def test_two_units_scored_by_hand(september):
    rows = _by_unit(assessment(spec=assessment_spec(), month=SEPTEMBER, today=TODAY))
    market, education = rows["market-regulation"], rows["education"]
    scores = {f.spec.code: f.score for f in market.factors}
    # 区市场监管局
    # evidence first pass: first reviews in September are e1 (09-10, approved) and e2 (09-12,
    # rejected; approved only on 09-20): 1 of 2 = 50.0. e3 was first reviewed in August, e4 in
    # October: not counted.
    assert scores["evidence_first_pass"] == Decimal("50.0")
    # closed in September: 09-14 (deadline 09-15, on time), 09-17 (late), 09-20 (deadline
    # 09-20, on time); the one closed 08-30 is August's: 2 of 3 = 66.666… → 66.7.
    assert scores["rectifications_on_time"] == Decimal("66.7")
    # overdue on 09-30: the open item due Fri 09-24 is late by the working days after it: Sun
    # 09-26 (make-up working day for National Day), 27, 28, 29, 30 = 5; the item due 09-28 was
    # closed only on 10-08, so on 09-30 it was still open: 29, 30 = 2. The holder is due in
    # December. 7 working days → 100 − 2 × 7 = 86.0.
    assert scores["overdue_days"] == Decimal("86.0")
    assert [f.shown for f in market.factors if f.spec.code == "overdue_days"] == [
        "7 个工作日（2 项）"
    ]
    # tasks on time, due 09-01..09-30 and judged on 09-30: A (due 09-10, done 09-09) and
    # milestone m1 (due and done 09-15) on time; B done 09-22 after 09-20 and E (due 09-28, not
    # done) not; m2 is due on 09-30 itself and not done yet: open, not judged. D is due in
    # December. 2 of 4 = 50.0.
    assert scores["tasks_on_time"] == Decimal("50.0")
    # decisions due in September: X (due 09-15, done 09-20: late but done) and Y (due 09-25,
    # not done); Z is due in October. 1 of 2 = 50.0.
    assert scores["decisions_done"] == Decimal("50.0")
    # total: (25 × 50.0 + 20 × 50.0 + 25 × 66.7 + 15 × 86.0 + 15 × 50.0) ÷ 100
    # = (1250 + 1000 + 1667.5 + 1290 + 750) ÷ 100 = 59.575 → 59.6
    assert market.total == Decimal("59.6")
    assert market.missing == []

    # 区教育局: two files approved at their first review in September: 2 of 2 = 100.0. Nothing
    # closed in September: 无数据. Its open item due Wed 09-01 is late on 09-30 by 21 working
    # days: 2–3, 6–10, 13–17, Sat 18 (make-up day for Mid-Autumn), 22–24 (20–21 Mid-Autumn
    # holiday), Sun 26 (make-up day), 27–30 → 2+5+5+1+3+1+4 = 21 → 100 − 42 = 58.0.
    # Reweighted it would be (20 × 100.0 + 15 × 58.0) ÷ 35 = 2870 ÷ 35 = 82.0, ahead of
    # 59.6 on two factors; but they weigh 20 + 15 = 35 of 100 = 0.35 < min_weight_share 0.5:
    # 数据不足, no total and no rank, so 区市场监管局 (all five factors) is first.
    edu = {f.spec.code: f.score for f in education.factors}
    assert edu["evidence_first_pass"] == Decimal("100.0")
    assert edu["rectifications_on_time"] is None
    assert edu["overdue_days"] == Decimal("58.0")
    assert education.weight_share == Decimal("0.35") and education.too_thin
    assert education.total is None
    assert education.missing == ["任务按期完成率", "整改按期销号率", "会议议定事项完成率"]
    assert (market.rank, education.rank) == (1, None)


def test_a_unit_without_any_data_has_no_total_and_no_rank(september):
    ResponsibleUnit.objects.create(code="civil-affairs", name="区民政局")
    rows = assessment(spec=assessment_spec(), month=SEPTEMBER, today=TODAY)
    last = rows[-1]
    assert last.unit.code == "civil-affairs"
    assert (last.total, last.rank) == (None, None)
    assert len(last.missing) == 5


def test_one_factor_of_five_neither_totals_nor_ranks():
    """F14: a unit with one approved file (evidence first pass 1/1 = 100.0, weight 20 of 100)
    must not rank above a unit scored on every factor at 60.0."""
    spec = assessment_spec()
    half = spec.missing.min_weight_share
    assert half == Decimal("0.5")

    def scored(name: str, tallies: dict[str, Tally | None]) -> UnitScore:
        return UnitScore(
            unit=ResponsibleUnit(name=name),
            factors=[FactorScore(f, tallies.get(f.code)) for f in spec.factors],
            min_weight_share=half,
        )

    one = scored("one", {"evidence_first_pass": Tally(1, 1)})
    # every rate factor 3/5 = 60.0; overdue 20 working days → 100 − 2 × 20 = 60.0
    full = scored(
        "full",
        {
            "tasks_on_time": Tally(3, 5),
            "evidence_first_pass": Tally(3, 5),
            "rectifications_on_time": Tally(3, 5),
            "overdue_days": Tally(20, 2),
            "decisions_done": Tally(3, 5),
        },
    )
    # exactly half: tasks 25 + rectifications 25 = 50 of 100 = 0.5, not below: totalled
    # (25 × 100.0 + 25 × 0.0) ÷ 50 = 50.0
    even = scored("even", {"tasks_on_time": Tally(2, 2), "rectifications_on_time": Tally(0, 3)})
    rows = ranked([one, full, even])
    assert one.weight_share == Decimal("0.2") and one.too_thin and one.total is None
    assert full.total == Decimal("60.0") and even.total == Decimal("50.0")
    assert [(r.unit.name, r.rank) for r in rows] == [("full", 1), ("even", 2), ("one", None)]


def test_equal_totals_share_a_rank():
    first = assessment_spec().factors[1]  # evidence first pass, one factor only

    def unit(name: str, ok: int, n: int) -> UnitScore:
        return UnitScore(
            unit=ResponsibleUnit(name=name), factors=[FactorScore(first, Tally(ok, n))]
        )

    none = UnitScore(unit=ResponsibleUnit(name="无"), factors=[FactorScore(first, None)])
    rows = ranked([unit("a", 1, 2), none, unit("b", 3, 4), unit("c", 2, 4), unit("d", 1, 4)])
    # b 75.0 → 1; a and c 50.0 → both 2; d 25.0 → 4 (competition ranking); 无数据 last, no rank
    assert [(r.unit.name, r.total, r.rank) for r in rows] == [
        ("b", Decimal("75.0"), 1), ("a", Decimal("50.0"), 2), ("c", Decimal("50.0"), 2),
        ("d", Decimal("25.0"), 4), ("无", None, None),
    ]  # fmt: skip


def test_the_spec_is_checked_naming_the_key():
    good = {
        "code": "t", "version": "1", "name": "n", "source": "s",
        "factors": [{"code": "overdue_days", "name": "x", "weight": 1, "certainty": "I"}],
        "missing": {"rule": "reweight", "certainty": "I"},
    }  # fmt: skip
    with pytest.raises(AssessmentSpecError, match=r"factors\[0\]\.penalty_per_day"):
        parse_assessment_spec(good)
    bad_code = {**good, "factors": [{"code": "nope", "name": "x", "weight": 1, "certainty": "I"}]}
    with pytest.raises(AssessmentSpecError, match=r"factors\[0\]\.code: 未知的考核因素"):
        parse_assessment_spec(bad_code)
    zero = {**good, "factors": [{**good["factors"][0], "weight": 0, "penalty_per_day": 1}]}
    with pytest.raises(AssessmentSpecError, match=r"factors\.0\.weight|factors\[0\]\.weight"):
        parse_assessment_spec(zero)


def test_comment_page_export_and_scope(client, september, office_admin, market_user, reviewer):
    market, education = september
    with pytest.raises(PermissionDenied):
        assessment_comment_set(unit=market, month=SEPTEMBER, text="x", actor=market_user)
    with _at(TODAY):
        client.force_login(office_admin)
        response = client.post(
            "/performance/comment/",
            {"unit": market.pk, "month": "2021-09", "text": "逾期整改须在10月底前销号"},
        )
        assert response.status_code == 302
        page = client.get("/performance/?month=2021-09").content.decode()
        assert "逾期整改须在10月底前销号" in page and "区教育局" in page
        book = openpyxl.load_workbook(
            io.BytesIO(client.get("/performance/export.xlsx?month=2021-09").content)
        )
        rows = [[c.value for c in row] for row in book.active.iter_rows(min_row=4)]
        by_unit = {row[1]: row for row in rows}
        # 区教育局 has data on factors weighing 35 of 100 (< 0.5): 数据不足, no rank
        assert by_unit["区教育局"][0] == "—" and by_unit["区教育局"][12] == "数据不足"
        assert by_unit["区市场监管局"][0] == 1 and by_unit["区市场监管局"][12] == 59.6
        assert "数据不足" in page
        assert by_unit["区教育局"][3] == "无数据"  # tasks on time: no data
        assert by_unit["区教育局"][13] == "任务按期完成率、整改按期销号率、会议议定事项完成率"
        assert by_unit["区市场监管局"][14] == "逾期整改须在10月底前销号"
        assert client.get("/performance/?month=2021-13").status_code == 400
        assert client.get("/performance/?month=2021-11").status_code == 404  # after this month
        # a member unit sees its own row and the comment, not the other unit, and cannot write
        client.force_login(market_user)
        page = client.get("/performance/?month=2021-09").content.decode()
        assert "逾期整改须在10月底前销号" in page and "区教育局" not in page
        assert (
            client.post(
                "/performance/comment/", {"unit": market.pk, "month": "2021-09", "text": "x"}
            ).status_code
            == 403
        )
        client.force_login(reviewer)
        assert client.get("/performance/").status_code == 403
    # clearing the comment deletes it; the history keeps both rows
    comment = assessment_comment_set(unit=market, month=SEPTEMBER, text="", actor=office_admin)
    assert comment is None
    from foodsafe.performance.models import AssessmentComment

    assert AssessmentComment.history.filter(unit_id=market.pk).count() == 2


def test_the_page_opens_on_the_latest_month_with_data(
    client, district, office_admin, market_user, education_user
):
    """New-user test: the page opened on the current month, all 无数据, when the data (the
    example district's) was older. Worked by hand, today 2021-12-15: 区市场监管局's one task
    due 2021-09-10 was done on 09-09 → September: 任务按期完成率 1/1 = 100. October to
    December have no row of any factor (no task due, no review, no closing, no item
    registered — the task due 2022-01-10 and its milestone due 12-20 lie after today), so
    the latest month with data is 2021-09."""
    market = ResponsibleUnit.objects.get(code="market-regulation")
    phase = {"kind": "phase", "owner_unit": market}
    Task.objects.create(title="A", due_on=date(2021, 9, 10), done_on=date(2021, 9, 9), **phase)
    later = Task.objects.create(title="L", due_on=date(2022, 1, 10), **phase)
    Milestone.objects.create(task=later, title="m", due_on=date(2021, 12, 20))
    with _at(date(2021, 12, 15)):
        client.force_login(office_admin)
        page = client.get("/performance/").content.decode()
        assert '<span class="code">2021-09</span>' in page
        assert "本月（2021-12）尚无考核数据，显示有数据的最近月份 2021-09。" in page
        assert 'id="no-data-month"' not in page
        # A month asked for without data says so and links to the latest with data.
        page = client.get("/performance/?month=2021-11").content.decode()
        assert '<span class="code">2021-11</span>' in page
        assert "2021-11 没有任何单位的考核数据" in page
        assert '<a id="latest-month" href="?month=2021-09">' in page
        # The office's September page is not moved: it has data.
        page = client.get("/performance/?month=2021-09").content.decode()
        assert 'id="no-data-month"' not in page and 'id="moved-month"' not in page
        # 区教育局 sees its own row only, which has no data in any month: no link.
        client.force_login(education_user)
        page = client.get("/performance/").content.decode()
        assert '<span class="code">2021-12</span>' in page
        assert 'id="no-data-month"' in page and 'id="latest-month"' not in page
