"""Sampling batches and their test items, 2020–2021, of the example district."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .businesses import active_window
from .district import SUBDISTRICTS, YEAR, District, per_thousand

#: (stage, format) cells that surveillance sampling must cover (实施方案 第6条).
COVERAGE_CELLS = (
    ("production", "manufacturer"),
    ("production", "small_workshop"),
    ("circulation", "supermarket"),
    ("circulation", "grocery"),
    ("circulation", "produce_market"),
    ("circulation", "wholesale_market"),
    ("catering", "restaurant"),
    ("catering", "small_eatery"),
    ("catering", "school_canteen"),
    ("catering", "central_kitchen"),
    ("online", "ordering_platform"),
)
STAGE_OF = {fmt: stage for stage, fmt in COVERAGE_CELLS} | {
    "chain_hq": "circulation",
    "large_wholesaler": "circulation",
    "food_stall": "circulation",
    "workplace_canteen": "catering",
    "group_meal_distributor": "catering",
}
#: Rates per 1,000 residents, by year: counted batches, of which evaluation and risk
#: monitoring (the rest is surveillance), residue batches among them, and rapid tests (not
#: counted). 2021 is 3.6 counted batches per 1,000: short of the target of 4.
RATES = {
    YEAR - 1: {
        "counted": 3.3,
        "evaluation": 0.70,
        "risk_monitoring": 0.30,
        "residue": 2.0,
        "rapid": 1.2,
    },
    YEAR: {
        "counted": 3.6,
        "evaluation": 0.75,
        "risk_monitoring": 0.35,
        "residue": 2.2,
        "rapid": 1.5,
    },
}
#: Nonconforming share by sampling type; evaluation 1.5% gives a 98.5% pass rate.
NONCONFORMING = {"surveillance": 0.022, "evaluation": 0.015, "risk_monitoring": 0.03}
PREFIX = {"surveillance": "DBJ", "evaluation": "DPJ", "risk_monitoring": "DFX", "rapid_test": "KJ"}

PESTICIDES = (
    "毒死蜱",
    "克百威",
    "氧乐果",
    "甲胺磷",
    "腐霉利",
    "啶虫脒",
    "多菌灵",
    "吡虫啉",
    "阿维菌素",
    "氯氟氰菊酯和高效氯氟氰菊酯",
    "噻虫嗪",
    "倍硫磷",
    "水胺硫磷",
)
VET_DRUGS = (
    "恩诺沙星",
    "氯霉素",
    "克伦特罗",
    "莱克多巴胺",
    "沙丁胺醇",
    "磺胺类（总量）",
    "氟苯尼考",
    "孔雀石绿",
    "呋喃唑酮代谢物",
    "地西泮",
    "甲硝唑",
)
#: Produce sampled for residues: category → (residue category, sample names).
PRODUCE: dict[str, tuple[str, tuple[str, ...]]] = {
    "蔬菜": ("pesticide_residue", ("韭菜", "芹菜", "豇豆", "普通白菜", "菠菜", "油麦菜", "黄瓜")),
    "水果类": ("pesticide_residue", ("苹果", "梨", "葡萄", "柑橘", "香蕉", "桃")),
    "畜禽肉及副产品": ("vet_drug_residue", ("猪肉", "牛肉", "羊肉", "鸡肉", "猪肝")),
    "水产品": ("vet_drug_residue", ("鲤鱼", "草鱼", "鲈鱼", "对虾", "鲫鱼")),
    "鲜蛋": ("vet_drug_residue", ("鸡蛋", "鸭蛋")),
}
PRODUCE_FORMATS = (
    ("produce_market", 0.40),
    ("supermarket", 0.25),
    ("grocery", 0.12),
    ("wholesale_market", 0.08),
    ("restaurant", 0.08),
    ("school_canteen", 0.07),
)
#: Processed food: category → sample names; catering and online food is 餐饮食品.
FOODS: dict[str, dict[str, tuple[str, ...]]] = {
    "production": {
        "糕点": ("月饼", "蛋糕", "桃酥"),
        "肉制品": ("酱牛肉", "火腿肠"),
        "豆制品": ("豆腐", "豆腐干"),
        "饮料": ("果汁饮料", "包装饮用水"),
    },
    "circulation": {
        "粮食加工品": ("大米", "小麦粉", "挂面"),
        "食用油、油脂及其制品": ("花生油", "大豆油"),
        "调味品": ("酱油", "食醋", "味精"),
        "乳制品": ("灭菌乳", "酸奶"),
        "方便食品": ("方便面",),
        "酒类": ("白酒", "啤酒"),
        "饼干": ("饼干",),
        "炒货食品及坚果制品": ("瓜子", "花生"),
    },
    "catering": {"餐饮食品": ("馒头", "油条", "凉拌菜", "卤肉", "包子", "复用餐饮具")},
    "online": {"餐饮食品": ("外卖盒饭", "外卖凉菜", "外卖面食")},
}
OTHER_ITEMS = (
    "菌落总数",
    "大肠菌群",
    "苯甲酸及其钠盐（以苯甲酸计）",
    "山梨酸及其钾盐（以山梨酸计）",
    "脱氢乙酸及其钠盐（以脱氢乙酸计）",
    "铅（以Pb计）",
    "过氧化值（以脂肪计）",
    "酸价（以脂肪计）",
    "二氧化硫残留量",
    "糖精钠（以糖精计）",
    "铝的残留量（干样品，以Al计）",
    "亚硝酸盐（以亚硝酸钠计）",
    "阴离子合成洗涤剂（以十二烷基苯磺酸钠计）",
)
OTHER_FORMATS = (
    ("supermarket", 0.22),
    ("grocery", 0.18),
    ("restaurant", 0.16),
    ("small_eatery", 0.12),
    ("school_canteen", 0.06),
    ("manufacturer", 0.06),
    ("small_workshop", 0.04),
    ("chain_hq", 0.03),
    ("large_wholesaler", 0.03),
    ("central_kitchen", 0.02),
    ("group_meal_distributor", 0.02),
    ("workplace_canteen", 0.03),
    ("ordering_platform", 0.03),
)


def sampling(district: District) -> None:
    """Counted batches (surveillance, evaluation, risk monitoring) and rapid tests per year.

    Every coverage cell gets at least two surveillance batches a year; residue batches are
    produce tested for pesticides or veterinary drugs; the weak subdistrict is sampled at
    three quarters of the others' rate per resident.
    """
    pools = _pools(district)
    for year in (YEAR - 1, YEAR):
        rates = RATES[year]
        people = sum(district.populations[year].values())
        counted = per_thousand(rates["counted"], people)
        evaluation = per_thousand(rates["evaluation"], people)
        risk = per_thousand(rates["risk_monitoring"], people)
        residue = per_thousand(rates["residue"], people)
        surveillance = counted - evaluation - risk
        specs: list[dict[str, Any]] = []
        per_cell = 2 if surveillance >= 2 * len(COVERAGE_CELLS) else 1
        forced = [fmt for _stage, fmt in COVERAGE_CELLS for _ in range(per_cell)]
        for fmt in forced:
            specs.append(
                {"type": "surveillance", "format": fmt, "residue": fmt == "produce_market"}
            )
        rest = (
            ["surveillance"] * (surveillance - len(forced))
            + ["evaluation"] * evaluation
            + ["risk_monitoring"] * risk
        )
        district.rng.shuffle(rest)
        left = residue - sum(s["residue"] for s in specs)
        for index, kind in enumerate(rest):
            specs.append({"type": kind, "format": None, "residue": index < left})
        for kind, rate in NONCONFORMING.items():
            of_kind = [s for s in specs if s["type"] == kind]
            for spec in district.rng.sample(of_kind, round(rate * len(of_kind))):
                spec["nonconforming"] = True
        specs += [
            {"type": "rapid_test", "format": "produce_market", "residue": True}
            for _ in range(per_thousand(rates["rapid"], people))
        ]
        _write_batches(district, year, specs, pools)


def _pools(district: District) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Businesses open all of 2020–2021, by (subdistrict, format)."""
    pools: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for business in district.businesses.values():
        if active_window(business, date(YEAR - 1, 1, 1), date(YEAR, 12, 31)) == (
            date(YEAR - 1, 1, 1),
            date(YEAR, 12, 31),
        ):
            pools.setdefault((business["org_unit"], business["business_format"]), []).append(
                business
            )
            pools.setdefault(("*", business["business_format"]), []).append(business)
    return pools


