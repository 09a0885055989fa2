"""Scores and grades from the grading spec: pure functions, no database.

- static score (静态风险因素量化分值): a table's factors looked up in their bands or options;
- dynamic score (动态风险因素量化分值): the points of the checklist items answered 不符合, capped
  at the scheme's ``dynamic_max``; the inspection result (符合/基本符合/不符合) by the result rule;
- grade (风险等级): the total looked up in the A–D bands; ``shift`` moves a grade up or down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .spec import GRADES, Checklist, GradingSpec, StaticItem, StaticTable

#: Checklist answers (符合 / 不符合 / 不适用).
YES, NO, NOT_APPLICABLE = "yes", "no", "na"
ANSWERS = (YES, NO, NOT_APPLICABLE)
#: Inspection results, as ``inspections.InspectionResult`` stores them.
COMPLIANT, RECTIFY, NONCOMPLIANT = "compliant", "rectify", "noncompliant"


class FactorError(ValueError):
    """A static factor value that cannot be scored; names the factor."""


@dataclass(frozen=True)
class FactorScore:
    code: str
    name: str
    value: Any
    points: Decimal


@dataclass(frozen=True)
class StaticScore:
    """``points``: the table's total (capped at its ``max_points``); ``factors``: each item."""

    table: str
    points: Decimal
    factors: tuple[FactorScore, ...] = ()
    tier: str = ""
    #: ``as_inputs()`` of a score cached on the static record (``StaticFactors.score_inputs``)
    cached_inputs: dict[str, Any] | None = None

    def as_inputs(self) -> dict[str, Any]:
        if self.cached_inputs is not None:
            return self.cached_inputs
        return {
            "table": self.table,
            "tier": self.tier,
            "points": str(self.points),
            # code → [value, points] of the factors given (a missing one scores 0): compact,
            # as every grading of a city stores it; the page names them from the spec.
            "factors": {
                f.code: [f.value, str(f.points)]
                for f in self.factors
                if f.value is not None and f.value != "" and f.value != []
            },
        }


