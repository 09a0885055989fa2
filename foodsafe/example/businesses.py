"""Food businesses, school canteens and self-inspection reports of the example district."""

from __future__ import annotations

from datetime import date
from typing import Any

from stdnum.cn import uscc as uscc_number

from .district import SUBDISTRICTS, YEAR, District, split

#: Business formats: (format, sector, share of all businesses, minimum count, name suffixes).
#: Groceries take whatever is left. The minimums keep every cell of the sampling coverage grid
#: and every format that must file self-inspection reports present in a small district too.
FORMATS: tuple[tuple[str, str, float, int, tuple[str, ...]], ...] = (
    ("manufacturer", "production", 0.015, 2, ("食品有限公司", "食品厂")),
    ("small_workshop", "production", 0.015, 2, ("食品加工坊", "糕点作坊")),
    ("supermarket", "sales", 0.060, 3, ("超市", "生活超市")),
    ("chain_hq", "sales", 0.004, 2, ("商贸连锁有限公司",)),
    ("large_wholesaler", "sales", 0.004, 2, ("食品批发有限公司",)),
    ("wholesale_market", "sales", 0.003, 1, ("食品批发市场",)),
    ("produce_market", "sales", 0.008, 2, ("菜市场", "农贸市场")),
    ("food_stall", "sales", 0.030, 2, ("早点摊", "水果摊")),
    ("restaurant", "catering", 0.280, 5, ("酒楼", "餐厅", "饭庄")),
    ("small_eatery", "catering", 0.250, 5, ("小吃店", "面馆", "包子铺")),
    ("school_canteen", "catering", 0.0625, 6, ()),
    ("workplace_canteen", "catering", 0.030, 2, ("职工食堂",)),
    ("central_kitchen", "catering", 0.003, 1, ("中央厨房",)),
    ("group_meal_distributor", "catering", 0.003, 1, ("配餐有限公司",)),
    ("ordering_platform", "catering", 0.0, 2, ("外卖平台",)),
    ("grocery", "sales", 0.0, 5, ("便利店", "食品店", "副食店")),
)
#: Formats that must file self-inspection reports (实施方案 第18条).
MUST_REPORT = ("chain_hq", "large_wholesaler", "wholesale_market")
#: Formats where a business may have closed or opened recently.
CHURNING = ("grocery", "restaurant", "small_eatery", "food_stall")
#: Formats whose operator has no licence of its own but a registration (登记/备案).
REGISTERED_ONLY = ("small_workshop", "small_eatery", "food_stall")

BRANDS = (
    "福瑞",
    "鑫达",
    "同顺",
    "宏源",
    "天和",
    "永昌",
    "聚德",
    "瑞祥",
    "金海",
    "津味",
    "海河",
    "众兴",
    "恒丰",
    "华盛",
    "利民",
    "嘉禾",
    "鸿运",
    "百川",
    "德顺",
    "友谊",
    "新华",
    "春和",
    "东兴",
    "万家",
)
STREETS = {
    "120101001000": ("和平路", "滨江道", "辽宁路", "哈密道"),
    "120101002000": ("南京路", "徐州道", "大沽北路", "曲阜道"),
    "120101003000": ("成都道", "重庆道", "大理道", "睦南道"),
    "120101004000": ("西康路", "贵州路", "昆明路", "云南路"),
    "120101005000": ("南京路", "南海路", "岳阳道", "新华路"),
    "120101006000": ("荣安大街", "南门外大街", "广东路", "福安大街"),
}
SCHOOL_TYPES = (
    ("kindergarten", "幼儿园", 0.40),
    ("primary", "小学", 0.30),
    ("secondary", "中学", 0.25),
    ("vocational", "职业学校", 0.05),
)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def format_counts(total: int) -> dict[str, int]:
    """How many businesses of each format a district of ``total`` businesses gets."""
    counts = {fmt: max(minimum, round(share * total)) for fmt, _s, share, minimum, _n in FORMATS}
    counts["grocery"] = max(5, total - sum(v for k, v in counts.items() if k != "grocery"))
    return counts


def _uscc(kind: str, sequence: int) -> str:
    """A valid-looking USCC (GB 32100-2015) with a correct check digit; not a real one."""
    org, n = "", sequence
    for _ in range(6):
        n, digit = divmod(n, 31)
        org = _ALPHABET[digit] + org
    body = f"{kind}120101MA0{org}"
    return body + uscc_number.calc_check_digit(body)


def businesses(district: District, total: int) -> None:
    """~4 food businesses per 1,000 residents across every format, spread over subdistricts."""
    counts = format_counts(total)
    sequence = 0
    for fmt, sector, _share, _minimum, suffixes in FORMATS:
        weights = [
            s.share * (1.5 if s.weak and fmt in ("small_eatery", "food_stall") else 1.0)
            for s in SUBDISTRICTS
        ]
        per_unit = split(counts[fmt], weights)
        if fmt == "school_canteen":
            per_unit = _at_least(per_unit, index=len(SUBDISTRICTS) - 1, minimum=3)
        for subdistrict, count in zip(SUBDISTRICTS, per_unit, strict=True):
            for _ in range(count):
                sequence += 1
                business = _business(district, sequence, fmt, sector, suffixes, subdistrict.code)
                district.businesses[business["registry_number"]] = business
                district.add("businesses", business)
    _school_canteens(district)
    _self_inspections(district)


