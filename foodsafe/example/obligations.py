"""Issue 19's ledgers of the example district: liability insurance (第20条), the registration or
filing of the "three smalls" (第17条) and the re-inspections (复查) that close their problems
(第28条), food handlers' health certificates and producers' GMP/HACCP certificates (第18条),
foodborne-disease surveillance (第3条), the emergency plan and drills (第14条).

These rows draw from their own random source (seeded from the district's seed), so adding them
left every earlier ledger, and every figure the example was built to show, as it was.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .businesses import is_active_on, of_format
from .district import DISTRICT, SUBDISTRICTS, WEAK, YEAR, District

INSURED_FORMATS = ("school_canteen", "group_meal_distributor", "central_kitchen")


def obligations(district: District) -> None:
    rng = random.Random(district.seed * 1000 + 19)
    insurance(district, rng)
    registrations(district, rng)
    follow_ups(district, rng)
    handlers(district, rng)
    certificates(district, rng)
    surveillance(district, rng)
    emergency(district)


def insurance(district: District, rng: random.Random) -> None:
    """Yearly liability policies of every school canteen, group-meal distributor and central
    kitchen, renewed on their anniversary; two deliberate gaps on 2021-12-31: one canteen of the
    weak subdistrict never insured, and one group-meal distributor whose 2021 policy ended on
    31 Oct and was not renewed (2021 coverage below 100 %)."""
    businesses = of_format(district, *INSURED_FORMATS)
    weak_canteens = [
        b
        for b in businesses
        if b["business_format"] == "school_canteen"
        and b["org_unit"] == WEAK
        and is_active_on(b, date(YEAR, 12, 31))
    ]
    uninsured = weak_canteens[0]["registry_number"] if weak_canteens else None
    distributors = [b for b in businesses if b["business_format"] == "group_meal_distributor"]
    lapsed = distributors[0]["registry_number"] if distributors else None
    number = 0
    for business in businesses:
        if business["registry_number"] == uninsured:
            continue
        # Day 1–28 of a month: every year has it (no 29 February).
        anniversary = date(YEAR - 1, rng.randrange(1, 13), rng.randrange(1, 29))
        for year in (YEAR - 1, YEAR):
            starts = anniversary.replace(year=year)
            ends = starts.replace(year=year + 1) - timedelta(days=1)
            if business["registry_number"] == lapsed and year == YEAR:
                starts, ends = date(YEAR, 1, 1), date(YEAR, 10, 31)
            number += 1
            district.add(
                "insurance_policies",
                {
                    "policy_number": f"PZA{year}120101{number:05d}",
                    "business": business["registry_number"],
                    "insurer": rng.choice(_INSURERS),
                    "starts_on": starts,
                    "ends_on": ends,
                },
            )
    district.facts["uninsured_canteen"] = uninsured
    district.facts["lapsed_policy"] = lapsed


THREE_SMALLS = {"small_workshop": "小作坊登", "small_eatery": "小餐饮登", "food_stall": "摊贩备"}


def registrations(district: District, rng: random.Random) -> None:
    """Registration cards and filings (登记证、备案卡) of the small workshops, eateries and stalls,
    each with its date. Deliberate gap: 3 small eateries or stalls of the weak subdistrict
    operating at the end of 2021 were never registered (100 %: not met)."""
    smalls = of_format(district, *THREE_SMALLS)
    unregistered = [
        b
        for b in smalls
        if b["org_unit"] == WEAK
        and b["business_format"] != "small_workshop"
        and is_active_on(b, date(YEAR, 12, 31))
    ][:3]
    missing = {b["registry_number"] for b in unregistered}
    for business in smalls:
        if business["registry_number"] in missing:
            continue
        # Registered when it opened, or within a month after.
        on = business["opened_on"] + timedelta(days=rng.randrange(31))
        kind = THREE_SMALLS[business["business_format"]]
        business["licence_number"] = f"津和{kind}{on.year}{business['registry_number'][2:]}"
        business["registered_on"] = on
    district.facts["unregistered_smalls"] = sorted(missing)


def follow_ups(district: District, rng: random.Random) -> None:
    """A re-inspection (复查) found 符合 two to four weeks after each inspection of a small
    workshop, eatery or stall found 限期整改 or 不符合 — except, as a deliberate gap, for the
    weak subdistrict's last two such problems of 2021, still open at the year's end (100 %:
    not met). Not full-checklist inspections: the two-year coverage is unchanged."""
    smalls = {b["registry_number"] for b in of_format(district, *THREE_SMALLS)}
    problems = [
        row
        for row in district.rows.get("inspections", [])
        if row["business"] in smalls and row["result"] in ("rectify", "noncompliant")
    ]
    weak_2021 = [
        row
        for row in problems
        if district.businesses[row["business"]]["org_unit"] == WEAK
        and row["inspected_on"].year == YEAR
    ]
    left_open = {id(row) for row in weak_2021[-2:]}
    open_numbers = []
    for k, row in enumerate(problems, start=1):
        business = district.businesses[row["business"]]
        day = row["inspected_on"] + timedelta(days=rng.randrange(14, 29))
        closed = business["closed_on"]
        if id(row) in left_open:
            open_numbers.append(row["inspection_number"])
            continue
        if day > date(YEAR, 12, 31) or (closed is not None and day >= closed):
            continue
        district.add(
            "inspections",
            {
                "inspection_number": f"FC{day.year}{k:06d}",
                "business": row["business"],
                "inspected_on": day,
                "inspection_type": "follow_up",
                "full_checklist": False,
                "result": "compliant",
                "score": rng.randint(85, 100),
                "inspectors": row["inspectors"],
            },
        )
    district.facts["open_small_problems"] = open_numbers


#: Formats whose staff handle ready-to-eat food, and roster sizes (min, max) [I].
HANDLER_FORMATS = {
    "restaurant": (3, 8),
    "small_eatery": (1, 3),
    "school_canteen": (4, 10),
    "workplace_canteen": (3, 6),
    "central_kitchen": (8, 15),
    "group_meal_distributor": (6, 12),
    "manufacturer": (4, 10),
    "small_workshop": (1, 3),
    "food_stall": (1, 2),
}
ROLES = ("厨师", "面点", "切配", "洗消", "服务员", "生产操作工")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def handlers(district: District, rng: random.Random) -> None:
    """Staff rosters with health certificates (健康证明, valid one year). Deliberate gap: on
    2021-12-31 the small eateries of the weak subdistrict have 6 handlers whose certificate
    expired in 2021 and was not renewed (100 %: not met)."""
    end = date(YEAR, 12, 31)
    expired_left = 6
    number = 0
    for business in district.businesses.values():
        size = HANDLER_FORMATS.get(business["business_format"])
        if size is None or not is_active_on(business, end):
            continue
        weak_eatery = business["org_unit"] == WEAK and business["business_format"] == "small_eatery"
        for k in range(1, rng.randint(*size) + 1):
            number += 1
            # The current certificate was issued within the last year: valid into 2022.
            valid_until = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365, 730))
            if weak_eatery and expired_left:
                expired_left -= 1
                valid_until = date(YEAR, rng.randrange(1, 12), rng.randrange(1, 29))
            district.add(
                "food_handlers",
                {
                    "business": business["registry_number"],
                    "staff_number": f"{k:03d}",
                    "name": rng.choice(SURNAMES) + "某" + "甲乙丙丁戊己庚辛"[k % 8],
                    "role": rng.choice(ROLES),
                    "direct_contact": True,
                    "certificate_number": f"JKZ{valid_until.year - 1}{number:06d}",
                    "valid_until": valid_until,
                    "started_on": max(business["opened_on"], date(2015, 1, 1)),
                },
            )


def certificates(district: District, rng: random.Random) -> None:
    """Half the manufacturers (at least one) are 规模以上 and hold a HACCP certificate; one's
    expired on 2021-08-31 without renewal (deliberate gap: 100 %: not met)."""
    makers = of_format(district, "manufacturer")
    above = makers[: max(1, len(makers) // 2)]
    for k, business in enumerate(above, start=1):
        business["above_designated_size"] = True
        issued = date(YEAR - 2, rng.randrange(1, 13), rng.randrange(1, 29))
        valid_until = issued.replace(year=issued.year + 3) - timedelta(days=1)
        if k == len(above) and len(above) > 1:
            issued, valid_until = date(YEAR - 3, 9, 1), date(YEAR, 8, 31)
        district.add(
            "system_certificates",
            {
                "certificate_number": f"HACCP{issued.year}TJ{k:04d}",
                "business": business["registry_number"],
                "scheme": "haccp",
                "certifier": "示例质量认证中心",
                "issued_on": issued,
                "valid_until": valid_until,
            },
        )


def surveillance(district: District, rng: random.Random) -> None:
    """Three sentinel hospitals (监测医疗机构) reporting every month of 2020–2021 by the 5th of
    the next month, and a few foodborne-disease events a year. Deliberate gaps in 2021: the
    weak subdistrict's hospital sent no report for July, and one event was reported two days
    after it was found (both 100 %: not met)."""
    hospitals = [
        ("YY01", "和平区示例人民医院", SUBDISTRICTS[1].code),
        ("YY02", "和平区示例中医医院", SUBDISTRICTS[3].code),
        ("YY03", "和平区示例社区卫生服务中心", WEAK),
    ]
    for code, name, unit in hospitals:
        district.add(
            "sentinel_institutions",
            {"code": code, "name": name, "org_unit": unit, "designated_on": date(2019, 1, 1)},
        )
        for year in (YEAR - 1, YEAR):
            for month in range(1, 13):
                if code == "YY03" and (year, month) == (YEAR, 7):
                    continue
                reported = date(year + month // 12, month % 12 + 1, rng.randrange(1, 6))
                district.add(
                    "sentinel_reports",
                    {
                        "institution": code,
                        "month": date(year, month, 1),
                        "reported_on": reported,
                        "cases": rng.randrange(0, 6),
                    },
                )
    for year in (YEAR - 1, YEAR):
        for k in range(1, 4):
            code, _name, unit = hospitals[(k + year) % 3]
            found = date(year, rng.randrange(5, 11), rng.randrange(1, 29))
            late = year == YEAR and k == 3
            district.add(
                "disease_events",
                {
                    "event_number": f"SYX{year}-{k:03d}",
                    "org_unit": unit,
                    "institution": code,
                    "found_on": found,
                    "reported_on": found + timedelta(days=2 if late else rng.randrange(0, 2)),
                    "cases": rng.randrange(2, 9),
                },
            )


def emergency(district: District) -> None:
    """The district's emergency plan revised in 2018 and 2021, and one live drill a year in
    the office's name (item 14 met) plus a department's tabletop exercise (not counted)."""
    for revised, number in (
        (date(2018, 5, 10), "〔2018〕21号"),
        (date(YEAR, 4, 20), "〔2021〕9号"),
    ):
        district.add(
            "plan_revisions",
            {
                "plan_code": "YA-SPAQ",
                "plan_name": "和平区食品安全事故应急预案（示例）",
                "org_unit": DISTRICT,
                "revised_on": revised,
                "document_number": f"和平政办发{number}",
            },
        )
    drills = (
        (f"YL{YEAR - 1}-01", date(YEAR - 1, 11, 12), "office", "live", "农贸市场食物中毒事件处置"),
        (f"YL{YEAR}-01", date(YEAR, 6, 18), "office", "live", "学校食堂疑似食物中毒事件处置"),
        (f"YL{YEAR}-02", date(YEAR, 9, 7), "department", "tabletop", "进口冷链食品阳性检出处置"),
    )
    for number, held_on, organiser, kind, scenario in drills:
        district.add(
            "drills",
            {
                "drill_number": number,
                "org_unit": DISTRICT,
                "held_on": held_on,
                "organiser": organiser,
                "kind": kind,
                "scenario": f"{scenario}（示例）",
                "participants": "区市场监管局、区卫生健康委、区教育局、区应急局",
            },
        )


_INSURERS = (
    "示例财产保险股份有限公司天津分公司",
    "示例人寿财产保险股份有限公司天津市分公司",
    "示例平安财产保险股份有限公司天津分公司",
)
