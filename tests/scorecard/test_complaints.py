"""食品类消费投诉按时办结率 (第9条, ≥ 98%), checked case by case against the metric's rule.

Rule (metrics/complaints.py): food complaints (kind 投诉) received in the period. Denominator:
those whose outcome is known by the as-of date — refused, accepted and closed, or still open past
the deadline that applies now (counted late); open and not yet due is left out. Numerator: the
decision by ``acceptance_due_on`` and, if accepted, the closing by ``closing_due_on`` and —
the spec's reading of "按时办结" (RULES.md §4.3) — the end told to the parties by
``end_notice_due_on``, 7 working days after the closing (第二十一条). The other reading
(``closing_only``) looks at the closing date alone.

Due dates come from ``complaint_deadlines`` (7 working days to decide, 45 after acceptance to
close). The 2021 calendar used by hand below: National Day Fri 1 – Thu 7 Oct off, Sat 9 Oct a
make-up working day; no holiday or make-up day from mid-October to the end of December; New Year
2022 Sat 1 – Mon 3 Jan off.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine

from foodsafe.scorecard.results import Status
from tests.factories import ComplaintFactory

from .conftest import SUB_A, SUB_B

CODE = "complaint_on_time_rate"
NATIONAL_DAY_EVE = date(2021, 9, 30)  # Thursday


def complaint(received_on: date, unit: str = SUB_A, **fields):
    return ComplaintFactory(received_on=received_on, org_unit__code=unit, **fields)


def _cohort() -> dict[str, object]:
    """One complaint per case of the rule; returns them by name."""
    c = {}
    # Received Thu 30 Sep: Fri 8 Oct (1), Sat 9 Oct make-up (2), Mon 11 – Fri 15 Oct (3–7).
    c["refused_in_time"] = complaint(
        NATIONAL_DAY_EVE, decision="refused", decided_on=date(2021, 10, 15)
    )
    assert c["refused_in_time"].acceptance_due_on == date(2021, 10, 15)
    c["refused_late"] = complaint(
        NATIONAL_DAY_EVE, decision="refused", decided_on=date(2021, 10, 18)
    )
    # Accepted Fri 15 Oct: 45 working days = 9 full weeks, Mon 18 Oct … Fri 17 Dec.
    c["closed_in_time"] = complaint(
        NATIONAL_DAY_EVE,
        decision="accepted",
        decided_on=date(2021, 10, 15),
        closed_on=date(2021, 12, 17),
        end_notified_on=date(2021, 12, 17),  # told the day it closed
    )
    assert c["closed_in_time"].closing_due_on == date(2021, 12, 17)
    # The end notice (第二十一条): 7 working days after Fri 17 Dec: Mon 20 – Fri 24 (5), Mon 27,
    # Tue 28 Dec (7) → 28 Dec. Three more accepted the same day and closed the same day:
    for name, told in (
        ("told_on_limit", date(2021, 12, 28)),
        ("told_late", date(2021, 12, 29)),
        ("never_told", None),
    ):
        c[name] = complaint(
            NATIONAL_DAY_EVE,
            decision="accepted",
            decided_on=date(2021, 10, 15),
            closed_on=date(2021, 12, 17),
            end_notified_on=told,
        )
        assert c[name].end_notice_due_on == date(2021, 12, 28)
    # Accepted Tue 12 Oct: 13–15 Oct (3) + 8 weeks (43) + Mon 13, Tue 14 Dec (45).
    c["closed_late"] = complaint(
        NATIONAL_DAY_EVE,
        decision="accepted",
        decided_on=date(2021, 10, 12),
        closed_on=date(2021, 12, 15),
    )
    assert c["closed_late"].closing_due_on == date(2021, 12, 14)
    # Accepted late (Mon 18 Oct, due Fri 15 Oct), then closed well before its closing limit
    # (45 working days after 18 Oct: 19–22 Oct (4) + 8 weeks (44) + Mon 20 Dec (45)).
    c["accepted_late"] = complaint(
        NATIONAL_DAY_EVE,
        decision="accepted",
        decided_on=date(2021, 10, 18),
        closed_on=date(2021, 12, 1),
    )
    assert c["accepted_late"].closing_due_on == date(2021, 12, 20)
    # Received Wed 1 Dec, never decided: Thu 2, Fri 3 (2), Mon 6 – Fri 10 Dec (7) → 10 Dec,
    # before the as-of date 31 Dec: open past due, counted late.
    c["undecided_overdue"] = complaint(date(2021, 12, 1))
    assert c["undecided_overdue"].acceptance_due_on == date(2021, 12, 10)
    # Accepted in time, closing due 17 Dec, still open on 31 Dec: counted late.
    c["open_overdue"] = complaint(
        NATIONAL_DAY_EVE, decision="accepted", decided_on=date(2021, 10, 15)
    )
    # Received Wed 22 Dec: 23, 24, 27, 28, 29, 30, 31 Dec → due 31 Dec = the as-of date: not
    # late yet, left out.
    c["due_on_as_of"] = complaint(date(2021, 12, 22))
    assert c["due_on_as_of"].acceptance_due_on == date(2021, 12, 31)
    # Received Mon 27 Dec: 28–31 Dec (4), 1–3 Jan off, 4, 5, 6 Jan (7) → not yet due: left out.
    c["not_yet_due"] = complaint(date(2021, 12, 27))
    assert c["not_yet_due"].acceptance_due_on == date(2022, 1, 6)
    # Accepted 3 Dec: closing due in 2022: left out while open.
    c["accepted_not_yet_due"] = complaint(
        date(2021, 12, 1), decision="accepted", decided_on=date(2021, 12, 3)
    )
    assert c["accepted_not_yet_due"].closing_due_on > date(2021, 12, 31)
    # Never counted: a report (举报), a non-food complaint, one received in 2020.
    complaint(NATIONAL_DAY_EVE, kind="report", decision="refused", decided_on=date(2021, 11, 1))
    complaint(NATIONAL_DAY_EVE, is_food=False, decision="refused", decided_on=date(2021, 11, 1))
    complaint(date(2020, 12, 31), decision="refused", decided_on=date(2021, 1, 20))
    return c


def test_every_case_of_the_on_time_rule(indicator):
    _cohort()
    r = indicator(CODE)  # period 2021, as of 31 Dec 2021
    # Known: refused_in_time, refused_late, closed_in_time, closed_late, accepted_late,
    # undecided_overdue, open_overdue, told_on_limit, told_late, never_told = 10.
    # On time: refused_in_time, closed_in_time, told_on_limit = 3 (told_late was told on
    # 29 Dec, one working day after the 28 Dec limit; never_told was not told at all).
    assert (r.numerator, r.denominator) == (3, 10)
    assert r.value == Decimal("30")  # 3 / 10 × 100
    assert r.status is Status.NOT_MET
    # 98% of 10 = 9.8 on time needed; 9.8 − 3 = 6.8 → 7 over the allowance; 10 − 3 = 7 late.
    assert r.gap.amount == 7
    assert r.gap.unit_zh == "件"
    assert r.gap.text_zh == "超出允许的逾期 7 件（共 7 件未按时办结）"
    # The other reading, the closing date alone: told_late and never_told closed on 17 Dec,
    # their limit, so they are on time there: 5 of the same 10.
    (closing_only,) = r.readings
    assert closing_only.code == "closing_only"
    assert (closing_only.numerator, closing_only.denominator) == (5, 10)
    assert closing_only.value == Decimal("50")
    assert not closing_only.flips  # 30 % and 50 % both miss 98 %


def test_the_end_notice_is_known_on_the_day_after_its_limit(indicator):
    _cohort()
    # On Tue 28 Dec, the notice limit: told_on_limit is told and on time; told_late and
    # never_told are closed but may still be told today → left out. Known: the 7 of the
    # closing cases + told_on_limit = 8; on time: refused_in_time, closed_in_time,
    # told_on_limit = 3.
    r = indicator(CODE, as_of=date(2021, 12, 28))
    assert (r.numerator, r.denominator) == (3, 8)
    # On Wed 29 Dec both are past the limit without a notice by 28 Dec: known late.
    r = indicator(CODE, as_of=date(2021, 12, 29))
    assert (r.numerator, r.denominator) == (3, 10)


def test_as_of_before_closing_leaves_it_open(indicator):
    _cohort()
    r = indicator(CODE, as_of=date(2021, 12, 16))
    # On 16 Dec: closed_in_time is still open (closed 17 Dec) and not due (17 Dec) → left out
    # (so are told_on_limit, told_late and never_told, closed the same day);
    # open_overdue is not due either (17 Dec) → left out; closed_late (closed 15 Dec, due 14 Dec)
    # is known. Known: refused_in_time, refused_late, closed_late, accepted_late,
    # undecided_overdue = 5; on time: refused_in_time = 1.
    assert (r.numerator, r.denominator) == (1, 5)
    assert r.value == Decimal("20")  # 1 / 5 × 100


def test_closed_on_the_as_of_day_counts(indicator):
    _cohort()
    r = indicator(CODE, as_of=date(2021, 12, 17))
    # closed_in_time (closed and told 17 Dec) now counts, on time; open_overdue is due 17 Dec,
    # not yet past it → left out; the three closed 17 Dec but not told that day wait on their
    # notice (limit 28 Dec) → left out. Known 6, on time 2.
    assert (r.numerator, r.denominator) == (2, 6)
    assert r.value == Decimal("33.33")  # 2 / 6 × 100 = 33.333…


def test_default_as_of_is_today_while_the_period_runs(indicator):
    _cohort()
    with time_machine.travel(date(2021, 12, 16), tick=False):
        r = indicator(CODE)
    assert (r.numerator, r.denominator) == (1, 5)  # as for as_of = 16 Dec above


def _refused(n: int, on_time: bool, unit: str = SUB_A) -> None:
    # Received Mon 1 Mar 2021: Tue 2 – Fri 5 (4), Mon 8 – Wed 10 Mar (7) → due 10 Mar.
    decided = date(2021, 3, 10) if on_time else date(2021, 3, 11)
    ComplaintFactory.create_batch(
        n,
        received_on=date(2021, 3, 1),
        org_unit__code=unit,
        decision="refused",
        decided_on=decided,
    )


def test_95_of_100_shortfall_3_failures_5(indicator):
    _refused(95, on_time=True)
    _refused(5, on_time=False)
    r = indicator(CODE)
    assert (r.numerator, r.denominator) == (95, 100)
    assert r.value == Decimal("95")
    assert r.status is Status.NOT_MET
    # 98% of 100 = 98 needed; 98 − 95 = 3 over the allowance; 100 − 95 = 5 late.
    assert r.gap.amount == 3
    assert "3" in r.gap.text_zh and "5" in r.gap.text_zh
    assert r.gap.text_zh == "超出允许的逾期 3 件（共 5 件未按时办结）"


def test_98_of_100_is_met(indicator):
    _refused(98, on_time=True)
    _refused(2, on_time=False)
    r = indicator(CODE)
    assert r.value == Decimal("98")  # 98 / 100 × 100, exactly the target
    assert r.status is Status.MET
    assert r.gap is None


def test_complaints_roll_up_and_split(indicator):
    _refused(3, on_time=True, unit=SUB_A)
    _refused(1, on_time=False, unit=SUB_A)
    _refused(2, on_time=True, unit=SUB_B)
    district = indicator(CODE)
    assert (district.numerator, district.denominator) == (5, 6)  # A 3 of 4 + B 2 of 2
    assert district.value == Decimal("83.33")  # 5 / 6 × 100
    a = indicator(CODE, org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (3, 4)
    assert a.value == Decimal("75")
    b = indicator(CODE, org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (2, 2)
    assert b.status is Status.MET


def test_only_open_not_yet_due_complaints_is_no_data(indicator):
    complaint(date(2021, 12, 27))  # due 6 Jan 2022
    complaint(NATIONAL_DAY_EVE, kind="report", decision="refused", decided_on=date(2021, 10, 8))
    r = indicator(CODE)
    assert r.denominator == 0
    assert r.value is None
    assert r.status is Status.NO_DATA
    assert r.gap is None


def test_accepted_late_and_still_open_counts_late_before_its_closing_deadline(indicator):
    """Accepted after the 7-working-day limit: late already, even while mediation runs."""
    # Received Fri 2021-09-03: acceptance due 7 working days later, Tue 2021-09-14.
    late = ComplaintFactory(
        org_unit__code=SUB_A,
        received_on=date(2021, 9, 3),
        decision="accepted",
        decided_on=date(2021, 9, 15),  # one working day late
    )
    assert late.acceptance_due_on == date(2021, 9, 14)
    # Closing due 45 working days after 15 Sep (across National Day): not yet due on 1 Oct.
    r = indicator(CODE, as_of=date(2021, 10, 1))
    assert (r.numerator, r.denominator) == (0, 1)  # known late: in the denominator, not on time


# -- the cohort is every complaint received in the period (issue 10 §3) ------------------------


@time_machine.travel(date(2022, 3, 1), tick=False)
def test_open_in_time_is_shown_beside_the_rate_and_late_undecided_counts(indicator):
    # Received Tue 14 Dec, refused Wed 15 Dec: on time.
    complaint(date(2021, 12, 14), decision="refused", decided_on=date(2021, 12, 15))
    # Received Wed 1 Dec, undecided: due Thu 2 … Fri 10 Dec (7 working days); past by 31 Dec.
    late = complaint(date(2021, 12, 1))
    assert late.acceptance_due_on == date(2021, 12, 10)
    # Received Tue 28 Dec, decided only on 5 Jan 2022 (after the as-of date): on 31 Dec it is
    # inside its deadline (Wed 29, Thu 30, Fri 31 Dec, Tue 4 … Fri 7 Jan 2022 — 1–3 Jan off).
    open_ = complaint(date(2021, 12, 28), decision="refused", decided_on=date(2022, 1, 5))
    assert open_.acceptance_due_on == date(2022, 1, 7)
    r = indicator(CODE)
    # Known: the refusal (on time) and the late undecided one: 1 / 2 = 50 %. The 28 Dec one is
    # neither dropped nor on time: it is counted beside the rate as open, in time.
    assert (r.numerator, r.denominator) == (1, 2)
    assert r.value == Decimal("50")
    assert r.aside == {"open_in_time": 1}
    # As of 7 Jan 2022 the 28 Dec complaint is decided (5 Jan ≤ 7 Jan): 2 / 3, none open.
    later = indicator(CODE, as_of=date(2022, 1, 7))
    assert (later.numerator, later.denominator) == (2, 3)
    assert later.aside == {"open_in_time": 0}
