"""The order of the operators due within a plan.

The risk ranking (``foodsafe.riskrank``, issue 13 points 4–5) gives the order and each
operator's reasons in words; it loads scikit-learn, so it is imported inside the function,
never at module level (start-up must not load it). Whenever the ranking cannot run, the order
is the baseline: grade (D first), then the longest time since the
last counted inspection (never inspected first), and the method says so.
"""

from __future__ import annotations

import logging
from datetime import date

from .due import Due, baseline_order_key

log = logging.getLogger(__name__)

BASELINE_METHOD = "按风险等级（D 级在前），再按距上次检查时间最长者在前（未接入风险排序模型）"


def order_due(dues: list[Due], *, on: date) -> tuple[list[Due], dict[int, str], str]:
    """``(ordered dues, business id → reasons in words, method in words)``.

    The baseline order (:func:`~foodsafe.inspectionplan.due.baseline_order_key`) gives no
    per-operator reason beyond its grade and last inspection, which the plan shows anyway.
    """
    ranked = _risk_ranked(dues, on=on)
    if ranked is not None:
        return ranked
    return sorted(dues, key=lambda d: baseline_order_key(d, on)), {}, BASELINE_METHOD


def _risk_ranked(dues: list[Due], *, on: date) -> tuple[list[Due], dict[int, str], str] | None:
    """The risk ranking's order (``foodsafe.riskrank.rank_operators``: trained on the
    district's inspections before ``on``, never on the plan's period) when it answers;
    ``None`` when it cannot run (the plan then uses the baseline and says so)."""
    if not dues:
        return None
    by_id = {d.facts.business_id: d for d in dues}
    try:
        # scikit-learn loads with it: imported here, when a plan is made, not at start-up
        from foodsafe.riskrank import rank_operators

        ranked = rank_operators(business_ids=list(by_id), as_of=on)
    except Exception:  # the plan must still be made; the method then says baseline
        log.exception("risk ranking failed; the plan uses the baseline order")
        return None
    order, reasons = [], {}
    method = ""
    for row in ranked:
        business_id = getattr(row, "business_id", None)
        if business_id not in by_id:
            continue
        order.append(by_id.pop(business_id))
        reasons[business_id] = "；".join(getattr(row, "reasons", ()) or ())
        # riskrank's method_note is the method in words ("逻辑回归模型（…）" or the fallback's)
        method = method or str(getattr(row, "method_note", "") or getattr(row, "method", ""))
    # anyone the ranking left out keeps the baseline order after the ranked ones
    order += sorted(by_id.values(), key=lambda d: baseline_order_key(d, on))
    return order, reasons, method or "风险排序"