def _number(item: StaticItem, value: Any) -> Decimal:
    if type(value) is int and value >= 0:  # the common case, exact already
        return Decimal(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise FactorError(f"{item.name}（{item.code}）应为数字，实际为 {value!r}") from None
    if number < 0 or not number.is_finite():
        raise FactorError(f"{item.name}（{item.code}）不能为负数：{value!r}")
    if item.integer:  # 单品数 are counted as integers, rounded half up (RISK16-TBL notes)
        number = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return number


_BANDS: dict[int, tuple[StaticItem, list[tuple[Decimal | None, Decimal]]]] = {}


def _bands(item: StaticItem) -> list[tuple[Decimal | None, Decimal]]:
    """``item``'s bands as plain tuples (a city's grading looks them up ~1 M times)."""
    cached = _BANDS.get(id(item))
    if cached is None or cached[0] is not item:
        cached = (item, [(b.max, b.points) for b in item.bands])
        _BANDS[id(item)] = cached
    return cached[1]


def factor_points(item: StaticItem, value: Any) -> Decimal:
    """The points of one static factor. A missing value scores 0 (缺项得 0 分, RISK16-TBL).

    ``bands``: the first band whose ``max`` is ≥ the value (upper bounds inclusive);
    ``choice``: the option's points, or with ``multiple`` the highest of the options given
    (就高不就低); ``flag``: ``points`` when true. Raises :class:`FactorError` on a bad value.
    """
    if value is None or value == "" or value == []:
        return Decimal(0)
    if item.kind == "bands":
        number = _number(item, value)
        for top, band_points in _bands(item):
            if top is None or number <= top:
                return band_points
        raise AssertionError("the spec guarantees an open last band")  # pragma: no cover
    if item.kind == "choice":
        chosen = value if isinstance(value, list) else [value]
        if len(chosen) > 1 and not item.multiple:
            raise FactorError(f"{item.name}（{item.code}）只能选一项")
        points = {o.code: o.points for o in item.options}
        unknown = [c for c in chosen if str(c) not in points]
        if unknown:
            raise FactorError(
                f"{item.name}（{item.code}）没有选项 {unknown[0]!r}，可选：{', '.join(points)}"
            )
        return max(points[str(c)] for c in chosen)
    if value in (True, "true", "1", 1, "是"):
        return item.points or Decimal(0)
    if value in (False, "false", "0", 0, "否"):
        return Decimal(0)
    raise FactorError(f"{item.name}（{item.code}）应为是/否，实际为 {value!r}")


def static_score(table: StaticTable, values: dict[str, Any]) -> StaticScore:
    """The static score of ``values`` (factor code → value) on ``table``.

    Raises :class:`FactorError` for a value that cannot be scored or a factor the table lacks.
    """
    unknown = sorted(set(values) - {item.code for item in table.items})
    if unknown:
        raise FactorError(f"{table.name} 没有因素 {unknown[0]!r}")
    factors = tuple(
        FactorScore(
            item.code, item.name, values.get(item.code), factor_points(item, values.get(item.code))
        )
        for item in table.items
    )
    total = min(sum((f.points for f in factors), Decimal(0)), table.max_points)
    return StaticScore(table=table.code, points=total, factors=factors)


def format_default_score(spec: GradingSpec, business_format: str) -> StaticScore:
    """The static score of an operator with no static-factor record: its registry format's
    tier (Ⅰ–Ⅳ) and that tier's points (``format_defaults``, [I]). An unlisted format takes the
    highest tier: an unknown business is not presumed low-risk."""
    cached = _FORMAT_DEFAULTS.get((id(spec), business_format))
    if cached is not None and cached[0] is spec:
        return cached[1]
    defaults = spec.format_defaults
    points: dict[str, Decimal] = {str(t): p for t, p in defaults.tier_points.items()}
    tier: str = defaults.formats.get(business_format) or max(points, key=lambda t: points[t])
    score = StaticScore(table="", points=points[tier], tier=tier)
    _FORMAT_DEFAULTS[(id(spec), business_format)] = (spec, score)
    return score


#: (spec, format) → its tier's score: a city's grading asks ~30,000 times for ~20 formats.
_FORMAT_DEFAULTS: dict[tuple[int, str], tuple[GradingSpec, StaticScore]] = {}


@dataclass(frozen=True)
class DynamicScore:
    """A checklist's dynamic score and the inspection result it gives.

    ``failed``: codes of the items answered 不符合; ``key_failed`` / ``general_failed``: how many
    of them are key items (重点项) and general items (一般项).
    """

    checklist: str
    points: Decimal
    result: str
    failed: tuple[str, ...] = ()
    key_failed: int = 0
    general_failed: int = 0
    answered: int = 0
    missing: tuple[str, ...] = field(default_factory=tuple)


def dynamic_score(spec: GradingSpec, checklist: Checklist, answers: dict[str, str]) -> DynamicScore:
    """Score ``answers`` (item code → ``yes``/``no``/``na``) on ``checklist``.

    A 不符合 adds the item's points (RULES-supervision.md §1.4 [I]: a higher score is a higher
    risk, not a deduction); the sum is capped at ``scale.dynamic_max``. The result follows
    ``result_rule`` (检查结果判定): nothing failed → 符合; ``noncompliant_key`` key items or
    ``noncompliant_general`` general items failed → 不符合; otherwise 基本符合.
    Unanswered items are listed in ``missing``; raises ``ValueError`` for an unknown item or
    answer.
    """
    codes = {item.code for item in checklist.items}
    for code, answer in answers.items():
        if code not in codes:
            raise ValueError(f"{checklist.name} 没有检查项 {code!r}")
        if answer not in ANSWERS:
            raise ValueError(f"检查项 {code} 的结论应为 符合/不符合/不适用，实际为 {answer!r}")
    failed = [item for item in checklist.items if answers.get(item.code) == NO]
    points = min(sum((i.points for i in failed), Decimal(0)), spec.scale.dynamic_max)
    key = sum(1 for i in failed if i.key)
    general = len(failed) - key
    rule = spec.result_rule
    if not failed:
        result = COMPLIANT
    elif key >= rule.noncompliant_key or general >= rule.noncompliant_general:
        result = NONCOMPLIANT
    else:
        result = RECTIFY
    return DynamicScore(
        checklist=checklist.code,
        points=points,
        result=result,
        failed=tuple(i.code for i in failed),
        key_failed=key,
        general_failed=general,
        answered=sum(1 for c in codes if c in answers),
        missing=tuple(i.code for i in checklist.items if i.code not in answers),
    )


def grade_for(spec: GradingSpec, total: Decimal) -> str:
    """The grade whose band holds ``total`` (upper bounds inclusive: 30 is A, 30.5 is B)."""
    for band in spec.bands.rows:
        if band.max is None or total <= band.max:
            return band.grade
    raise AssertionError("the spec guarantees an open last band")  # pragma: no cover


def shift(grade: str, steps: int) -> str:
    """``grade`` moved ``steps`` towards D (negative: towards A), held inside A–D."""
    index = min(max(GRADES.index(grade) + steps, 0), len(GRADES) - 1)
    return GRADES[index]
