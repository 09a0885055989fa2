"""Survey metrics: public satisfaction (满意度) and awareness (知晓率)."""

from __future__ import annotations

from typing import Any

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


@metric(
    "satisfaction_score",
    factor=1,
    numerator_unit_zh="分",
    numerator_unit_en="points",
    ledger="survey",
    as_of_literal=True,
)
def satisfaction_score(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Public food-safety satisfaction (群众食品安全满意度), mean score out of 100.

    Rule: 实施方案 第22条 "群众食品安全满意度达到80分以上"; below 80 is veto 4 (否决项四).
    Numerator: sum of the satisfaction scores of valid responses (``valid``: a respondent not
    常住 6 months is not) in the period and subtree. Denominator: number of those responses
    with a score. Value = the unweighted mean (factor 1); the post-stratified mean with its
    interval is on the survey page (``surveys.selectors.wave_results``).
    """
    s = ctx.relation("survey")
    scored = ctx.in_period(s.responded_on) & s.satisfaction_score.notnull() & s.valid
    return Fraction(Measure(s, "sum", scored, "satisfaction_score"), Measure(s, where=scored))


@metric(
    "awareness_rate",
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="respondents",
    ledger="survey",
    as_of_literal=True,
)
def awareness_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Awareness of the demonstration-city drive (创建工作知晓率), %.

    Rule: 实施方案 第23条 "食品安全示范创建工作知晓率达到85%以上"; RULES.md §1.6: aware
    respondents ÷ valid sample. Denominator: valid responses (``valid``) in the period and
    subtree that answered the awareness question. Numerator: those aware (unweighted).
    """
    s = ctx.relation("survey")
    answered = ctx.in_period(s.responded_on) & s.aware_of_programme.notnull() & s.valid
    return Fraction(Measure(s, where=answered & s.aware_of_programme), Measure(s, where=answered))