def _at_least(parts: list[int], *, index: int, minimum: int) -> list[int]:
    """Move units from the largest parts to ``parts[index]`` until it has ``minimum``."""
    parts = list(parts)
    while parts[index] < minimum and sum(parts) > minimum:
        largest = max((i for i in range(len(parts)) if i != index), key=lambda i: (parts[i], -i))
        parts[largest] -= 1
        parts[index] += 1
    return parts


def _business(
    district: District, sequence: int, fmt: str, sector: str, suffixes, unit: str
) -> dict[str, Any]:
    rng = district.rng
    brand = district.choice(BRANDS)
    if fmt == "school_canteen":
        name = ""  # named after its school below
    elif fmt == "ordering_platform":
        name = f"示例{brand}外卖平台（天津）有限公司"
    else:
        name = f"示例{brand}{district.choice(suffixes)}"
        if fmt in ("grocery", "restaurant", "small_eatery", "supermarket", "food_stall"):
            name += f"（{district.choice(STREETS[unit])}{sequence}号店）"
    individual = fmt in ("grocery", "small_eatery", "food_stall", "small_workshop")
    uscc = None if fmt == "food_stall" else _uscc("92" if individual else "91", sequence)
    licence: str | None
    if fmt == "manufacturer":
        # 食品类别编码 is 1 (食品) + 01-31 (食品生产许可管理办法); the draw is kept as it was so
        # the example's random stream, and every figure after it, is unchanged.
        category = 101 + rng.randrange(101, 399) % 31
        licence = f"SC{category}120101{sequence:05d}"
    elif fmt in REGISTERED_ONLY or fmt == "school_canteen":
        licence = None if fmt != "school_canteen" else f"JY3120101{sequence:07d}"
    else:
        licence = f"JY{1 if sector == 'sales' else 2}120101{sequence:07d}"
    opened = district.day_in(date(2003, 1, 1), date(2019, 12, 31))
    closed_on = None
    if fmt in CHURNING:
        roll = rng.random()
        if roll < 0.03:
            opened = district.day_in(date(2020, 1, 15), date(2021, 11, 30))
        elif roll < 0.06:
            closed_on = district.day_in(date(2020, 3, 1), date(2021, 11, 30))
    risk_weights = (
        (0.10, 0.50, 0.35, 0.05)
        if fmt in ("school_canteen", "central_kitchen")
        else (0.35, 0.45, 0.15, 0.05)
    )
    return {
        "registry_number": f"HP{sequence:06d}",
        "name": name,
        "uscc": uscc,
        "licence_number": licence,
        "sector": sector,
        "business_format": fmt,
        "org_unit": unit,
        "address": f"天津市和平区{district.choice(STREETS[unit])}{rng.randrange(1, 300)}号",
        "status": "closed" if closed_on else "active",
        "opened_on": opened,
        "closed_on": closed_on,
        "risk_level": district.weighted(("A", "B", "C", "D"), risk_weights),
    }


def is_active_on(business: dict[str, Any], day: date) -> bool:
    """Open on ``day``: opened on or before it and not closed by then."""
    closed = business["closed_on"]
    return business["opened_on"] <= day and (closed is None or closed > day)


def active_window(business: dict[str, Any], start: date, end: date) -> tuple[date, date] | None:
    """The part of [start, end] the business was open, or None."""
    first = max(start, business["opened_on"])
    closed = business["closed_on"]
    last = min(end, closed) if closed else end
    return (first, last) if first <= last else None


def of_format(district: District, *formats: str) -> list[dict[str, Any]]:
    return [b for b in district.businesses.values() if b["business_format"] in formats]


def _school_canteens(district: District) -> None:
    """One canteen per school; two canteens of the weak subdistrict have no bright kitchen."""
    rng = district.rng
    canteens = of_format(district, "school_canteen")
    weak_canteens = [b for b in canteens if b["org_unit"] == SUBDISTRICTS[-1].code]
    without = {b["registry_number"] for b in weak_canteens[:2]}
    numbers: dict[str, int] = {}
    for business in canteens:
        kind, label, _w = district.weighted(SCHOOL_TYPES, [w for *_x, w in SCHOOL_TYPES])
        numbers[kind] = numbers.get(kind, 0) + 1
        school = f"和平区示例第{numbers[kind]}{label}"
        business["name"] = f"{school}食堂"
        bright = None
        if business["registry_number"] not in without:
            bright = district.day_in(date(2018, 3, 1), date(YEAR, 8, 31))
        district.add(
            "school_canteens",
            {
                "business": business["registry_number"],
                "school_name": school,
                "school_type": kind,
                "bright_kitchen_on": bright,
                "principal_responsibility": True,
                "accompanied_meal": rng.random() > 0.02,
            },
        )
    district.facts["canteens_without_bright_kitchen"] = sorted(without)


def _self_inspections(district: District) -> None:
    """Twice a year for every format that must report (100%); some supermarkets once a year."""
    rng = district.rng
    for business in of_format(district, *MUST_REPORT, "supermarket"):
        must = business["business_format"] in MUST_REPORT
        if not must and rng.random() > 0.3:
            continue
        for year in (YEAR - 1, YEAR):
            halves = ((6, 10, 30), (12, 1, 28)) if must else ((12, 1, 28),)
            for month, first, last in halves:
                day = district.day_in(date(year, month, first), date(year, month, last))
                district.add(
                    "self_inspections",
                    {
                        "business": business["registry_number"],
                        "submitted_on": day,
                        "problems_found": district.weighted((0, 1, 2, 3), (0.5, 0.3, 0.15, 0.05)),
                    },
                )
