"""Sampling batches (抽检批次) and their test items (检验项目).

Each district plans its year's batches (``ratios.BATCHES_PER_THOUSAND``): first one surveillance
batch for every stage × format cell of the plan where such businesses operate (实施方案 第6条),
then the rest by format weights, type shares and, for 6 %, the agriculture department's own
monitoring at farms. Farm produce (蔬菜, 水果, 畜禽肉, 水产品, 鲜蛋) always has a residue item;
it makes up ≈40 % of batches.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.categories import category_tree
from foodsafe.sampling.models import SamplingBatch, TestItem

from . import ratios as R
from .businesses import FORMAT_INDEX, FORMATS, Businesses
from .geography import Geography
from .tables import DAY, Picker, Table, day, shares, uniform_days

NAT = np.datetime64("NaT")
TYPE_CODE = {"surveillance": "DC", "evaluation": "PJ", "risk_monitoring": "FJ", "rapid_test": "KJ"}
PRODUCE = {  # 食用农产品: name → (weight, items, foods); the first items are residue tests
    "蔬菜": (0.35, [("毒死蜱", "P"), ("克百威", "P"), ("氧乐果", "P"), ("甲胺磷", "P"),
                    ("啶虫脒", "P"), ("铅（以Pb计）", ""), ("镉（以Cd计）", "")],
             ["菠菜", "芹菜", "韭菜", "豇豆", "黄瓜", "油麦菜"]),
    "水果类": (0.20, [("毒死蜱", "P"), ("氧乐果", "P"), ("丙溴磷", "P"), ("三唑磷", "P"),
                      ("克百威", "P")], ["苹果", "柑橘", "香蕉", "葡萄", "梨"]),
    "畜禽肉及副产品": (0.20, [("克伦特罗", "V"), ("莱克多巴胺", "V"), ("恩诺沙星", "V"),
                              ("氯霉素", "V"), ("磺胺类（总量）", "V")],
                       ["猪肉", "牛肉", "鸡肉", "羊肉", "猪肝"]),
    "水产品": (0.15, [("孔雀石绿", "V"), ("氯霉素", "V"), ("恩诺沙星", "V"),
                      ("呋喃唑酮代谢物", "V"), ("镉（以Cd计）", "")], ["草鱼", "鲈鱼", "对虾", "鲫鱼"]),
    "鲜蛋": (0.10, [("氟苯尼考", "V"), ("恩诺沙星", "V"), ("甲硝唑", "V"), ("地美硝唑", "V")],
             ["鸡蛋", "鸭蛋", "鹌鹑蛋"]),
}  # fmt: skip
PROCESSED = {
    "粮食加工品": ([("黄曲霉毒素B₁", ""), ("铅（以Pb计）", ""), ("苯并[a]芘", "")], ["大米", "小麦粉", "挂面"]),
    "肉制品": ([("亚硝酸盐", ""), ("苯甲酸及其钠盐", ""), ("山梨酸及其钾盐", ""), ("菌落总数", "")],
               ["酱卤肉", "火腿肠", "熏煮香肠"]),
    "乳制品": ([("三聚氰胺", ""), ("蛋白质", ""), ("菌落总数", ""), ("大肠菌群", "")], ["纯牛奶", "酸奶"]),
    "饮料": ([("菌落总数", ""), ("大肠菌群", ""), ("苯甲酸及其钠盐", ""), ("甜蜜素", "")],
             ["果汁饮料", "包装饮用水"]),
    "糕点": ([("酸价", ""), ("过氧化值", ""), ("菌落总数", ""), ("霉菌", ""), ("脱氢乙酸及其钠盐", "")],
             ["蛋糕", "面包", "月饼"]),
    "调味品": ([("氨基酸态氮", ""), ("苯甲酸及其钠盐", ""), ("山梨酸及其钾盐", "")], ["酱油", "食醋"]),
    "豆制品": ([("苯甲酸及其钠盐", ""), ("脱氢乙酸及其钠盐", ""), ("铝的残留量", "")], ["豆腐", "腐竹"]),
    "食用油、油脂及其制品": ([("酸价", ""), ("过氧化值", ""), ("苯并[a]芘", "")], ["花生油", "大豆油"]),
    "餐饮食品": ([("大肠菌群", ""), ("亚硝酸盐", ""), ("苯甲酸及其钠盐", ""), ("铝的残留量", ""),
                  ("阴离子合成洗涤剂", "")], ["凉拌菜", "复用餐饮具", "油条", "卤菜", "米饭"]),
}  # fmt: skip
#: Share of farm produce among the batches taken at each format [I] (see ratios: ≈40 % overall).
PRODUCE_SHARE = {"produce_market": 0.85, "wholesale_market": 0.85, "supermarket": 0.45,
                 "grocery": 0.20, "online": 0.0, "agriculture": 1.0}  # fmt: skip
CATERING_FORMATS = ("restaurant", "small_eatery", "school_canteen", "central_kitchen")
STAGE = {"production": "production", "sales": "circulation", "catering": "catering"}


CATEGORIES = list(PRODUCE) + list(PROCESSED)
ITEMS = {**{k: v[1] for k, v in PRODUCE.items()}, **{k: v[0] for k, v in PROCESSED.items()}}
FOODS = {**{k: v[2] for k, v in PRODUCE.items()}, **{k: v[1] for k, v in PROCESSED.items()}}
ITEM_CATEGORY = {"P": "pesticide_residue", "V": "vet_drug_residue", "": "other"}


def _plan(rng: np.random.Generator, geo: Geography, biz: Businesses, year: int):
    """(business row or −1, source format name, stage, district, coverage flag) per batch."""
    act, _, _ = biz.active_in(date(year, 1, 1), date(year, 12, 31))
    rows = np.flatnonzero(act)
    nf = len(FORMATS)
    by_format = Picker(biz.district[rows] * nf + biz.fmt[rows], rows)
    by_district = Picker(biz.district[rows], rows)
    n_d = len(geo.district_code)
    lo, hi = R.BATCHES_PER_THOUSAND[year]
    total = np.round(rng.uniform(lo, hi, n_d) * geo.district_population(year) / 1000).astype(int)

    districts, formats, stages, covering = [], [], [], []
    for stage, fmt in R.REQUIRED_CELLS:
        cell_source = "restaurant" if fmt == "ordering_platform" else fmt
        districts.append(np.arange(n_d))
        formats.append(np.full(n_d, "online" if stage == "online" else cell_source, dtype=object))
        stages.append(np.full(n_d, stage, dtype=object))
        covering.append(np.ones(n_d, dtype=bool))
    cov_d = np.concatenate(districts)
    cov_f = np.concatenate(formats)
    src = np.asarray([FORMAT_INDEX["restaurant" if f == "online" else f] for f in cov_f])
    available = by_format.count(cov_d * nf + src) > 0
    n_cov = np.bincount(cov_d[available], minlength=n_d)
    rest = np.maximum(total - n_cov, 0)
    d_rest = np.repeat(np.arange(n_d), rest)
    slots, p = shares(R.SAMPLING_FORMAT_WEIGHTS)
    slot = np.asarray(slots, dtype=object)[rng.choice(len(slots), len(d_rest), p=p)]
    slot = np.where(rng.random(len(d_rest)) < R.AGRICULTURE_SHARE, "agriculture", slot)
    district = np.r_[cov_d[available], d_rest]
    fmt = np.r_[cov_f[available], slot]
    cover = np.r_[np.ones(available.sum(), bool), np.zeros(len(d_rest), bool)]
    source_name = np.where(
        fmt == "online", np.where(rng.random(len(fmt)) < 0.5, "restaurant", "small_eatery"), fmt
    )
    source = np.asarray([FORMAT_INDEX.get(f, -1) for f in source_name])
    business = by_format.pick(rng, district * nf + np.maximum(source, 0))
    fallback = by_district.pick(rng, district)
    business = np.where(fmt == "agriculture", -1, np.where(business >= 0, business, fallback))
    return business, fmt, district, cover


def generate_sampling(
    rng: np.random.Generator, geo: Geography, biz: Businesses
) -> tuple[Table, Table]:
    parts = []
    for year in R.YEARS:
        business, fmt, district, cover = _plan(rng, geo, biz, year)
        m = len(business)
        types, p = shares(R.SAMPLING_TYPE_SHARES)
        stype = np.asarray(types, dtype=object)[rng.choice(len(types), m, p=p)]
        agri = fmt == "agriculture"
        stype = np.where(
            agri, np.where(rng.random(m) < 0.7, "risk_monitoring", "surveillance"), stype
        )
        stype = np.where(cover, "surveillance", stype)
        _, lo, hi = biz.active_in(date(year, 1, 1), date(year, 12, 31))
        b = np.maximum(business, 0)
        y_lo, y_hi = day(date(year, 1, 1)), day(date(year, 12, 31))
        sampled = uniform_days(rng, np.where(agri, y_lo, lo[b]), np.where(agri, y_hi, hi[b]))
        pop = geo.leaf_population(year).astype(float)
        leaf_district = np.asarray(geo.leaf_district)
        leaf = np.where(agri, 0, biz.leaf[b])
        for d in np.unique(district[agri]).tolist():
            rows = np.flatnonzero(agri & (district == d))
            leaves = np.flatnonzero(leaf_district == d)
            leaf[rows] = rng.choice(leaves, len(rows), p=pop[leaves] / pop[leaves].sum())
        real_fmt = np.asarray(FORMATS, dtype=object)[biz.fmt[b]]
        sector = np.asarray([R.SECTOR_OF_FORMAT[f] for f in FORMATS], dtype=object)[biz.fmt[b]]
        stage = np.asarray([STAGE[s] for s in sector], dtype=object)
        stage = np.where(fmt == "online", "online", np.where(agri, "production", stage))
        bformat = np.where(fmt == "online", "ordering_platform", np.where(agri, "other", real_fmt))
        parts.append(
            (business, stype, stage, bformat, sampled, leaf, district, np.full(m, year), agri)
        )
    business, stype, stage, bformat, sampled, leaf, district, row_year, agri = (
        np.concatenate([p[i] for p in parts]) for i in range(9)
    )
    n = len(business)
    catering = np.isin(bformat, CATERING_FORMATS + ("ordering_platform",))
    produce_p = np.asarray(
        [PRODUCE_SHARE.get(f, 0.15 if c else 0.0) for f, c in zip(bformat, catering, strict=True)]
    )
    produce_p = np.where(agri, 1.0, produce_p)
    produce = rng.random(n) < produce_p
    names, weights = list(PRODUCE), np.asarray([v[0] for v in PRODUCE.values()])
    produce_cat = np.asarray(names, dtype=object)[
        rng.choice(len(names), n, p=weights / weights.sum())
    ]
    processed = [c for c in PROCESSED if c != "餐饮食品"]
    other_cat = np.asarray(processed, dtype=object)[rng.integers(0, len(processed), n)]
    dish = catering & (rng.random(n) < 0.85)
    category = np.where(produce, produce_cat, np.where(dish, "餐饮食品", other_cat))
    food = [
        FOODS[c][i % len(FOODS[c])]
        for c, i in zip(category, rng.integers(0, 60, n).tolist(), strict=True)
    ]

    pass_p = np.asarray([R.PASS_RATE[t] for t in stype])
    conforming = rng.random(n) < pass_p
    snapshot = day(R.SNAPSHOT)
    reported = sampled + rng.integers(5, 26, n) * DAY
    pending = reported > snapshot
    conclusion = np.where(pending, "pending", np.where(conforming, "conforming", "nonconforming"))
    published = reported + rng.integers(10, 41, n) * DAY
    publish = ~pending & np.isin(stype, ["surveillance", "evaluation"]) & (published <= snapshot)
    late = rng.random(n) < 0.05
    disposed = reported + np.where(late, rng.integers(91, 151, n), rng.integers(20, 86, n)) * DAY
    dispose = (conclusion == "nonconforming") & (disposed <= snapshot)
    d6 = [geo.district_code[d][:6] for d in district.tolist()]
    batches = Table(
        SamplingBatch,
        {
            "id": np.arange(n),
            "sample_number": [
                f"{TYPE_CODE[t]}{y % 100}{c}{i + 1:07d}"
                for i, (t, y, c) in enumerate(zip(stype, row_year.tolist(), d6, strict=True))
            ],
            "sampled_on": sampled,
            "org_unit_code": [geo.leaf_code[lf] for lf in leaf.tolist()],
            "business_id": business,
            "sampling_type": stype.tolist(),
            "stage": stage.tolist(),
            "business_format": bformat.tolist(),
            "food_category": category.tolist(),
            "category_code": _category_codes(category),
            "food_name": food,
            "department": np.where(agri, "agriculture", "market_regulation").tolist(),
            "conclusion": conclusion.tolist(),
            "reported_on": np.where(pending, NAT, reported),
            "published_on": np.where(publish, published, NAT),
            "disposal_completed_on": np.where(dispose, disposed, NAT),
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )
    return batches, _test_items(rng, category, produce, conclusion)


def _category_codes(category: np.ndarray) -> list[str]:
    """The category tree's code of each batch's category name (one lookup per distinct name)."""
    tree = category_tree()
    codes = {name: tree.resolve(name).code for name in set(category.tolist())}
    return [codes[name] for name in category.tolist()]


def _test_items(
    rng: np.random.Generator, category: np.ndarray, produce: np.ndarray, conclusion: np.ndarray
) -> Table:
    lo, hi = R.TEST_ITEMS_RANGE
    batch_ids: list[np.ndarray] = []
    names: list[str] = []
    cats: list[str] = []
    values: list[str] = []
    standards: list[str] = []
    ok = []
    for cat in CATEGORIES:
        rows = np.flatnonzero(category == cat)
        if not len(rows):
            continue
        items = ITEMS[cat]
        width = len(items)
        keys = rng.random((len(rows), width))
        residue = np.flatnonzero([kind != "" for _, kind in items])
        if cat in PRODUCE and len(residue):
            forced = residue[rng.integers(0, len(residue), len(rows))]
            keys[np.arange(len(rows)), forced] = -1.0
        rank = np.argsort(keys, axis=1)
        k = np.minimum(rng.integers(lo, hi + 1, len(rows)), width)
        take = np.arange(width)[None, :] < k[:, None]
        row_of = np.repeat(rows, k)
        item_of = rank[take]
        first = np.zeros(take.shape, dtype=bool)
        first[:, 0] = True
        first = first[take]
        bad = first & (conclusion[row_of] == "nonconforming")
        kinds = [items[i][1] for i in item_of.tolist()]
        batch_ids.append(row_of)
        names.extend(items[i][0] for i in item_of.tolist())
        cats.extend(ITEM_CATEGORY[kd] for kd in kinds)
        pending = conclusion[row_of] == "pending"
        values.extend(
            "" if p else (f"{v:.3f}mg/kg" if b else ("未检出" if kd else "符合"))
            for p, b, kd, v in zip(
                pending.tolist(),
                bad.tolist(),
                kinds,
                rng.uniform(0.05, 2, len(row_of)).tolist(),
                strict=True,
            )
        )
        standards.extend("≤0.05mg/kg" if kd else "" for kd in kinds)
        ok.append(~bad)
    batch_id = np.concatenate(batch_ids)
    order = np.argsort(batch_id, kind="stable")
    return Table(
        TestItem,
        {
            "id": np.arange(len(batch_id)),
            "batch_id": batch_id[order],
            "name": [names[i] for i in order.tolist()],
            "category": [cats[i] for i in order.tolist()],
            "result_value": [values[i] for i in order.tolist()],
            "standard_value": [standards[i] for i in order.tolist()],
            "conforming": np.concatenate(ok)[order],
        },
        fks={"batch_id": SamplingBatch._meta.db_table},
    )
