"""Complaints and reports, enforcement cases and food-safety incidents."""

from __future__ import annotations

from datetime import date

import numpy as np

from foodsafe.complaints.models import Complaint
from foodsafe.complaints.services import MEDIATION_WORKING_DAYS
from foodsafe.enforcement.models import Case
from foodsafe.incidents.models import Incident
from foodsafe.registry.models import FoodBusiness

from . import ratios as R
from .businesses import Businesses
from .capacity import person_names
from .geography import Geography
from .tables import DAY, Picker, Table, day, pick_from, shares, uniform_days
from .workdays import WorkingDays

NAT = np.datetime64("NaT")
FOOD_SUMMARIES = [
    "购买的预包装食品超过保质期",
    "就餐后出现腹泻、呕吐等不适症状",
    "食品中发现异物",
    "外卖餐品有异味，疑似变质",
    "食品标签标识不规范",
    "经营者无证经营食品",
    "后厨卫生条件差",
    "散装食品未标明生产日期",
]
OTHER_SUMMARIES = ["商品价格标示不清", "虚假宣传", "计量不准", "售后服务纠纷"]
INCIDENT_TEXT = {
    "poisoning": "聚餐后多人出现食物中毒症状，经流行病学调查确认",
    "campus": "学校食堂供餐后部分学生出现胃肠道不适",
    "residue": "抽检发现农药残留超标，涉事产品已下架召回",
    "illegal_additive": "查获非法添加非食用物质的食品",
    "other": "食品安全舆情事件，经调查处置完毕",
}


def _leaf_year_counts(rng: np.random.Generator, geo: Geography, per_thousand: float, year: int):
    """Rows per subdistrict in proportion to its population, each with a day in ``year``."""
    pop = geo.leaf_population(max(year, min(R.YEARS)))
    counts = rng.poisson(per_thousand * pop / 1000)
    leaf = np.repeat(np.arange(len(pop)), counts)
    days = uniform_days(rng, np.full(len(leaf), day(date(year, 1, 1))),
                        np.full(len(leaf), day(date(year, 12, 31))))  # fmt: skip
    return leaf, days


def _business_in_leaf(rng: np.random.Generator, biz: Businesses, leaf: np.ndarray, year: int):
    """An operating business in the same subdistrict for each row (−1 if none)."""
    active, _, _ = biz.active_in(date(year, 1, 1), date(year, 12, 31))
    rows = np.flatnonzero(active)
    return Picker(biz.leaf[rows], rows).pick(rng, leaf)


