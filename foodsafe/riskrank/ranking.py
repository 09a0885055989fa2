"""The risk-ranked order of operators (风险排序): who to inspect first.

``rank_operators`` reads the ledgers (``selectors``) and calls ``rank_histories``, the pure part
that the replay benchmark calls on San Francisco's records too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from .features import Snapshot, feature_names, reason, snapshot, vector
from .history import OperatorHistory
from .model import RiskModel, fit, training_set

METHOD_MODEL = "model"
METHOD_FALLBACK = "fallback"
#: How far back the model learns from, and the least history it needs: fewer inspections, or
#: fewer than MIN_EACH with and without a problem found, and the order falls back.
TRAINING_SPAN = timedelta(days=3 * 365)
MIN_EXAMPLES = 200
MIN_EACH = 20
#: Reasons shown per rank.
TOP_REASONS = 3
#: The fallback's grade order, riskiest first; an operator with no grade yet sits after C.
FALLBACK_GRADE_ORDER = {"D": 0, "C": 1, "": 2, "B": 3, "A": 4}
_FALLBACK_RESULT_ORDER = {"noncompliant": 0, "rectify": 1}


@dataclass(frozen=True)
class Ranked:
    """One operator's place in the order: ``rank`` 1 = inspect first; ``probability`` that an
    inspection finds a problem (None under the fallback); ``reasons`` its top reasons in words;
    ``method`` "model" or "fallback", ``method_note`` says which and why in words."""

    operator_id: int
    name: str
    rank: int
    probability: float | None
    reasons: tuple[str, ...]
    method: str
    method_note: str

    @property
    def business_id(self) -> int:
        """The operator's ``FoodBusiness`` id (the inspection plan's name for it)."""
        return self.operator_id


def fallback_key(s: Snapshot) -> tuple[int, int, int]:
    """Sort key of the fallback: grade (D, C, none, B, A), then the last inspection's result
    (不符合, then 限期整改, then the rest), then the longest time since the last inspection
    (never inspected first)."""
    result = _FALLBACK_RESULT_ORDER.get(s.last.result, 2) if s.last else 2
    return (FALLBACK_GRADE_ORDER.get(s.grade, 2), result, -s.days_since_last)


def _fallback_reasons(s: Snapshot) -> tuple[str, ...]:
    words = [reason(s, "grade_none" if s.grade == "" else f"grade_{s.grade}")]
    if s.last is not None and s.last.bad:
        words.append(reason(s, "last_bad"))
    words.append(reason(s, "days_since_last"))
    return tuple(w for w in words if w)


def _model_reasons(model: RiskModel, s: Snapshot, x: Sequence[float]) -> tuple[str, ...]:
    contrib = model.contributions(x)
    names = feature_names()
    words: list[str] = []
    for j in np.argsort(-contrib, kind="stable"):
        if contrib[j] <= 0 or len(words) == TOP_REASONS:
            break
        word = reason(s, names[j])
        if word and word not in words:
            words.append(word)
    return tuple(words) or (_("各项因素均不高于平均水平"),)


def rank_histories(
    to_rank: Sequence[OperatorHistory],
    training: Iterable[OperatorHistory],
    *,
    as_of: date,
    training_span: timedelta = TRAINING_SPAN,
    min_examples: int = MIN_EXAMPLES,
    min_each: int = MIN_EACH,
    method: str = METHOD_MODEL,
    c: float | None = None,
    outcome: frozenset[str] | None = None,
) -> list[Ranked]:
    """Order ``to_rank`` on ``as_of``, learning from the inspections of ``training`` done in
    ``[as_of - training_span, as_of)``: never from anything on or after ``as_of``.

    ``method="fallback"`` forces the fallback; otherwise the model is used when the training
    history has at least ``min_examples`` inspections and ``min_each`` with and without a
    problem found. ``outcome`` (results that count as a problem; default 限期整改 and 不符合)
    lets the benchmark learn 不符合 alone. Ties keep the order of ``to_rank``.
    """
    snaps = [snapshot(h, as_of=as_of) for h in to_rank]
    data = training_set(training, since=as_of - training_span, before=as_of, outcome=outcome)
    enough = data.size >= min_examples and min(data.bad, data.size - data.bad) >= min_each
    if method == METHOD_MODEL and enough:
        model = fit(data) if c is None else fit(data, c=c)
        X = np.asarray([vector(s) for s in snaps], dtype=float).reshape(
            len(snaps), len(feature_names())
        )
        p = model.probabilities(X)
        note = _(
            "逻辑回归模型（按本地区 %(since)s 至 %(until)s 的 %(n)d 次检查训练，其中 %(k)d 次发现问题）"
        ) % {
            "since": (as_of - training_span).isoformat(),
            "until": (as_of - timedelta(days=1)).isoformat(),
            "n": model.trained_on,
            "k": model.trained_bad,
        }
        order = sorted(range(len(snaps)), key=lambda i: -p[i])
        return [
            Ranked(
                operator_id=snaps[i].history.operator_id,
                name=snaps[i].history.name,
                rank=r,
                probability=float(p[i]),
                reasons=_model_reasons(model, snaps[i], X[i]),
                method=METHOD_MODEL,
                method_note=note,
            )
            for r, i in enumerate(order, start=1)
        ]
    if method == METHOD_MODEL:
        note = _(
            "历史检查记录不足（训练期内 %(n)d 次检查，其中 %(k)d 次发现问题；模型至少需要 "
            "%(min)d 次，发现问题与未发现问题各 %(each)d 次），改按风险等级、上次检查结果和"
            "距上次检查时间排序"
        ) % {"n": data.size, "k": data.bad, "min": min_examples, "each": min_each}
    else:
        note = _("按风险等级、上次检查结果和距上次检查时间排序")
    order = sorted(range(len(snaps)), key=lambda i: fallback_key(snaps[i]))
    return [
        Ranked(
            operator_id=snaps[i].history.operator_id,
            name=snaps[i].history.name,
            rank=r,
            probability=None,
            reasons=_fallback_reasons(snaps[i]),
            method=METHOD_FALLBACK,
            method_note=note,
        )
        for r, i in enumerate(order, start=1)
    ]


def rank_operators(
    *,
    as_of: date,
    operators: Iterable[Any] | None = None,
    org_unit: Any = None,
    business_ids: Iterable[int] | None = None,
    method: str = METHOD_MODEL,
) -> list[Ranked]:
    """The risk-ranked order on ``as_of`` of ``operators`` (``FoodBusiness`` rows or ids), or
    of every operator open on ``as_of`` under ``org_unit`` (an ``OrgUnit`` or its code);
    ``business_ids`` is another name for ``operators`` given as ids.

    The model learns from the inspections of the whole district (the county-level code prefix,
    the first six digits) of the operators ranked, done in the three years before ``as_of``.
    Issue 13 §4; RULES.md §2.2 (frequency by grade) is the plan's business, not this order's.
    """
    from foodsafe.orgunits.models import subtree_prefix

    from . import selectors

    if operators is None and business_ids is not None:
        operators = business_ids
    if operators is None and org_unit is None:
        raise ValueError("rank_operators needs operators or org_unit")
    if operators is not None:
        ids = [getattr(o, "pk", o) for o in operators]
        to_rank = selectors.operator_histories(operator_ids=ids, before=as_of)
    else:
        code = getattr(org_unit, "code", org_unit)
        to_rank = selectors.operator_histories(
            org_unit_prefix=subtree_prefix(code), before=as_of, open_on=as_of
        )
    districts = sorted({h.org_unit[:6] for h in to_rank})
    training = [
        h
        for d in districts
        for h in selectors.operator_histories(
            org_unit_prefix=d, before=as_of, since=as_of - TRAINING_SPAN - TRAINING_SPAN
        )
    ]
    return rank_histories(to_rank, training, as_of=as_of, method=method)