def _write_batches(district: District, year: int, specs, pools) -> None:
    rng = district.rng
    unit_weights = [s.share * (0.75 if s.weak else 1.0) for s in SUBDISTRICTS]
    planned = []
    for spec in specs:
        fmt = spec["format"]
        if fmt is None:
            table = PRODUCE_FORMATS if spec["residue"] else OTHER_FORMATS
            fmt = district.weighted([f for f, _w in table], [w for _f, w in table])
        unit = district.subdistrict_for(unit_weights).code
        business = district.choice(pools.get((unit, fmt)) or pools[("*", fmt)])
        stage = STAGE_OF[fmt]
        if spec["residue"]:
            category = district.choice(sorted(PRODUCE))
            food = district.choice(PRODUCE[category][1])
        else:
            foods = FOODS["circulation" if stage == "circulation" else stage]
            category = district.choice(sorted(foods))
            food = district.choice(foods[category])
        day = district.day_in(date(year, 2, 20), date(year, 12, 15))
        planned.append((day, spec, business, stage, fmt, category, food))
    planned.sort(key=lambda p: (p[0], p[1]["type"], p[2]["registry_number"]))
    counters: dict[str, int] = {}
    for day, spec, business, stage, fmt, category, food in planned:
        kind = spec["type"]
        counters[kind] = counters.get(kind, 0) + 1
        number = f"{PREFIX[kind]}{year % 100}120101{counters[kind]:05d}"
        bad = bool(spec.get("nonconforming"))
        rapid = kind == "rapid_test"
        reported = day if rapid else day + timedelta(days=rng.randint(8, 25))
        published = None
        if kind == "surveillance":
            published = reported + timedelta(days=rng.randint(5, 25))
        district.add(
            "sampling",
            {
                "sample_number": number,
                "sampled_on": day,
                "org_unit": business["org_unit"],
                "business": business["registry_number"],
                "sampling_type": kind,
                "stage": stage,
                "business_format": fmt,
                "food_category": category,
                "food_name": food,
                "department": "market_regulation",
                "conclusion": "nonconforming" if bad else "conforming",
                "reported_on": reported,
                "published_on": published,
                "disposal_completed_on": reported + timedelta(days=rng.randint(20, 80))
                if bad
                else None,
            },
        )
        _test_items(district, number, category, spec["residue"], bad, rapid)


def _test_items(
    district: District, number: str, category: str, residue: bool, bad: bool, rapid: bool
) -> None:
    rng = district.rng
    if rapid:
        items = [("有机磷和氨基甲酸酯类农药（酶抑制率法）", "pesticide_residue")]
    elif residue:
        kind = PRODUCE[category][0]
        names = PESTICIDES if kind == "pesticide_residue" else VET_DRUGS
        items = [(n, kind) for n in rng.sample(names, rng.randint(4, 6))]
        if rng.random() < 0.4:
            items.append(("铅（以Pb计）", "other"))
    else:
        items = [(n, "other") for n in rng.sample(OTHER_ITEMS, rng.randint(2, 4))]
    failing = rng.randrange(len(items)) if bad else -1
    for index, (name, item_category) in enumerate(items):
        ok = index != failing
        district.add(
            "test_items",
            {
                "batch": number,
                "name": name,
                "category": item_category,
                "result_value": ("未检出" if ok else f"{rng.randint(2, 9) * 0.1:.2f}mg/kg")
                if item_category != "other"
                else ("符合" if ok else "超标"),
                "standard_value": "≤0.05mg/kg" if item_category != "other" else "见GB 2762/2760",
                "conforming": ok,
            },
        )