def generate_complaints(
    rng: np.random.Generator, geo: Geography, biz: Businesses, wd: WorkingDays
) -> Table:
    leaves, received, businesses, years = [], [], [], []
    for year in R.YEARS:
        leaf, days = _leaf_year_counts(rng, geo, R.COMPLAINTS_PER_THOUSAND, year)
        leaves.append(leaf)
        received.append(days)
        businesses.append(_business_in_leaf(rng, biz, leaf, year))
        years.append(np.full(len(leaf), year))
    leaf = np.concatenate(leaves)
    received_on = np.concatenate(received)
    order = np.argsort(received_on, kind="stable")
    leaf, received_on = leaf[order], received_on[order]
    business = np.concatenate(businesses)[order]
    row_year = np.concatenate(years)[order]
    n = len(leaf)
    is_food = rng.random(n) < R.FOOD_COMPLAINT_SHARE
    names_business = is_food & (rng.random(n) < R.COMPLAINT_NAMES_BUSINESS_SHARE)
    business = np.where(names_business, business, -1)
    kind = np.where(rng.random(n) < R.REPORT_SHARE, "report", "complaint")

    late = rng.random(n) < R.LATE_DECISION_SHARE
    decide_in = np.where(late, rng.integers(8, 13, n), rng.integers(1, 8, n))
    decided_on = wd.add(received_on, decide_in)
    refused = rng.random(n) < R.REFUSED_SHARE
    suspended = np.where(~refused & (rng.random(n) < R.SUSPENDED_SHARE), rng.integers(3, 21, n), 0)
    late_close = rng.random(n) < R.LATE_CLOSING_SHARE
    close_in = np.where(
        late_close,
        rng.integers(46, 61, n) + suspended,
        rng.integers(3, MEDIATION_WORKING_DAYS + 1, n)
        + (suspended * rng.random(n)).astype(np.int64),
    )
    closed_on = np.where(refused, decided_on, wd.add(decided_on, close_in))
    snapshot = day(R.SNAPSHOT)
    pending = decided_on > snapshot
    decision = np.where(pending, "pending", np.where(refused, "refused", "accepted"))
    decided_on = np.where(pending, NAT, decided_on)
    closed_on = np.where(pending | (closed_on > snapshot), NAT, closed_on)
    suspended = np.where(decision == "accepted", suspended, 0)
    accepted = decision == "accepted"
    acceptance_due, closing_due = wd.complaint_deadlines(
        received_on, accepted, np.where(accepted, decided_on, received_on), suspended
    )
    anonymous = rng.random(n) < 0.15
    names = person_names(rng, n)
    phones = rng.integers(0, 100_000_000, n)
    summaries = np.where(
        is_food, pick_from(rng, FOOD_SUMMARIES, n), pick_from(rng, OTHER_SUMMARIES, n)
    )
    d6 = [geo.leaf_code[lf][:6] for lf in leaf.tolist()]
    return Table(
        Complaint,
        {
            "id": np.arange(n),
            "complaint_number": [
                f"TS{y}{c}{i + 1:07d}"
                for i, (y, c) in enumerate(zip(row_year.tolist(), d6, strict=True))
            ],
            "kind": kind.tolist(),
            "is_food": is_food,
            "org_unit_code": [geo.leaf_code[lf] for lf in leaf.tolist()],
            "business_id": business,
            "complainant_name": [
                "" if a else s for a, s in zip(anonymous.tolist(), names, strict=True)
            ],
            # "100…" is no Chinese mobile or landline number: synthetic numbers reach nobody.
            "complainant_phone": [
                "" if a else f"100{p:08d}"
                for a, p in zip(anonymous.tolist(), phones.tolist(), strict=True)
            ],
            "summary": summaries.tolist(),
            "received_on": received_on,
            "decision": decision.tolist(),
            "decided_on": decided_on,
            "suspended_working_days": suspended,
            "closed_on": closed_on,
            "acceptance_due_on": acceptance_due,
            "closing_due_on": closing_due,
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def generate_cases(rng: np.random.Generator, geo: Geography, biz: Businesses) -> Table:
    parts = []
    for year in R.YEARS:
        leaf, days = _leaf_year_counts(rng, geo, R.CASE_LEADS_PER_THOUSAND, year)
        parts.append(
            (leaf, days, _business_in_leaf(rng, biz, leaf, year), np.full(len(leaf), year))
        )
    leaf, lead_on, business, row_year = (np.concatenate([p[i] for p in parts]) for i in range(4))
    n = len(leaf)
    business = np.where(rng.random(n) < 0.9, business, -1)
    should = rng.random(n) < R.SHOULD_FILE_SHARE
    snapshot = day(R.SNAPSHOT)
    filed_on = lead_on + rng.integers(1, 21, n) * DAY
    filed = should & (rng.random(n) < R.FILED_SHARE) & (filed_on <= snapshot)
    late = rng.random(n) < R.LATE_CASE_SHARE
    closed_on = filed_on + np.where(late, rng.integers(91, 181, n), rng.integers(15, 91, n)) * DAY
    closed = filed & (closed_on <= snapshot)
    penalty = np.where(closed, np.round(rng.lognormal(np.log(5000), 1.2, n), 2), 0.0)
    d6 = [geo.leaf_code[lf][:6] for lf in leaf.tolist()]
    return Table(
        Case,
        {
            "id": np.arange(n),
            "case_number": [
                f"AJ{y}{c}{i + 1:06d}"
                for i, (y, c) in enumerate(zip(row_year.tolist(), d6, strict=True))
            ],
            "org_unit_code": [geo.leaf_code[lf] for lf in leaf.tolist()],
            "business_id": business,
            "lead_received_on": lead_on,
            "should_file": should,
            "filed_on": np.where(filed, filed_on, NAT),
            "closed_on": np.where(closed, closed_on, NAT),
            "penalty_amount": penalty,
            "individual_penalty": closed & (rng.random(n) < R.INDIVIDUAL_PENALTY_SHARE),
            "criminal_referral": filed & (rng.random(n) < R.CRIMINAL_REFERRAL_SHARE),
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def generate_incidents(rng: np.random.Generator, geo: Geography) -> Table:
    leaves, days, years = [], [], []
    for year in R.INCIDENT_YEARS:
        leaf, d = _leaf_year_counts(rng, geo, R.INCIDENTS_PER_THOUSAND, year)
        leaves.append(leaf)
        days.append(d)
        years.append(np.full(len(leaf), year))
    leaf, occurred, row_year = np.concatenate(leaves), np.concatenate(days), np.concatenate(years)
    n = len(leaf)
    severities, p_sev = shares(R.SEVERITY_SHARES)
    kinds, p_kind = shares(R.INCIDENT_KIND_SHARES)
    kind = pick_from(rng, kinds, n, p_kind)
    d6 = [geo.leaf_code[lf][:6] for lf in leaf.tolist()]
    return Table(
        Incident,
        {
            "id": np.arange(n),
            "incident_number": [
                f"SJ{y}{c}{i + 1:05d}"
                for i, (y, c) in enumerate(zip(row_year.tolist(), d6, strict=True))
            ],
            "org_unit_code": [geo.leaf_code[lf] for lf in leaf.tolist()],
            "occurred_on": occurred,
            "severity": list(pick_from(rng, severities, n, p_sev)),
            "kind": list(kind),
            "serious_social_impact": rng.random(n) < R.SERIOUS_IMPACT_SHARE,
            "description": [INCIDENT_TEXT[k] for k in kind],
        },
    )
