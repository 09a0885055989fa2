"""Features of an operator at a date (排序特征), from what a planner knows on that date.

``snapshot(history, as_of=d)`` keeps only records dated strictly before ``d``: inspections done,
grades decided, complaints received and failed sampling reported before ``d``. Nothing on or
after ``d`` can change it; a test plants a future inspection to check that. ``vector`` turns a
snapshot into the numbers the model reads (``FEATURES`` names them, in order) and ``reason``
puts one feature of a snapshot into Chinese words for the ranked list.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from foodsafe.inspections.models import InspectionResult
from foodsafe.registry.models import BusinessFormat, RiskLevel

from .history import SERIOUS_RESULTS, OperatorHistory, PastInspection
from .name_words import name_words_spec

#: How far back "recent" looks: results and findings of the last three years, complaints and
#: inspections of the last year, failed sampling of the last two.
RESULTS_SPAN = timedelta(days=3 * 365)
COMPLAINTS_SPAN = timedelta(days=365)
SAMPLING_SPAN = timedelta(days=2 * 365)
#: Days since the last inspection are capped (and an operator never inspected counts as this).
MAX_DAYS = 3 * 365
#: A missing score reads as the mean of the SF legend's "Adequate" band's low end, so that
#: ``last_bad`` carries the result; see docs/inspection-order.md.
MISSING_SCORE = 90.0

#: Format groups (业态) the model tells apart; the rest is "other".
FORMAT_GROUPS: dict[str, tuple[str, ...]] = {
    "restaurant": (BusinessFormat.RESTAURANT,),
    "small_eatery": (BusinessFormat.SMALL_EATERY, BusinessFormat.FOOD_STALL),
    "canteen": (
        BusinessFormat.SCHOOL_CANTEEN,
        BusinessFormat.WORKPLACE_CANTEEN,
        BusinessFormat.CENTRAL_KITCHEN,
        BusinessFormat.GROUP_MEAL_DISTRIBUTOR,
    ),
    "sales": (
        BusinessFormat.SUPERMARKET,
        BusinessFormat.GROCERY,
        BusinessFormat.CHAIN_HQ,
        BusinessFormat.LARGE_WHOLESALER,
        BusinessFormat.WHOLESALE_MARKET,
        BusinessFormat.PRODUCE_MARKET,
    ),
    "production": (BusinessFormat.MANUFACTURER, BusinessFormat.SMALL_WORKSHOP),
}
_GROUP_OF = {fmt: group for group, fmts in FORMAT_GROUPS.items() for fmt in fmts}
GRADES = tuple(RiskLevel.values)  # A–D


@dataclass(frozen=True)
class Snapshot:
    """What is known about one operator at ``as_of`` (records strictly before it)."""

    history: OperatorHistory
    as_of: date
    last: PastInspection | None
    previous: PastInspection | None
    recent: tuple[PastInspection, ...]  # the last three years
    inspections_1y: int
    complaints_1y: int
    failed_sampling_2y: int
    grade: str  # "" when none decided before as_of

    @property
    def days_since_last(self) -> int:
        if self.last is None:
            return MAX_DAYS
        return min((self.as_of - self.last.on).days, MAX_DAYS)

    @property
    def format_group(self) -> str:
        return _GROUP_OF.get(self.history.business_format, "other")

    @property
    def age_years(self) -> float | None:
        opened = self.history.opened_on
        if opened is None or opened >= self.as_of:
            return None
        return (self.as_of - opened).days / 365.25


def snapshot(history: OperatorHistory, *, as_of: date) -> Snapshot:
    """The operator as a planner sees it on ``as_of``: only records dated before ``as_of``."""
    past = [i for i in history.inspections if i.on < as_of]
    past.sort(key=lambda i: i.on)
    grades = [g for g in history.grades if g[0] < as_of]
    return Snapshot(
        history=history,
        as_of=as_of,
        last=past[-1] if past else None,
        previous=past[-2] if len(past) > 1 else None,
        recent=tuple(i for i in past if i.on >= as_of - RESULTS_SPAN),
        inspections_1y=sum(1 for i in past if i.on >= as_of - timedelta(days=365)),
        complaints_1y=sum(1 for d in history.complaints if as_of - COMPLAINTS_SPAN <= d < as_of),
        failed_sampling_2y=sum(
            1 for d in history.failed_sampling if as_of - SAMPLING_SPAN <= d < as_of
        ),
        grade=max(grades)[1] if grades else "",
    )


def _score(i: PastInspection | None) -> float:
    return MISSING_SCORE if i is None or i.score is None else float(i.score)


def _mean_score(s: Snapshot) -> float:
    scored = [i.score for i in s.recent if i.score is not None]
    return sum(scored) / len(scored) if scored else _score(s.last)


def _bad_share(s: Snapshot) -> float:
    return sum(i.bad for i in s.recent) / len(s.recent) if s.recent else 0.0


def _gap(s: Snapshot) -> float:
    if s.last is None or s.previous is None:
        return 0.0
    return math.log1p(min((s.last.on - s.previous.on).days, MAX_DAYS))


def _age(s: Snapshot) -> float:
    age = s.age_years
    return 0.0 if age is None else min(age, 20.0)


_Fn = Callable[[Snapshot], float]


def _is_grade(grade: str) -> _Fn:
    return lambda s: float(s.grade == grade)


def _is_format(group: str) -> _Fn:
    return lambda s: float(s.format_group == group)


#: The model's inputs, in order: (name, value). Booleans are 0/1.
FEATURES: tuple[tuple[str, _Fn], ...] = (
    ("no_history", lambda s: float(s.last is None)),
    ("last_bad", lambda s: float(s.last is not None and s.last.bad)),
    ("last_serious", lambda s: float(s.last is not None and s.last.result in SERIOUS_RESULTS)),
    ("last_score", lambda s: _score(s.last)),
    ("mean_score", _mean_score),
    ("bad_share", _bad_share),
    ("high_last", lambda s: float(s.last.high if s.last else 0)),
    ("moderate_last", lambda s: float(s.last.moderate if s.last else 0)),
    ("low_last", lambda s: float(s.last.low if s.last else 0)),
    ("high_recent", lambda s: float(sum(i.high for i in s.recent))),
    ("findings_recent", lambda s: float(sum(i.findings for i in s.recent))),
    ("days_since_last", lambda s: math.log1p(s.days_since_last)),
    ("gap_last_two", _gap),
    ("inspections_1y", lambda s: float(s.inspections_1y)),
    ("complaints_1y", lambda s: float(s.complaints_1y)),
    ("failed_sampling_2y", lambda s: float(s.failed_sampling_2y)),
    *((f"grade_{g}", _is_grade(g)) for g in GRADES),
    ("grade_none", lambda s: float(s.grade == "")),
    *((f"format_{g}", _is_format(g)) for g in (*FORMAT_GROUPS, "other")),
    ("age_years", _age),
    ("age_unknown", lambda s: float(s.age_years is None)),
    ("new_business", lambda s: float(s.age_years is not None and s.age_years < 1)),
)
#: The inputs above; the model standardises them (the name words after them are 0/1, kept as is).
FEATURE_NAMES = tuple(name for name, _fn in FEATURES)
NAME_WORD_PREFIX = "name_"


def feature_names() -> tuple[str, ...]:
    """Every input of the model in order: ``FEATURE_NAMES``, then one "name_<word>" per word of
    the name-word list in force (``name_words.yaml``)."""
    return FEATURE_NAMES + tuple(NAME_WORD_PREFIX + w for w in name_words_spec().words)


def vector(s: Snapshot) -> list[float]:
    """The snapshot's feature values in ``feature_names()`` order. The name is the only record
    without a date: it is the operator's name as the registry (or SF's file) holds it."""
    return [fn(s) for _name, fn in FEATURES] + name_words_spec().present(s.history.name)


def operator_features(history: OperatorHistory, *, as_of: date) -> dict[str, float]:
    """Feature name → value for ``history`` on ``as_of`` (records before ``as_of`` only)."""
    return dict(zip(feature_names(), vector(snapshot(history, as_of=as_of)), strict=True))


def _result_label(result: str) -> str:
    return str(InspectionResult(result).label) if result in InspectionResult.values else result


def _format_label(fmt: str) -> str:
    return str(BusinessFormat(fmt).label) if fmt in BusinessFormat.values else fmt


def reason(s: Snapshot, feature: str) -> str | None:
    """One feature of ``s`` in Chinese words (e.g. "上次检查结果：不符合（2021-03-04）"), or None
    when the feature says nothing worth showing (e.g. the operator's own group's zero)."""
    last = s.last
    if feature == "no_history":
        return _("此前无检查记录") if last is None else None
    if last is None and feature in {
        "last_bad",
        "last_serious",
        "last_score",
        "mean_score",
        "bad_share",
        "high_last",
        "moderate_last",
        "low_last",
        "high_recent",
        "findings_recent",
        "gap_last_two",
        "inspections_1y",
    }:
        return None
    if feature in {"last_bad", "last_serious"} and last is not None:
        return _("上次检查结果：%(result)s（%(date)s）") % {
            "result": _result_label(last.result),
            "date": last.on.isoformat(),
        }
    if feature == "last_score" and last is not None:
        if last.score is None:
            return None
        return _("上次检查得分 %(score)d 分") % {"score": last.score}
    if feature == "mean_score":
        return _("近三年检查平均得分 %(score).0f 分") % {"score": _mean_score(s)}
    if feature == "bad_share":
        return _("近三年 %(n)d 次检查中 %(k)d 次发现问题") % {
            "n": len(s.recent),
            "k": sum(i.bad for i in s.recent),
        }
    if feature == "high_last" and last is not None:
        return _("上次检查发现高风险问题 %(n)d 项") % {"n": last.high}
    if feature == "moderate_last" and last is not None:
        return _("上次检查发现中风险问题 %(n)d 项") % {"n": last.moderate}
    if feature == "low_last" and last is not None:
        return _("上次检查发现低风险问题 %(n)d 项") % {"n": last.low}
    if feature == "high_recent":
        return _("近三年发现高风险问题 %(n)d 项") % {"n": sum(i.high for i in s.recent)}
    if feature == "findings_recent":
        return _("近三年发现问题 %(n)d 项") % {"n": sum(i.findings for i in s.recent)}
    if feature == "days_since_last":
        if last is None:
            return _("从未检查")
        return _("距上次检查 %(days)d 天") % {"days": (s.as_of - last.on).days}
    if feature == "gap_last_two":
        if s.previous is None or last is None:
            return None
        return _("最近两次检查相隔 %(days)d 天") % {"days": (last.on - s.previous.on).days}
    if feature == "inspections_1y":
        return _("近一年检查 %(n)d 次") % {"n": s.inspections_1y}
    if feature == "complaints_1y":
        return _("近一年被投诉举报 %(n)d 件") % {"n": s.complaints_1y}
    if feature == "failed_sampling_2y":
        return _("近两年抽检不合格 %(n)d 批次") % {"n": s.failed_sampling_2y}
    if feature.startswith("grade_"):
        if feature == "grade_none":
            return _("尚无风险等级") if s.grade == "" else None
        return (
            _("风险等级 %(grade)s") % {"grade": s.grade} if feature == f"grade_{s.grade}" else None
        )
    if feature.startswith("format_"):
        if feature != f"format_{s.format_group}":
            return None
        return _("业态：%(format)s") % {"format": _format_label(s.history.business_format)}
    if feature in {"age_years", "new_business"}:
        age = s.age_years
        if age is None:
            return None
        if age < 1:
            return _("开业不足一年")
        return _("开业 %(years)d 年") % {"years": int(age)}
    if feature == "age_unknown":
        return _("开业日期不详") if s.age_years is None else None
    if feature.startswith(NAME_WORD_PREFIX):
        word = feature.removeprefix(NAME_WORD_PREFIX)
        if not name_words_spec().present(s.history.name)[name_words_spec().words.index(word)]:
            return None
        return _("名称含“%(word)s”") % {"word": word}
    return None
