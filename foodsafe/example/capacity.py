"""Regulatory staff and their training, and stored grain with its quality monitoring."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .district import DISTRICT, EXAMPLE, SUBDISTRICTS, YEAR, District, split

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩曹许邓冯"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "晓东",
    "海燕",
    "文博",
    "思远",
    "雪梅",
    "立新",
    "国庆",
)
COURSES = (
    ("食品安全法律法规培训", 8),
    ("食品抽样检验管理办法解读", 4),
    ("餐饮服务食品安全操作规范", 8),
    ("学校食品安全与营养健康管理规定", 4),
    ("食品生产经营监督检查管理办法", 8),
    ("执法办案实务", 16),
    ("进口冷链食品监管", 4),
    ("快检技术应用", 8),
    ("风险分级管理", 4),
    ("网络餐饮服务监管", 4),
    ("食品安全示范城市创建业务培训", 8),
    ("食品安全事故应急处置", 8),
)
PROFESSIONAL_SHARE = 0.75
#: Share of inspectors below 40 class hours in 2021 (the gap in 实施方案 第12条).
UNDER_HOURS_SHARE = 0.05
#: Depots: (code, name, subdistrict index, tonnes in stock 2020 and 2021 for 355,000 people).
DEPOTS = (
    ("LK001", "示例和平粮食储备库一号库点", 4, 12000, 12600),
    ("LK002", "示例和平粮食储备库二号库点", 3, 8500, 8200),
    ("LK003", "示例南市粮油购销库点", 5, 4200, 3900),
)
MONITORED_SHARE = {YEAR - 1: Decimal("0.26"), YEAR: Decimal("0.27")}


def staff(district: District, population: int) -> None:
    """Food-safety inspectors of the district bureau and its six stations (市场监管所).

    75% of the inspectors in post at the end of 2021 have a professional background; every one
    of them was trained in 2021, but about 5% (most in the weak subdistrict) stayed below 40
    class hours. A few left during 2021 and a few are not food inspectors.
    """
    rng = district.rng
    total = max(14, round(0.35 * population / 1000))
    units = [DISTRICT] + [s.code for s in SUBDISTRICTS]
    per_unit = split(total, [0.3] + [0.7 * s.share for s in SUBDISTRICTS])
    agencies = {DISTRICT: "和平区市场监督管理局" + EXAMPLE} | {
        s.code: s.name.replace("街道", "市场监督管理所") + EXAMPLE for s in SUBDISTRICTS
    }
    people = []
    for unit, count in zip(units, per_unit, strict=True):
        for _ in range(count):
            people.append({"org_unit": unit})
    leavers = set(rng.sample(range(len(people)), max(1, total // 40)))
    others = set(
        rng.sample([i for i in range(len(people)) if i not in leavers], max(1, total // 15))
    )
    in_post = [i for i in range(len(people)) if i not in leavers and i not in others]
    professional = set(rng.sample(in_post, round(PROFESSIONAL_SHARE * len(in_post))))
    weak_first = sorted(
        in_post, key=lambda i: (people[i]["org_unit"] != SUBDISTRICTS[-1].code, rng.random())
    )
    under = set(weak_first[: max(1, round(UNDER_HOURS_SHARE * len(in_post)))])
    district.facts["inspectors_in_post"] = len(in_post)
    district.facts["inspectors_under_40_hours"] = len(under)
    for index, person in enumerate(people):
        name = district.choice(SURNAMES) + district.choice(GIVEN) + EXAMPLE
        number = f"RY{index + 1:04d}"
        district.staff_names.append(name)
        joined = district.day_in(date(1995, 1, 1), date(2019, 12, 31))
        if rng.random() < 0.04:
            joined = district.day_in(date(YEAR, 2, 1), date(YEAR, 6, 30))
        left = district.day_in(date(YEAR, 3, 1), date(YEAR, 10, 31)) if index in leavers else None
        if left and joined >= left:
            joined = district.day_in(date(2005, 1, 1), date(2019, 12, 31))
        food = index not in others
        district.add(
            "staff",
            {
                "staff_number": number,
                "name": name,
                "org_unit": person["org_unit"],
                "agency": agencies[person["org_unit"]],
                "is_food_inspector": food,
                "is_professional": index in professional
                or (not food and rng.random() < 0.5)
                or (index in leavers and rng.random() < 0.7),
                "joined_on": joined,
                "left_on": left,
            },
        )
        if food:
            _trainings(district, number, joined, left, under=index in under)


def _trainings(
    district: District, number: str, joined: date, left: date | None, *, under: bool
) -> None:
    """Courses in 2020 and 2021 adding up to 40–80 class hours (16–36 if ``under``)."""
    rng = district.rng
    for year in (YEAR - 1, YEAR):
        start = max(joined, date(year, 1, 10))
        end = min(left, date(year, 12, 20)) if left else date(year, 12, 20)
        if start > end:
            continue
        goal = rng.randint(16, 36) if (under and year == YEAR) else rng.randint(40, 80)
        if left is not None and year == YEAR:
            goal = rng.randint(8, 24)
        hours, taken = 0, []
        for course, course_hours in rng.sample(COURSES, len(COURSES)):
            if hours >= goal:
                break
            if under and year == YEAR and hours + course_hours > 36:
                continue
            taken.append((course, course_hours))
            hours += course_hours
        if not under or year != YEAR:
            while hours < 40 and left is None:
                taken.append((f"线上自学（{len(taken) + 1}）", 8))
                hours += 8
        for course, course_hours in taken:
            district.add(
                "trainings",
                {
                    "staff": number,
                    "trained_on": district.day_in(start, end),
                    "course": course,
                    "class_hours": course_hours,
                },
            )


def grain(district: District, population: int) -> None:
    """Three depots; monitoring covers 26% (2020) and 27% (2021) of the stock by tonnes, and
    the one problem found each year was handled."""
    rng = district.rng
    scale = Decimal(population) / Decimal(355000)
    sequence = 0
    for year in (YEAR - 1, YEAR):
        problem_depot = rng.randrange(len(DEPOTS))
        for index, (code, name, unit_index, stock_2020, stock_2021) in enumerate(DEPOTS):
            base = stock_2020 if year == YEAR - 1 else stock_2021
            stock = (Decimal(base) * scale).quantize(Decimal("0.001"), ROUND_HALF_UP)
            district.add(
                "grain_stocks",
                {
                    "depot_code": code,
                    "depot_name": name,
                    "org_unit": SUBDISTRICTS[unit_index].code,
                    "year": year,
                    "stock_tonnes": stock,
                },
            )
            monitored = (stock * MONITORED_SHARE[year]).quantize(Decimal("0.001"), ROUND_HALF_UP)
            tests = rng.randint(3, 5)
            weights = [rng.randint(5, 15) for _ in range(tests)]
            parts = [
                (monitored * w / sum(weights)).quantize(Decimal("0.001")) for w in weights[:-1]
            ]
            parts.append(monitored - sum(parts))
            for test, tonnes in enumerate(parts):
                sequence += 1
                sampled = district.day_in(date(year, 3, 1), date(year, 11, 30))
                problem = index == problem_depot and test == 0
                district.add(
                    "grain_monitoring",
                    {
                        "monitoring_number": f"LJ{year}{sequence:03d}",
                        "_depot_code": code,
                        "_stock_year": year,
                        "sampled_on": sampled,
                        "monitored_tonnes": tonnes,
                        "problem_found": problem,
                        "problem_handled_on": date.fromordinal(sampled.toordinal() + 21)
                        if problem
                        else None,
                    },
                )
