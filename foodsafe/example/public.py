"""Complaints and reports, the satisfaction and awareness survey, and incidents."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from foodsafe.complaints.services import complaint_deadlines
from foodsafe.workdays.calendar import seed_calendar

from .businesses import is_active_on
from .district import SUBDISTRICTS, YEAR, District, per_thousand, split

#: Made-up data generated without a database: the seed calendar (its years are all seeded).
_SEED = seed_calendar()

#: Complaints a year per 1,000 residents: food complaints, food reports, non-food complaints.
COMPLAINT_RATES = {"food_complaint": 2.0, "food_report": 0.4, "other_complaint": 0.5}
#: Share of 2021 food complaints handled late: 4% (on time 96%, short of the 98% target).
LATE_SHARE = {YEAR - 1: 0.03, YEAR: 0.04}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩曹许邓冯"
SUMMARIES = (
    "在{name}购买的{food}有异味",
    "在{name}就餐后出现腹泻",
    "{name}销售过期{food}",
    "{name}的{food}中发现异物",
    "{name}无证经营",
    "{name}外卖餐食中有异物",
    "{name}卫生条件差",
)
SURVEY_RESPONSES = 1200
SATISFACTION = 84
AWARENESS = 0.88


def complaints(district: District) -> None:
    """Complaints and reports received 2020–2021, each decided and closed.

    Dates are drawn in working days so that the on-time share is exact: a late complaint is
    decided after its 7-working-day limit or closed after its 45(+suspended)-working-day limit;
    late ones are received by September (so they are known to be late by the year's end) and
    two in five are in the weak subdistrict.
    """
    rng = district.rng
    targets = [
        b
        for b in district.businesses.values()
        if b["business_format"]
        in (
            "grocery",
            "restaurant",
            "small_eatery",
            "supermarket",
            "ordering_platform",
            "food_stall",
            "produce_market",
        )
    ]
    sequence = 0
    for year in (YEAR - 1, YEAR):
        people = sum(district.populations[year].values())
        rows: list[dict[str, Any]] = []
        for group, rate in COMPLAINT_RATES.items():
            count = per_thousand(rate, people)
            units = split(count, [s.share for s in SUBDISTRICTS])
            for unit, n in zip(SUBDISTRICTS, units, strict=True):
                for _ in range(n):
                    rows.append(
                        {
                            "group": group,
                            "org_unit": unit.code,
                            "received_on": district.day_in(date(year, 1, 1), date(year, 12, 31)),
                        }
                    )
        food = [r for r in rows if r["group"] == "food_complaint"]
        late_total = round(LATE_SHARE[year] * len(food))
        early = [r for r in food if r["received_on"] <= date(year, 9, 30)]
        weak = [r for r in early if r["org_unit"] == SUBDISTRICTS[-1].code]
        rest = [r for r in early if r["org_unit"] != SUBDISTRICTS[-1].code]
        in_weak = min(len(weak), round(late_total * 0.4))
        for row in rng.sample(weak, in_weak) + rng.sample(rest, late_total - in_weak):
            row["late"] = True
        if year == YEAR:
            district.facts["late_food_complaints"] = late_total
            district.facts["food_complaints"] = len(food)
        rows.sort(key=lambda r: (r["received_on"], r["group"], r["org_unit"]))
        for row in rows:
            sequence += 1
            district.add("complaints", _complaint(district, row, sequence, targets))


def _complaint(district: District, row: dict[str, Any], sequence: int, targets) -> dict[str, Any]:
    rng = district.rng
    received = row["received_on"]
    late = row.get("late", False)
    accepted = rng.random() < 0.82 or late
    decision = "accepted" if accepted else "refused"
    late_decision = late and rng.random() < 1 / 3
    decided = _SEED.add_workdays(
        received, rng.randint(8, 10) if late_decision else rng.randint(1, 7)
    ).date
    suspended = rng.randint(5, 20) if accepted and rng.random() < 0.06 else 0
    closed = decided
    if accepted:
        limit = 45 + suspended
        if late and not late_decision:
            closed = _SEED.add_workdays(decided, limit + rng.randint(1, 10)).date
        else:
            closed = _SEED.add_workdays(decided, rng.randint(3, min(limit, 35))).date
    local = [b for b in targets if b["org_unit"] == row["org_unit"] and is_active_on(b, received)]
    business = district.choice(local) if local and rng.random() < 0.8 else None
    name = business["name"] if business else "某商户"
    summary = district.choice(SUMMARIES).format(
        name=name, food=district.choice(("食品", "熟食", "饮料", "蔬菜"))
    )
    kind = "report" if row["group"] == "food_report" else "complaint"
    acceptance_due, closing_due = complaint_deadlines(
        received_on=received,
        decision=decision,
        decided_on=decided,
        suspended_working_days=suspended,
        calendar=_SEED,
    )
    # The generator's own check: only the rows meant to be late miss a deadline.
    on_time = decided <= acceptance_due and (closing_due is None or closed <= closing_due)
    assert on_time != late, (received, late)
    return {
        "complaint_number": f"{'JB' if kind == 'report' else 'TS'}{received.year}{sequence:06d}",
        "kind": kind,
        "is_food": row["group"] != "other_complaint",
        "org_unit": row["org_unit"],
        "business": business["registry_number"] if business else None,
        "complainant_name": f"{district.choice(SURNAMES)}某（示例）",
        "complainant_phone": f"1380000{sequence % 10000:04d}",
        "summary": summary + "（示例）",
        "received_on": received,
        "decision": decision,
        "decided_on": decided,
        "suspended_working_days": suspended,
        "closed_on": closed,
        # 第二十一条: the parties are told of the end within 7 working days; the example's
        # handlers tell them the day mediation ends (no random draw: the stream is unchanged).
        "end_notified_on": closed if accepted and kind == "complaint" else None,
    }


def surveys(district: District) -> None:
    """~1,200 responses to the 2021 survey: mean satisfaction 84, awareness 88%.

    Scores are drawn around a lower mean in the weak subdistrict and then nudged one point at
    a time until the district mean is exactly the target; awareness is exact too.
    """
    rng = district.rng
    units = split(SURVEY_RESPONSES, [s.share for s in SUBDISTRICTS])
    people: list[dict[str, Any]] = []
    for unit, n in zip(SUBDISTRICTS, units, strict=True):
        mean = SATISFACTION - 3 if unit.weak else SATISFACTION + 1
        for _ in range(n):
            score = max(20, min(100, round(rng.gauss(mean, 11))))
            people.append({"org_unit": unit.code, "score": score, "weak": unit.weak})
    gap = SATISFACTION * len(people) - sum(p["score"] for p in people)
    while gap:
        person = district.choice(people)
        step = 1 if gap > 0 else -1
        if 20 <= person["score"] + step <= 100:
            person["score"] += step
            gap -= step
    unanswered = set(rng.sample(range(len(people)), len(people) // 100))
    answered = [i for i in range(len(people)) if i not in unanswered]
    order = sorted(answered, key=lambda i: rng.random() + (0.06 if people[i]["weak"] else 0.0))
    aware = set(order[: round(AWARENESS * len(answered))])
    # Who answered (城乡, 性别, 年龄段, for post-stratification): drawn from a random source of
    # their own, so the rest of the example is unchanged; a phone sample leans old and female,
    # as such samples do, so that weighting to the census cells has something to correct.
    who = random.Random(district.seed * 16 + 1)
    for index, person in enumerate(people):
        district.add(
            "surveys",
            {
                "response_number": f"WJ{YEAR}{index + 1:05d}",
                "survey_code": f"{YEAR}年度满意度和知晓率测评（示例）",
                "org_unit": person["org_unit"],
                "responded_on": district.day_in(date(YEAR, 10, 11), date(YEAR, 11, 19)),
                "satisfaction_score": person["score"],
                "aware_of_programme": None if index in unanswered else index in aware,
                "urban_rural": "urban",
                "sex": "f" if who.random() < 0.56 else "m",
                "age_band": who.choices(AGE_BANDS, weights=SAMPLE_AGE_SHARES)[0],
            },
        )


#: Age bands of people aged 18 and over (surveys.AgeBand), and made-up shares: of the residents
#: (CENSUS_AGE_SHARES, an old central district) and of a phone sample (SAMPLE_AGE_SHARES).
AGE_BANDS = ("18-29", "30-39", "40-49", "50-59", "60+")
CENSUS_AGE_SHARES = (14, 17, 15, 18, 36)
SAMPLE_AGE_SHARES = (9, 14, 17, 22, 38)
#: Residents aged 18 and over, per 1,000 residents; men per 1,000 of them. 和平区 is all urban.
ADULTS_PER_THOUSAND = 870
MEN_PER_THOUSAND = 485


def census_cells(district: District) -> None:
    """Made-up 2020 census cells (示例, not census figures): each subdistrict's 2020 residents
    aged 18+ split by sex and age band (all 城镇), for post-stratifying the survey
    (RULES-supervision.md §3.3). Deterministic, no random draw."""
    source = "示例数据：按各街道2020年常住人口和假定的性别、年龄结构生成，非人口普查数字"
    for unit in SUBDISTRICTS:
        adults = per_thousand(ADULTS_PER_THOUSAND, district.populations[YEAR - 1][unit.code])
        men = per_thousand(MEN_PER_THOUSAND, adults)
        for sex, people in (("m", men), ("f", adults - men)):
            for band, n in zip(AGE_BANDS, split(people, CENSUS_AGE_SHARES), strict=True):
                district.add(
                    "census_cells",
                    {
                        "org_unit": unit.code,
                        "year": YEAR - 1,
                        "urban_rural": "urban",
                        "sex": sex,
                        "age_band": band,
                        "population": n,
                        "source": source,
                    },
                )


def incidents(district: District) -> None:
    """One general (一般, IV) food-poisoning incident in 2020 that drew no wide attention."""
    district.add(
        "incidents",
        {
            "incident_number": "SJ2020001",
            "org_unit": SUBDISTRICTS[1].code,
            "occurred_on": date(YEAR - 1, 7, 14),
            "severity": "IV",
            "kind": "poisoning",
            "serious_social_impact": False,
            "description": "示例：某餐馆聚餐后12人出现腹泻，经调查为副溶血性弧菌引起的食物中毒，"
            "属一般（Ⅳ级）食品安全事故，处置及时，未引发广泛关注。",
        },
    )
