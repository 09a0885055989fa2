"""Inspections 2020–2021 with findings, and enforcement cases, of the example district."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .businesses import CHURNING, active_window, is_active_on, of_format
from .district import SUBDISTRICTS, YEAR, District, split

#: Inspections a year by risk level (2016 风险分级管理办法: A ≥1, B 1–2, C 2–3, D 3–4).
PER_YEAR = {"A": (1, 1), "B": (1, 2), "C": (2, 3), "D": (3, 4)}
#: Term-start inspection windows (开学检查): spring and autumn.
TERMS = ((2, 20, 3, 25), (8, 20, 9, 25))
#: Share of businesses open at 2021-12-31 without a full-checklist inspection in 2020–2021.
UNINSPECTED_SHARE = 0.03
FINDINGS = (
    ("从业人员健康证明过期", "人员管理"),
    ("未按规定留样", "过程控制"),
    ("食品原料未索证索票", "进货查验"),
    ("冷藏设施温度不符合要求", "设施设备"),
    ("餐饮具清洗消毒不到位", "过程控制"),
    ("防鼠防蝇设施不完善", "设施设备"),
    ("超过保质期的食品未及时清理", "贮存管理"),
    ("进货查验记录不完整", "进货查验"),
    ("食品添加剂未专人专柜管理", "添加剂管理"),
    ("生熟食品未分开存放", "贮存管理"),
    ("未公示食品经营许可证", "信息公示"),
    ("食品安全自查记录缺失", "自查管理"),
)


def inspections(district: District) -> None:
    """Routine, random, special and complaint inspections; term-start checks of canteens.

    Gaps: about 3% of the businesses open on 2021-12-31 had no full-checklist inspection in the
    24 months before (two in five of them in the weak subdistrict), and one canteen of the weak
    subdistrict missed its autumn 2021 term-start check.
    """
    rng = district.rng
    start, end = date(YEAR - 1, 1, 1), date(YEAR, 12, 31)
    uninspected = _uninspected(district)
    district.facts["uninspected"] = sorted(uninspected)
    planned: list[dict[str, Any]] = []
    for business in district.businesses.values():
        window = active_window(business, start, end)
        if window is None:
            continue
        number = business["registry_number"]
        if number in uninspected:
            if rng.random() < 0.3:  # seen only for a complaint, not a full inspection
                planned.append(
                    _inspection(district, business, district.day_in(*window), "complaint")
                )
            continue
        visits = []
        for year in (YEAR - 1, YEAR):
            part = active_window(business, date(year, 1, 1), date(year, 12, 31))
            if part is None:
                continue
            low, high = PER_YEAR[business["risk_level"] or "B"]
            for _ in range(rng.randint(low, high)):
                kind = district.weighted(
                    ("routine", "random", "special", "complaint"), (0.70, 0.15, 0.10, 0.05)
                )
                visits.append(_inspection(district, business, district.day_in(*part), kind))
        if not any(v["full_checklist"] for v in visits):
            visits[0].update(inspection_type="routine", full_checklist=True)
        planned.extend(visits)
    planned.extend(_term_start(district))
    planned.sort(key=lambda r: (r["inspected_on"], r["business"], r["inspection_type"]))
    counters: dict[int, int] = {}
    for row in planned:
        year = row["inspected_on"].year
        counters[year] = counters.get(year, 0) + 1
        row["inspection_number"] = f"JC{year}{counters[year]:06d}"
        findings = row.pop("_findings")
        district.add("inspections", row)
        for description, category in findings:
            district.add(
                "findings",
                {
                    "inspection": row["inspection_number"],
                    "description": description,
                    "risk_category": category,
                },
            )


def _uninspected(district: District) -> set[str]:
    """Pick the businesses left without a full inspection: common formats, weak unit first."""
    end = date(YEAR, 12, 31)
    active = [b for b in district.businesses.values() if is_active_on(b, end)]
    total = round(UNINSPECTED_SHARE * len(active))
    candidates = [b for b in active if b["business_format"] in (*CHURNING, "workplace_canteen")]
    weak = [b for b in candidates if b["org_unit"] == SUBDISTRICTS[-1].code]
    other = [b for b in candidates if b["org_unit"] != SUBDISTRICTS[-1].code]
    in_weak = min(len(weak), round(total * 0.4))
    chosen = district.rng.sample(weak, in_weak) + district.rng.sample(other, total - in_weak)
    return {b["registry_number"] for b in chosen}


def _inspection(
    district: District, business: dict[str, Any], day: date, kind: str
) -> dict[str, Any]:
    rng = district.rng
    result = district.weighted(
        ("compliant", "rectify", "noncompliant", "not_scored"), (0.74, 0.21, 0.03, 0.02)
    )
    score = {
        "compliant": rng.randint(85, 100),
        "rectify": rng.randint(60, 84),
        "noncompliant": rng.randint(35, 59),
        "not_scored": None,
    }[result]
    found = {"compliant": 0, "rectify": rng.randint(1, 3), "noncompliant": rng.randint(2, 4)}.get(
        result, 0
    )
    return {
        "inspection_number": "",
        "business": business["registry_number"],
        "inspected_on": day,
        "inspection_type": kind,
        "full_checklist": kind in ("routine", "random", "term_start"),
        "result": result,
        "score": score,
        "inspectors": "、".join(rng.sample(district.staff_names, 2)),
        "_findings": rng.sample(FINDINGS, found),
    }


def _term_start(district: District) -> list[dict[str, Any]]:
    """Every canteen in every term window of 2020–2021, except one missed in autumn 2021."""
    canteens = of_format(district, "school_canteen")
    weak = [b for b in canteens if b["org_unit"] == SUBDISTRICTS[-1].code]
    without_bright = set(district.facts.get("canteens_without_bright_kitchen", ()))
    missed = next((b for b in weak if b["registry_number"] not in without_bright), weak[-1])
    district.facts["missed_autumn_term_start"] = missed["registry_number"]
    rows = []
    for year in (YEAR - 1, YEAR):
        for m1, d1, m2, d2 in TERMS:
            for business in canteens:
                if business is missed and year == YEAR and m1 == 8:
                    # Checked late, as a routine visit after the window closed.
                    rows.append(_inspection(district, business, date(YEAR, 10, 19), "routine"))
                    continue
                day = district.day_in(date(year, m1, d1), date(year, m2, d2))
                rows.append(_inspection(district, business, day, "term_start"))
    return rows


def cases(district: District, population: int) -> None:
    """Food-safety leads and cases 2020–2021; every lead that should be filed is filed and,
    for 2021, closed by 2021-12-31 (立案率 and 办结率 100%)."""
    rng = district.rng
    suspects = [
        b
        for b in district.businesses.values()
        if b["business_format"]
        in (
            "grocery",
            "restaurant",
            "small_eatery",
            "supermarket",
            "food_stall",
            "small_workshop",
            "produce_market",
        )
    ]
    per_unit_weights = [s.share * (1.4 if s.weak else 1.0) for s in SUBDISTRICTS]
    sequence = 0
    for year in (YEAR - 1, YEAR):
        leads = max(6, round(0.22 * population / 1000))
        for unit, count in zip(SUBDISTRICTS, split(leads, per_unit_weights), strict=True):
            local = [b for b in suspects if b["org_unit"] == unit.code] or suspects
            for _ in range(count):
                sequence += 1
                business = district.choice(local)
                received = district.day_in(date(year, 1, 5), date(year, 11, 15))
                should_file = rng.random() < 0.9
                filed = received + timedelta(days=rng.randint(1, 12)) if should_file else None
                closed = None
                if filed is not None:
                    closed = min(filed + timedelta(days=rng.randint(10, 40)), date(year, 12, 30))
                penalty = Decimal(rng.randrange(20, 1000) * 100) if filed else Decimal(0)
                district.add(
                    "cases",
                    {
                        "case_number": f"HPAJ{year}{sequence:04d}",
                        "org_unit": unit.code,
                        "business": business["registry_number"],
                        "lead_received_on": received,
                        "should_file": should_file,
                        "filed_on": filed,
                        "closed_on": closed,
                        "penalty_amount": penalty,
                        "individual_penalty": bool(filed) and rng.random() < 0.3,
                        "criminal_referral": bool(filed) and rng.random() < 0.03,
                    },
                )
