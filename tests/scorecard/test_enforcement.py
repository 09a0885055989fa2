"""立案率 and 办结率 (第7条, both 100%).

Rules (metrics/enforcement.py): filing rate = leads received in the period that should be
filed (应立案) and were filed by the as-of date ÷ those leads; closing rate = cases filed in the
period and closed by the as-of date ÷ cases filed in the period.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import Status
from tests.factories import CaseFactory

from .conftest import SUB_A, SUB_B


def case(received: date, filed: date | None = None, closed: date | None = None, unit=SUB_A, **kw):
    return CaseFactory(
        lead_received_on=received, filed_on=filed, closed_on=closed, org_unit__code=unit, **kw
    )


def _cases() -> None:
    case(date(2021, 3, 1), date(2021, 3, 5), date(2021, 6, 1))  # L1: filed, closed
    case(date(2021, 4, 1), date(2021, 4, 10), date(2021, 12, 20))  # L2: filed, closed 20 Dec
    case(date(2021, 5, 1), date(2021, 5, 10), unit=SUB_B)  # L3: filed, still open
    case(date(2021, 6, 1), unit=SUB_B)  # L4: should be filed, not filed
    case(date(2021, 7, 1), should_file=False)  # L5: not to be filed: in neither rate
    case(date(2020, 12, 20), date(2021, 1, 5), date(2021, 2, 1))  # L6: lead 2020, filed 2021
    case(date(2021, 12, 31), date(2022, 1, 4))  # L7: lead on the last day, filed in 2022


def test_filing_rate(indicator):
    _cases()
    r = indicator("case_filing_rate")
    # Leads of 2021 to be filed: L1, L2, L3, L4, L7 = 5 (L5 not to be filed, L6 of 2020).
    # Filed by 31 Dec 2021: L1, L2, L3 = 3 (L7 filed 4 Jan 2022).
    assert (r.numerator, r.denominator) == (3, 5)
    assert r.value == Decimal("60")  # 3 / 5 × 100
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 2  # 100% of 5 − 3
    assert r.gap.text_zh == "还有 2 条应立案线索未立案"


def test_closing_rate(indicator):
    _cases()
    r = indicator("case_closing_rate")
    # Filed in 2021: L1, L2, L3, L6 = 4 (L7 filed in 2022). Closed by 31 Dec: L1, L2, L6 = 3.
    assert (r.numerator, r.denominator) == (3, 4)
    assert r.value == Decimal("75")  # 3 / 4 × 100
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 4 − 3
    assert r.gap.text_zh == "还有 1 件已立案案件未办结"


def test_case_closed_after_as_of_is_not_closed(indicator):
    _cases()
    r = indicator("case_closing_rate", as_of=date(2021, 12, 19))
    assert (r.numerator, r.denominator) == (2, 4)  # L2 closes on 20 Dec: L1, L6 of 4
    assert r.value == Decimal("50")
    r = indicator("case_closing_rate", as_of=date(2021, 12, 20))
    assert (r.numerator, r.denominator) == (3, 4)  # closed on the as-of day counts


def test_lead_filed_after_as_of_is_not_filed(indicator):
    _cases()
    r = indicator("case_filing_rate", as_of=date(2021, 3, 4))
    # As of 4 Mar only L1 (lead 1 Mar) has been received — later leads are not yet facts —
    # and L1 is filed on 5 Mar, after 4 Mar: 0 of 1.
    assert (r.numerator, r.denominator) == (0, 1)
    assert r.value == Decimal("0")
    assert r.status is Status.NOT_MET


def test_rates_split_by_subdistrict(indicator):
    _cases()
    a = indicator("case_filing_rate", org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (2, 3)  # A: L1, L2 filed of L1, L2, L7
    b = indicator("case_filing_rate", org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (1, 2)  # B: L3 filed of L3, L4
    closing_b = indicator("case_closing_rate", org_unit=SUB_B)
    assert (closing_b.numerator, closing_b.denominator) == (0, 1)  # L3 open


def test_all_filed_and_closed_is_met(indicator):
    case(date(2021, 1, 1), date(2021, 1, 2), date(2021, 3, 1))
    case(date(2021, 2, 1), date(2021, 2, 2), date(2021, 12, 31), unit=SUB_B)
    filing = indicator("case_filing_rate")
    assert (filing.numerator, filing.denominator) == (2, 2)
    assert filing.value == Decimal("100")
    assert filing.status is Status.MET
    closing = indicator("case_closing_rate")
    assert (closing.numerator, closing.denominator) == (2, 2)
    assert closing.status is Status.MET
    assert closing.gap is None


def test_no_cases_is_no_data(indicator):
    case(date(2021, 7, 1), should_file=False)
    case(date(2020, 7, 1), date(2020, 7, 2))
    for code in ("case_filing_rate", "case_closing_rate"):
        r = indicator(code)
        assert r.denominator == 0
        assert r.value is None
        assert r.status is Status.NO_DATA
        assert r.gap is None


# -- 办结率 against the legal time limit (issue 10 §3) -----------------------------------------
# 《市场监督管理行政处罚程序规定》 ordinary procedure: decided within 90 days of 立案 (RULES.md
# §4.2), extendable; the spec's ``limit_days`` is 90 and an extension is ``extended_due_on``.


def test_case_open_inside_its_limit_is_not_counted_against(indicator):
    case(date(2021, 2, 20), date(2021, 3, 1), date(2021, 4, 1))  # closed
    case(date(2021, 12, 18), date(2021, 12, 20))  # filed 20 Dec, open on 31 Dec
    r = indicator("case_closing_rate")
    # The 20 Dec case is due 20 Dec + 90 days = 20 Mar 2022: inside its limit on 31 Dec, so it
    # is shown "in time, open", not counted against the rate: 1 closed of 1 = 100 %, not 50 %.
    assert (r.numerator, r.denominator) == (1, 1)
    assert r.value == Decimal("100")
    assert r.status is Status.MET
    assert r.aside == {"open_in_time": 1}
    assert r.aside_zh == [("依法期限内未结", 1)]
    # The other reading (every filed case) is the old 1 / 2 = 50 %: the verdict flips.
    (every,) = r.readings
    assert every.code == "all_filed"
    assert (every.numerator, every.denominator) == (1, 2)
    assert every.value == Decimal("50")
    assert every.status is Status.NOT_MET
    assert every.flips and r.flipped


def test_case_past_its_limit_counts_against_from_the_next_day(indicator):
    case(date(2021, 8, 30), date(2021, 9, 1))
    # 1 Sep + 90 days: Sep 29 days to 30 Sep, Oct 31 (60), Nov 30 (90) → due 30 Nov.
    on_due_day = indicator("case_closing_rate", as_of=date(2021, 11, 30))
    assert on_due_day.denominator == 0  # the due day itself is inside the limit: no data yet
    assert on_due_day.status is Status.NO_DATA
    assert on_due_day.aside == {}  # no verdict, nothing beside it
    next_day = indicator("case_closing_rate", as_of=date(2021, 12, 1))
    assert (next_day.numerator, next_day.denominator) == (0, 1)  # late from 1 Dec
    assert next_day.status is Status.NOT_MET
    assert next_day.aside == {"open_in_time": 0}


def test_extension_in_the_ledger_moves_the_limit(indicator):
    # Filed 1 Sep (due 30 Nov), extended by 30 days to 30 Dec, then to 15 Jan by collective
    # decision: still inside its limit on 31 Dec.
    case(date(2021, 8, 30), date(2021, 9, 1), extended_due_on=date(2022, 1, 15))
    case(date(2021, 8, 30), date(2021, 9, 1), extended_due_on=date(2021, 12, 30))  # past
    case(date(2021, 2, 1), date(2021, 2, 2), date(2021, 5, 1))  # closed
    r = indicator("case_closing_rate")
    # Counted: the closed case and the one extended to 30 Dec (past on 31 Dec): 1 / 2 = 50 %.
    assert (r.numerator, r.denominator) == (1, 2)
    assert r.aside == {"open_in_time": 1}  # extended to 15 Jan
    every = r.readings[0]
    assert (every.numerator, every.denominator) == (1, 3)  # 33.33 %, not met either
    assert not every.flips
