"""Survey metrics: public satisfaction (满意度) and awareness (知晓率).

Both are estimates from a sample, and the survey design (RULES-supervision.md §3.3 [I]) weights
each valid respondent by post-stratification (``w_h = (N_h/N)/(n_h/n)``, stored on the row by
``surveys.services.survey_weights_apply`` and recomputed by ``survey_weights_refresh`` whenever
the answers or the population figures change; 0 while a wave cannot be weighted, 待加权, so the
weighted estimate is then 无数据, never the plain mean). The option ``estimate`` picks the
estimate the verdict uses:

- ``weighted`` (the programme's reading): ``Σ w·y / Σ w`` over the valid responses, the
  design's weighted mean (``surveys.estimates.weighted_estimate`` gives the same figure with
  its interval on the survey page);
- ``unweighted``: ``Σ y / n``, every valid response counting once.

The option ``self_selected`` says whether the public web form's answers (网络自愿填答, the
column ``self_selected``) count:

- ``exclude`` (the default, and the programme's reading [I]): they do not. The evaluation
  survey is a third party's random telephone sample, post-stratified (RULES-supervision.md
  §3.1, §3.3); an open web form that anyone may answer, as often as the challenge and the rate
  limit let them, is not a sample, and counting it would let a few people drag item 22 under
  80 分 and the district into veto 4. They stay in the ledger and the survey page shows them
  apart;
- ``include``: they count as any valid response, with the weight they carry (1: weighting a
  wave leaves them out).

No response, weighted or not, is no data (无数据). The weighted denominator is a SUM, and SQL's
SUM over no rows is NULL where the unweighted COUNT is 0: the engine reads both as no data
(``engine._indicator_result``), so nothing is special-cased there; what the weighted form
changes is that the denominator is no longer a count of responses (the gap text says
"加权有效样本"). A row with weight 0 (a cell the design could not weight, an invalid one) adds
0 to both parts; only such rows give Σ w = 0, again no data.

The option ``min_valid_sample`` (样本量下限) is the fewest counted responses that carry a
verdict (RULES-supervision.md §3.3 [I]: ``n = t²·p(1−p)/e²`` = 385 for ±5 points at 95 %;
there is no official minimum, so the figure is the spec's). ``n`` is the number of responses
the estimate rests on — the rows counted above (valid, not 网络自愿填答 unless included) that
answered the question, and under ``weighted`` only those with a weight above 0, which alone
move the estimate — never Σ w. Below it the engine shows the value for reference, status
无数据 with the reason, and veto 4 is not triggered (``engine.sample_short``). The same n is
asked of every scope: it is what gives the estimate its precision, whoever it describes, so a
街道 with its share of a district sample (a few dozen answers) has a reference value only.
Without the option every n carries a verdict (a test spec's ``min_valid_sample: 1``).
"""

from __future__ import annotations

from typing import Any

from ..context import Measure, MetricContext
from ..registry import Fraction, metric

ESTIMATES = ("weighted", "unweighted")
SELF_SELECTED = ("exclude", "include")


def _estimate(options: dict[str, Any]) -> str:
    estimate = options.get("estimate", "weighted")
    if estimate not in ESTIMATES:
        raise ValueError(f"estimate must be one of {ESTIMATES}, not {estimate!r}")
    return str(estimate)


def _min_sample(options: dict[str, Any]) -> int | None:
    minimum = options.get("min_valid_sample")
    if minimum is None:
        return None
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ValueError(f"min_valid_sample must be a whole number ≥ 1, not {minimum!r}")
    return minimum


def _sample(s: Any, rows: Any, estimate: str) -> Measure:
    """n: the responses the estimate rests on (a weighted estimate: those weighing above 0)."""
    return Measure(s, where=rows if estimate == "unweighted" else rows & (s.weight > 0))


def _counted(s: Any, options: dict[str, Any]) -> Any:
    """The responses that count: valid ones (``valid``: a respondent not 常住 6 months is not),
    and, unless ``self_selected: include``, only those of the sample (not 网络自愿填答)."""
    self_selected = options.get("self_selected", "exclude")
    if self_selected not in SELF_SELECTED:
        raise ValueError(f"self_selected must be one of {SELF_SELECTED}, not {self_selected!r}")
    return s.valid if self_selected == "include" else s.valid & ~s.self_selected


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
    subtree with a score, without the public web form's (网络自愿填答) unless
    ``self_selected: include`` (module docstring). ``estimate: weighted`` (RULES-supervision.md §3.3 [I], the design's
    post-stratification weights): numerator Σ weight × score, denominator Σ weight.
    ``estimate: unweighted``: numerator Σ score, denominator the number of rows.
    ``min_valid_sample``: fewer such rows than this → no verdict (module docstring).
    """
    s = ctx.relation("survey")
    scored = ctx.in_period(s.responded_on) & s.satisfaction_score.notnull() & _counted(s, options)
    estimate, minimum = _estimate(options), _min_sample(options)
    sample = _sample(s, scored, estimate)
    if estimate == "unweighted":
        return Fraction(
            Measure(s, "sum", scored, "satisfaction_score"),
            Measure(s, where=scored),
            sample=sample,
            min_sample=minimum,
        )
    w = ctx.extend(s, weighted_score=s.weight * s.satisfaction_score)
    return Fraction(
        Measure(w, "sum", scored, "weighted_score"),
        Measure(s, "sum", scored, "weight"),
        sample=sample,
        min_sample=minimum,
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
    answered the awareness question, without the public web form's (网络自愿填答) unless
    ``self_selected: include``. ``estimate: weighted`` (RULES-supervision.md §3.3 [I]):
    Σ weight of the aware ÷ Σ weight (weighted respondents); ``unweighted``: aware ÷ rows.
    ``min_valid_sample``: fewer such rows than this → no verdict (module docstring).
    """
    s = ctx.relation("survey")
    answered = ctx.in_period(s.responded_on) & s.aware_of_programme.notnull() & _counted(s, options)
    aware = answered & s.aware_of_programme
    estimate, minimum = _estimate(options), _min_sample(options)
    sample = _sample(s, answered, estimate)
    if estimate == "unweighted":
        return Fraction(
            Measure(s, where=aware), Measure(s, where=answered), sample=sample, min_sample=minimum
        )
    return Fraction(
        Measure(s, "sum", aware, "weight"),
        Measure(s, "sum", answered, "weight"),
        sample=sample,
        min_sample=minimum,
    )
