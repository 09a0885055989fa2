"""Survey metrics: public satisfaction (满意度) and awareness (知晓率).

Both are estimates from a sample, and the survey design (RULES-supervision.md §3.3 [I]) weights
each valid respondent by post-stratification (``w_h = (N_h/N)/(n_h/n)``, stored on the row by
``surveys.services.survey_weights_apply``; 1 until a wave is weighted). The option ``estimate``
picks the estimate the verdict uses:

- ``weighted`` (the programme's reading): ``Σ w·y / Σ w`` over the valid responses, the
  design's weighted mean (``surveys.estimates.weighted_estimate`` gives the same figure with
  its interval on the survey page);
- ``unweighted``: ``Σ y / n``, every valid response counting once.

No response, weighted or not, is no data (无数据). The weighted denominator is a SUM, and SQL's
SUM over no rows is NULL where the unweighted COUNT is 0: the engine reads both as no data
(``engine._indicator_result``), so nothing is special-cased there; what the weighted form
changes is that the denominator is no longer a count of responses (the gap text says
"加权有效样本"). A row with weight 0 (a cell the design could not weight, an invalid one) adds
0 to both parts; only such rows give Σ w = 0, again no data.
"""

from __future__ import annotations

from typing import Any

from ..context import Measure, MetricContext
from ..registry import Fraction, metric

ESTIMATES = ("weighted", "unweighted")


def _estimate(options: dict[str, Any]) -> str:
    estimate = options.get("estimate", "weighted")
    if estimate not in ESTIMATES:
        raise ValueError(f"estimate must be one of {ESTIMATES}, not {estimate!r}")
    return str(estimate)


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
    Rows: valid responses (``valid``: a respondent not 常住 6 months is not) in the period and
    subtree with a score. ``estimate: weighted`` (RULES-supervision.md §3.3 [I], the design's
    post-stratification weights): numerator Σ weight × score, denominator Σ weight.
    ``estimate: unweighted``: numerator Σ score, denominator the number of rows.
    """
    s = ctx.relation("survey")
    scored = ctx.in_period(s.responded_on) & s.satisfaction_score.notnull() & s.valid
    if _estimate(options) == "unweighted":
        return Fraction(Measure(s, "sum", scored, "satisfaction_score"), Measure(s, where=scored))
    w = ctx.extend(s, weighted_score=s.weight * s.satisfaction_score)
    return Fraction(
        Measure(w, "sum", scored, "weighted_score"), Measure(s, "sum", scored, "weight")
    )


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
    respondents ÷ valid sample. Rows: valid responses (``valid``) in the period and subtree that
    answered the awareness question. ``estimate: weighted`` (RULES-supervision.md §3.3 [I]):
    Σ weight of the aware ÷ Σ weight (weighted respondents); ``unweighted``: aware ÷ rows.
    """
    s = ctx.relation("survey")
    answered = ctx.in_period(s.responded_on) & s.aware_of_programme.notnull() & s.valid
    aware = answered & s.aware_of_programme
    if _estimate(options) == "unweighted":
        return Fraction(Measure(s, where=aware), Measure(s, where=answered))
    return Fraction(Measure(s, "sum", aware, "weight"), Measure(s, "sum", answered, "weight"))
