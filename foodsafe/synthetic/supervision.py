"""Inspections (监督检查) and their findings."""

from __future__ import annotations

from datetime import date

import numpy as np

from foodsafe.inspections.models import Finding, Inspection
from foodsafe.registry.models import FoodBusiness

from . import ratios as R
from .businesses import FORMAT_INDEX, Businesses
from .geography import Geography
from .tables import DAY, Picker, Table, day, pick_from, shares, uniform_days

NAT = np.datetime64("NaT")
FINDINGS = [
    ("从业人员健康证明过期", "人员管理"),
    ("食品原料未索证索票", "进货查验"),
    ("餐饮具清洗消毒不到位", "加工过程"),
    ("冷藏设施温度不符合要求", "设施设备"),
    ("超过保质期的食品未及时清理", "食品贮存"),
    ("未按规定留样", "留样管理"),
    ("防鼠防蝇设施缺失", "设施设备"),
    ("进货查验记录不全", "进货查验"),
]


def generate_inspections(
    rng: np.random.Generator, geo: Geography, biz: Businesses, staff: Table, complaints: Table
) -> tuple[Table, Table]:
    n = len(biz.fmt)
    parts: list[tuple[np.ndarray, np.ndarray, str]] = []
    active = [biz.active_in(date(y, 1, 1), date(y, 12, 31)) for y in R.YEARS]
    a_year = rng.integers(0, len(R.YEARS), n)  # the year an A-level business is due
    freq = np.asarray([R.INSPECTIONS_PER_YEAR[k] for k in "ABCD"])[biz.risk]
    for yi, (act, lo, hi) in enumerate(active):
        other = active[1 - yi][0]
        frac = ((hi - lo).astype(np.int64) + 1) / 365.0
        expected = freq * np.clip(frac, 0, 1)
        count = np.floor(expected).astype(np.int64) + (rng.random(n) < expected % 1)
        a_due = (a_year == yi) | ~other
        count = np.where(biz.risk == 0, (act & a_due).astype(np.int64), count)
        count = np.where(act, count, 0)
        rows = np.repeat(np.arange(n), count)
        rows = rows[rng.random(len(rows)) < R.PLAN_DONE_SHARE]
        parts.append((rows, uniform_days(rng, lo[rows], hi[rows]), "routine"))
        for extra_kind, rate in (
            ("random", R.RANDOM_INSPECTION_RATE),
            ("special", R.SPECIAL_INSPECTION_RATE),
        ):
            rows = np.flatnonzero(act & (rng.random(n) < rate))
            parts.append((rows, uniform_days(rng, lo[rows], hi[rows]), extra_kind))
    canteens = np.flatnonzero(biz.fmt == FORMAT_INDEX["school_canteen"])
    for (_, _), (wlo, whi) in R.TERM_WINDOWS.items():
        act, lo, hi = biz.active_in(wlo, whi)
        rows = canteens[act[canteens] & (rng.random(len(canteens)) < R.TERM_START_COVERAGE)]
        parts.append((rows, uniform_days(rng, lo[rows], hi[rows]), "term_start"))
    cb = complaints.columns["business_id"]
    chosen = np.flatnonzero((cb >= 0) & (rng.random(len(cb)) < R.COMPLAINT_INSPECTION_SHARE))
    on = complaints.columns["received_on"][chosen] + rng.integers(1, 11, len(chosen)) * DAY
    ok = (on <= day(R.SNAPSHOT)) & (on <= biz.open_to[cb[chosen]])
    parts.append((cb[chosen][ok], on[ok], "complaint"))

    business = np.concatenate([p[0] for p in parts])
    inspected = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[2], dtype=object) for p in parts])
    results, p_res = shares(R.RESULT_SHARES)
    result = pick_from(rng, results, len(business), p_res)
    # Follow-ups (复查) of inspections that asked for rectification, 7–30 days later.
    needs = np.flatnonzero(
        np.isin(result, ["rectify", "noncompliant"]) & (rng.random(len(result)) < R.FOLLOW_UP_SHARE)
    )
    fu_on = inspected[needs] + rng.integers(7, 31, len(needs)) * DAY
    ok = (fu_on <= day(R.SNAPSHOT)) & (fu_on <= biz.open_to[business[needs]])
    business = np.r_[business, business[needs][ok]]
    inspected = np.r_[inspected, fu_on[ok]]
    kind = np.r_[kind, np.full(ok.sum(), "follow_up", dtype=object)]
    fu_result = np.where(rng.random(ok.sum()) < 0.9, "compliant", "rectify").astype(object)
    result = np.r_[result, fu_result]

    order = np.lexsort((business, inspected))
    business, inspected, kind, result = (
        business[order],
        inspected[order],
        kind[order],
        result[order],
    )
    m = len(business)
    full_p = np.asarray([R.FULL_CHECKLIST_SHARE[k] for k in kind])
    low = {"compliant": 85, "rectify": 60, "noncompliant": 30, "not_scored": 0}
    high = {"compliant": 101, "rectify": 85, "noncompliant": 60, "not_scored": 1}
    score = rng.integers([low[r] for r in result], [high[r] for r in result]).astype(float)
    score[result == "not_scored"] = np.nan
    district = biz.district[business]
    food_staff = np.flatnonzero(staff.columns["is_food_inspector"])
    district_of = {c[:6]: i for i, c in enumerate(geo.district_code)}
    staff_district = np.asarray([district_of[c[:6]] for c in staff.columns["org_unit_code"]])
    picker = Picker(staff_district[food_staff], food_staff)
    first, second = picker.pick(rng, district), picker.pick(rng, district)
    names = staff.columns["name"]
    inspectors = [
        "" if a < 0 else names[a] + ("" if b < 0 or b == a else "、" + names[b])
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    ]
    years = inspected.astype("datetime64[Y]").astype(int) + 1970
    d6 = [geo.district_code[d][:6] for d in district.tolist()]
    inspections = Table(
        Inspection,
        {
            "id": np.arange(m),
            "inspection_number": [
                f"JC{y}{c}{i + 1:08d}"
                for i, (y, c) in enumerate(zip(years.tolist(), d6, strict=True))
            ],
            "business_id": business,
            "inspected_on": inspected,
            "inspection_type": kind.tolist(),
            "full_checklist": rng.random(m) < full_p,
            "result": result.tolist(),
            "score": score,
            "inspectors": inspectors,
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )
    flagged = np.flatnonzero(np.isin(result, ["rectify", "noncompliant"]))
    k = 1 + rng.poisson(R.EXTRA_FINDINGS_MEAN, len(flagged))
    k = np.minimum(k, len(FINDINGS))
    insp = np.repeat(flagged, k)
    pos = np.arange(len(insp)) - np.repeat(np.cumsum(k) - k, k)
    which = (np.repeat(rng.integers(0, len(FINDINGS), len(flagged)), k) + pos) % len(FINDINGS)
    findings = Table(
        Finding,
        {
            "id": np.arange(len(insp)),
            "inspection_id": insp,
            "description": [FINDINGS[w][0] for w in which.tolist()],
            "risk_category": [FINDINGS[w][1] for w in which.tolist()],
        },
        fks={"inspection_id": Inspection._meta.db_table},
    )
    return inspections, findings
