"""The risk-ranked order: the model's reasons, the fallback, the replay's arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from foodsafe.registry.models import RiskGrade
from foodsafe.riskrank import replay as R
from foodsafe.riskrank.features import snapshot
from foodsafe.riskrank.history import OperatorHistory, PastInspection
from foodsafe.riskrank.ranking import METHOD_FALLBACK, METHOD_MODEL, rank_histories, rank_operators
from tests.factories import FoodBusinessFactory, InspectionFactory

AS_OF = date(2021, 10, 1)


def _op(pk: int, inspections=(), grade: str = "", fmt: str = "restaurant") -> OperatorHistory:
    return OperatorHistory(
        operator_id=pk,
        name=f"经营者{pk}",
        business_format=fmt,
        org_unit="120101001000",
        grades=((date(2021, 1, 10), grade),) if grade else (),
        inspections=tuple(inspections),
    )


def _training_city(n: int = 400) -> list[OperatorHistory]:
    """Operators inspected every 6 months from 2019 on; an operator found with a problem (not
    compliant) stays that way: in the training years the outcome follows the last result, so
    the model must learn that a bad last result raises the risk."""
    rng = np.random.default_rng(7)
    ops = []
    for pk in range(1, n + 1):
        bad = rng.random() < 0.3
        dates = [date(2019, 1, 1) + timedelta(days=182 * k + pk % 90) for k in range(6)]
        visits = [
            PastInspection(d, "noncompliant" if bad and rng.random() < 0.85 else "compliant")
            for d in dates
            if d < AS_OF
        ]
        ops.append(_op(pk, visits))
    return ops


def test_model_ranks_the_repeat_offender_first_with_reasons_in_words():
    city = _training_city()
    clean = _op(9001, [PastInspection(date(2021, 6, 1), "compliant", 95)])
    offender = _op(
        9002,
        [
            PastInspection(date(2020, 12, 1), "noncompliant", 60, high=1),
            PastInspection(date(2021, 6, 1), "noncompliant", 62, high=2),
        ],
    )
    ranked = rank_histories([clean, offender], city, as_of=AS_OF)
    assert [r.operator_id for r in ranked] == [9002, 9001]
    assert [r.rank for r in ranked] == [1, 2]
    first = ranked[0]
    assert first.method == METHOD_MODEL and 0.5 < first.probability <= 1
    assert ranked[1].probability < first.probability
    # Words, not feature names: the last result with its date leads.
    assert "上次检查结果：不符合（2021-06-01）" in first.reasons
    assert all("_" not in r for r in first.reasons)
    assert 1 <= len(first.reasons) <= 3
    assert "逻辑回归模型" in first.method_note and "2018-10-02 至 2021-09-30" in first.method_note


def test_model_never_learns_from_the_ranked_period():
    """A flood of planted outcomes on and after the ranking date (every compliant operator found
    noncompliant) must not change a single probability."""
    city = _training_city()
    to_rank = city[:20]
    before = rank_histories(to_rank, city, as_of=AS_OF)
    flooded = [
        OperatorHistory(
            **{
                **h.__dict__,
                "inspections": (*h.inspections, PastInspection(AS_OF, "noncompliant", 10)),
            }
        )
        for h in city
    ]
    after = rank_histories(to_rank, flooded, as_of=AS_OF)
    assert [(r.operator_id, r.probability) for r in after] == [
        (r.operator_id, r.probability) for r in before
    ]


def test_fallback_when_history_is_thin_says_so_and_orders_by_hand():
    """Six operators and 5 inspections of history (< 200): the fallback. By hand: grade D
    first; then the two ungraded ones (no grade sits after C, before B), the never inspected
    one first; then the two B's, the one whose last inspection asked for rectification
    (限期整改) before the compliant one; A last."""
    a = _op(1, [PastInspection(date(2021, 9, 1), "compliant")], grade="A")
    b_ok = _op(2, [PastInspection(date(2020, 1, 1), "compliant")], grade="B")
    b_bad = _op(3, [PastInspection(date(2021, 9, 1), "rectify")], grade="B")
    none = _op(4, [PastInspection(date(2021, 5, 1), "compliant")])
    d = _op(5, [PastInspection(date(2021, 9, 20), "compliant")], grade="D")
    c = _op(6)
    ranked = rank_histories([a, b_ok, b_bad, none, d, c], [a, b_ok, b_bad, none, d], as_of=AS_OF)
    assert [r.operator_id for r in ranked] == [5, 6, 4, 3, 2, 1]
    assert {r.method for r in ranked} == {METHOD_FALLBACK}
    assert all(r.probability is None for r in ranked)
    note = ranked[0].method_note
    assert note.startswith("历史检查记录不足（训练期内 5 次检查，其中 1 次发现问题")
    assert "改按风险等级、上次检查结果和距上次检查时间排序" in note
    assert ranked[0].reasons == ("风险等级 D", "距上次检查 11 天")
    assert ranked[3].reasons == (
        "风险等级 B",
        "上次检查结果：基本符合（限期整改）（2021-09-01）",
        "距上次检查 30 天",
    )
    assert ranked[1].reasons == ("尚无风险等级", "从未检查")


def test_fallback_time_since_last_breaks_ties():
    """Same grade and result: the longest since the last inspection first, never inspected
    before all."""
    old = _op(1, [PastInspection(date(2019, 1, 1), "compliant")], grade="B")
    new = _op(2, [PastInspection(date(2021, 9, 1), "compliant")], grade="B")
    never = _op(3, grade="B")
    ranked = rank_histories([new, old, never], [], as_of=AS_OF, method=METHOD_FALLBACK)
    assert [r.operator_id for r in ranked] == [3, 1, 2]
    assert ranked[0].method_note == "按风险等级、上次检查结果和距上次检查时间排序"


@pytest.mark.django_db
def test_rank_operators_reads_the_ledgers(district):
    """Two operators of subdistrict A, one of B; ranking A falls back (two inspections of
    history) and puts the D-graded one first."""
    x = FoodBusinessFactory(org_unit_id="120101001000")
    y = FoodBusinessFactory(org_unit_id="120101001000")
    FoodBusinessFactory(org_unit_id="120101002000")
    InspectionFactory(business=x, inspected_on=date(2021, 5, 1))
    InspectionFactory(business=y, inspected_on=date(2021, 8, 1))
    RiskGrade.objects.create(
        business=y, year=2021, level="D", basis="assessment", decided_on=date(2021, 2, 1)
    )
    ranked = rank_operators(as_of=AS_OF, org_unit="120101001000")
    assert [r.operator_id for r in ranked] == [y.pk, x.pk]
    assert ranked[0].method == METHOD_FALLBACK
    assert "训练期内 2 次检查" in ranked[0].method_note
    assert [r.operator_id for r in rank_operators(as_of=AS_OF, operators=[x])] == [x.pk]
    with pytest.raises(ValueError, match="operators or org_unit"):
        rank_operators(as_of=AS_OF)


# --- the replay (issue 13 §5) ---------------------------------------------------------------


def _visits() -> list[R.Visit]:
    # Four inspections actually done on 1, 5, 10 and 20 March; the 2nd and 4th found problems.
    return [
        R.Visit(1, date(2017, 3, 1), False),
        R.Visit(2, date(2017, 3, 5), True),
        R.Visit(3, date(2017, 3, 10), False),
        R.Visit(4, date(2017, 3, 20), True),
    ]


def test_replay_days_earlier_by_hand():
    v = _visits()
    # Order 4, 2, 1, 3: operator 4 takes 1 March (19 days earlier), 2 takes 5 March (0 days).
    assert R.reassigned_dates(v, [3, 1, 0, 2]) == [
        date(2017, 3, 10),
        date(2017, 3, 5),
        date(2017, 3, 20),
        date(2017, 3, 1),
    ]
    assert R.days_earlier(v, [3, 1, 0, 2]).tolist() == [0.0, 19.0]
    # Reversed actual order: 2 goes to 10 March (5 days later), 4 to 1 March (19 earlier).
    assert R.days_earlier(v, [3, 2, 1, 0]).tolist() == [-5.0, 19.0]
    # The ceiling puts 2 and 4 on 1 and 5 March: 4 and 15 days earlier.
    assert R.days_earlier(v, R.ceiling_order(v)).tolist() == [4.0, 15.0]
    assert R.days_earlier(v, R.actual_order(v)).tolist() == [0.0, 0.0]
    # Window 1–31 March: midpoint 16 March. Ceiling: both bad visits in the first half.
    assert R.in_first_half(
        v, R.ceiling_order(v), start=date(2017, 3, 1), end=date(2017, 3, 31)
    ).all()
    s = R.Summary.of(np.array([-5.0, 19.0]), np.array([True, False]))
    assert (s.n, s.mean, s.median, s.later_share, s.first_half) == (2, 7.0, 7.0, 0.5, 0.5)
    with pytest.raises(ValueError, match="permutation"):
        R.reassigned_dates(v, [0, 0, 1, 2])


def test_baseline_order_by_hand():
    """Band of the previous score (≤ 70, 71–85, none, 86–90, 91–100), then the longest since
    the last inspection. By hand for six operators on 1 March 2017:
    1: 88 on 2016-12-01; 2: 70 on 2016-06-01; 3: 80 on 2017-02-01; 4: never; 5: 95 on
    2016-01-01; 6: 84 on 2016-03-01 → bands 3, 0, 1, 2, 4, 1 → order 2, 6 (older of the two
    71–85), 3, 4, 1, 5."""
    on = date(2017, 3, 1)
    ops = [
        _op(1, [PastInspection(date(2016, 12, 1), "compliant", 88)]),
        _op(2, [PastInspection(date(2016, 6, 1), "noncompliant", 70)]),
        _op(3, [PastInspection(date(2017, 2, 1), "rectify", 80)]),
        _op(4),
        _op(5, [PastInspection(date(2016, 1, 1), "compliant", 95)]),
        _op(6, [PastInspection(date(2016, 3, 1), "rectify", 84)]),
    ]
    order = R.order_by([R.baseline_key(snapshot(h, as_of=on)) for h in ops])
    assert [ops[i].operator_id for i in order] == [2, 6, 3, 4, 1, 5]


@pytest.mark.django_db
def test_the_plan_calls_the_package_by_name(district):
    """The inspection plan imports ``foodsafe.riskrank`` and calls ``rank_operators(business_ids=…,
    as_of=…)``, reading ``business_id``, ``reasons`` and ``method_note`` of each row."""
    import foodsafe.riskrank as package

    x = FoodBusinessFactory(org_unit_id="120101001000")
    y = FoodBusinessFactory(org_unit_id="120101001000")
    InspectionFactory(business=x, inspected_on=date(2021, 5, 1), result="noncompliant")
    InspectionFactory(business=y, inspected_on=date(2021, 8, 1))
    rows = package.rank_operators(business_ids=[y.pk, x.pk], as_of=AS_OF)
    # Fallback (2 inspections of history), both ungraded: the 不符合 one first.
    assert [r.business_id for r in rows] == [x.pk, y.pk]
    assert rows[0].reasons[1] == "上次检查结果：不符合（2021-05-01）"
