"""Food businesses (registry), their school canteens and self-inspection reports.

USCCs are valid GB 32100-2015 codes (check characters computed, ``stdnum.cn.uscc`` accepts them)
whose division part is the synthetic district code, so they cannot clash with real operators.
Licence numbers follow the JY/SC layout (JY + 主体业态 1 + division 6 + serial 6 + check 1; SC +
category 3 (1 + 01–31) + division 6 + serial 4 + check 1); the check digit is a mod-10 digit made
up here [I] (the official algorithm is not published). Their division part is the synthetic
9x code, which the import parser's GB/T 2260 province check would reject: synthetic data are
written directly, never imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from foodsafe.registry.models import FoodBusiness
from foodsafe.schools.models import SchoolCanteen
from foodsafe.selfinspections.models import SelfInspectionReport

from . import ratios as R
from .geography import Geography
from .tables import DAY, Table, day, pick_from, shares, uniform_days

FORMATS = list(R.SECTOR_OF_FORMAT)
FORMAT_INDEX = {f: i for i, f in enumerate(FORMATS)}
NOUNS = {
    "manufacturer": "食品有限公司",
    "small_workshop": "食品加工坊",
    "supermarket": "超市",
    "grocery": "便利店",
    "chain_hq": "商业连锁有限公司",
    "large_wholesaler": "食品批发有限公司",
    "wholesale_market": "食品批发市场",
    "produce_market": "农贸市场",
    "food_stall": "小吃摊",
    "other": "食品经营部",
    "restaurant": "酒家",
    "small_eatery": "小吃店",
    "school_canteen": "食堂",
    "workplace_canteen": "职工食堂",
    "central_kitchen": "中央厨房",
    "group_meal_distributor": "餐饮配送有限公司",
    "ordering_platform": "网络科技有限公司",
}
BRANDS = list("鑫华福康顺兴隆盛泰和祥瑞丰源安嘉宏昌德润佳美惠民利达金银家乐新旺永益")
ROADS = ["和平路", "南京路", "建设路", "人民路", "解放路", "新华路", "长江道", "黄河道", "友谊路"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.asarray([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
ORG_WEIGHTS = np.asarray([3, 7, 9, 10, 5, 8, 4, 2])
#: USCC 登记管理部门 + 机构类别: 91 enterprise, 92 individual business, 12 public institution.
USCC_KIND = {"grocery": "92", "small_eatery": "92", "small_workshop": "92", "other": "92",
             "school_canteen": "12"}  # fmt: skip
#: JY 主体业态 digit: 1 食品销售经营者, 2 餐饮服务经营者, 3 单位食堂 (by sector, canteens by format).
JY_KIND = {"sales": "1", "catering": "2", "school_canteen": "3", "workplace_canteen": "3"}


@dataclass
class Businesses:
    """The generated businesses with what later generators need to know about them."""

    table: Table
    leaf: np.ndarray
    district: np.ndarray
    fmt: np.ndarray
    risk: np.ndarray  # 0–3 for A–D
    #: first and last day the business operates (opening unknown → 1990-01-01; closed without
    #: a date → before 2020)
    open_from: np.ndarray
    open_to: np.ndarray

    def active_in(self, lo: date, hi: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mask, first day, last day) of each business's operation within ``[lo, hi]``."""
        first = np.maximum(self.open_from, day(lo))
        last = np.minimum(self.open_to, day(hi))
        return first <= last, first, last


def uscc_codes(kinds: list[str], divisions: list[str], serials: np.ndarray) -> list[str]:
    """Valid USCCs: kind (2) + division (6) + organisation code (8 digits + GB 11714 check)."""
    digits = np.asarray([[int(ch) for ch in f"{s:08d}"] for s in serials.tolist()], dtype=np.int64)
    digits = digits.reshape(len(serials), 8)
    org_check = 11 - (digits * ORG_WEIGHTS).sum(axis=1) % 11
    org_chars = np.where(
        org_check == 10, "X", np.where(org_check == 11, "0", org_check.astype(str))
    )
    bodies = [
        f"{k}{d}{s:08d}{c}"
        for k, d, s, c in zip(kinds, divisions, serials.tolist(), org_chars.tolist(), strict=True)
    ]
    index = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
    values = np.asarray([[index[ch] for ch in b] for b in bodies], dtype=np.int64)
    values = values.reshape(len(bodies), 17)
    check = (31 - (values * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return [b + USCC_ALPHABET[c] for b, c in zip(bodies, check.tolist(), strict=True)]


def _mod10(numbers: list[str]) -> list[str]:
    return [n + str(sum(int(ch) * (i % 3 + 1) for i, ch in enumerate(n[2:])) % 10) for n in numbers]


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based running number of each row within its group (rows keep their order)."""
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    run = np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = run
    return rank


def generate_businesses(rng: np.random.Generator, geo: Geography) -> Businesses:
    pop = geo.leaf_population(2021)
    leaf_district = np.asarray(geo.leaf_district)
    leaves, fmts = [], []
    for f, rate in R.BUSINESSES_PER_THOUSAND.items():
        counts = rng.poisson(rate * pop / 1000)
        leaves.append(np.repeat(np.arange(len(pop)), counts))
        fmts.append(np.full(counts.sum(), FORMAT_INDEX[f]))
    counts = rng.poisson(R.PRODUCE_MARKETS_PER_THOUSAND * pop / 1000)
    leaves.append(np.repeat(np.arange(len(pop)), counts))
    fmts.append(np.full(counts.sum(), FORMAT_INDEX["produce_market"]))
    # A few per district, at a leaf drawn by population; formats that must self-report ≥ 1.
    dpop = geo.district_population(2021)
    for f, mean in R.BUSINESSES_PER_DISTRICT.items():
        scaled = mean * np.sqrt(dpop / 350_000)
        if f in R.MUST_SELF_REPORT:
            counts = 1 + rng.poisson(np.maximum(scaled - 1, 0))
        else:
            counts = rng.poisson(scaled)
        for d, k in enumerate(counts.tolist()):
            in_d = np.flatnonzero(leaf_district == d)
            leaves.append(rng.choice(in_d, size=k, p=pop[in_d] / pop[in_d].sum()))
            fmts.append(np.full(k, FORMAT_INDEX[f]))
    leaf = np.concatenate(leaves)
    fmt = np.concatenate(fmts)
    order = np.lexsort((fmt, leaf))
    leaf, fmt = leaf[order], fmt[order]
    n = len(leaf)
    district = leaf_district[leaf]

    fmt_names = np.asarray(FORMATS, dtype=object)[fmt]
    sector = np.asarray([R.SECTOR_OF_FORMAT[f] for f in FORMATS], dtype=object)[fmt]
    high = np.isin(fmt, [FORMAT_INDEX[f] for f in R.HIGH_RISK_FORMATS])
    risk = np.where(
        high,
        rng.choice(4, size=n, p=R.RISK_SHARES_HIGH),
        rng.choice(4, size=n, p=R.RISK_SHARES_OTHER),
    )

    end = day(R.SNAPSHOT)
    age_days = np.minimum(rng.exponential(R.MEAN_AGE_YEARS * 365.25, n), 30 * 365).astype(np.int64)
    opened = end - age_days * DAY
    no_open = rng.random(n) < R.NO_OPENING_DATE_SHARE
    closing = (rng.random(n) < R.CLOSED_SHARE) & (opened < end)
    close_lo = np.maximum(opened + DAY, day(date(2018, 1, 1)))
    closed_on = np.where(
        closing, uniform_days(rng, np.minimum(close_lo, end), end), np.datetime64("NaT")
    )
    undated = closing & (rng.random(n) < R.CLOSED_WITHOUT_DATE_SHARE)
    closed_on = np.where(undated, np.datetime64("NaT"), closed_on)
    open_from = np.where(no_open, day(date(1990, 1, 1)), opened)
    open_to = np.where(closing, closed_on - DAY, end)
    open_to = np.where(undated, day(date(2019, 12, 31)), open_to)

    serial = np.arange(1, n + 1)
    d6 = [geo.district_code[d][:6] for d in district.tolist()]
    has_uscc = ~np.isin(fmt, [FORMAT_INDEX[f] for f in R.NO_USCC_FORMATS])
    kinds = [USCC_KIND.get(f, "91") for f in fmt_names.tolist()]
    uscc_all = uscc_codes(kinds, d6, serial)
    uscc = [u if h else None for u, h in zip(uscc_all, has_uscc.tolist(), strict=True)]
    licensed = ~np.isin(fmt, [FORMAT_INDEX[f] for f in R.UNLICENSED_FORMATS + ("food_stall",)])
    rank = _rank_within(district * 2 + (sector == "production"))
    category = rng.integers(101, 132, n)
    licence_body = [
        f"SC{c}{d}{r + 1:04d}"
        if s == "production"
        else f"JY{JY_KIND.get(f, JY_KIND[s])}{d}{r + 1:06d}"
        for s, f, d, r, c in zip(
            sector.tolist(), fmt_names.tolist(), d6, rank.tolist(), category.tolist(), strict=True
        )
    ]
    licence_all = _mod10(licence_body)
    licence = [x if ok else None for x, ok in zip(licence_all, licensed.tolist(), strict=True)]

    brand = pick_from(rng, BRANDS, n), pick_from(rng, BRANDS, n)
    names = [
        f"{a}{b}{NOUNS[f]}" for a, b, f in zip(brand[0], brand[1], fmt_names.tolist(), strict=True)
    ]
    road = pick_from(rng, ROADS, n)
    number = rng.integers(1, 400, n)
    address = [
        f"{geo.leaf_name[lf]}{r}{k}号"
        for lf, r, k in zip(leaf.tolist(), road, number.tolist(), strict=True)
    ]
    table = Table(
        FoodBusiness,
        {
            "id": np.arange(n),
            "registry_number": [f"DJ{d}{s:07d}" for d, s in zip(d6, serial.tolist(), strict=True)],
            "name": names,
            "uscc": uscc,
            "licence_number": licence,
            "sector": sector.tolist(),
            "business_format": fmt_names.tolist(),
            "org_unit_code": [geo.leaf_code[i] for i in leaf.tolist()],
            "address": address,
            "status": np.where(closing, "closed", "active").tolist(),
            "opened_on": np.where(no_open, np.datetime64("NaT"), opened),
            "closed_on": closed_on,
            "risk_level": np.asarray(list("ABCD"), dtype=object)[risk].tolist(),
        },
    )
    return Businesses(table, leaf, district, fmt, risk, open_from, open_to)


def generate_canteens(rng: np.random.Generator, geo: Geography, biz: Businesses) -> Table:
    rows = np.flatnonzero(biz.fmt == FORMAT_INDEX["school_canteen"])
    n = len(rows)
    types, p = shares(R.SCHOOL_TYPE_SHARES)
    school_type = pick_from(rng, types, n, p)
    label = {"kindergarten": "幼儿园", "primary": "小学", "secondary": "中学",
             "vocational": "职业学校", "other": "学校"}  # fmt: skip
    number = _rank_within(biz.leaf[rows]) + 1
    names = [
        f"{geo.leaf_name[lf]}第{k}{label[t]}"
        for lf, k, t in zip(biz.leaf[rows].tolist(), number.tolist(), school_type, strict=True)
    ]
    live_lo = np.maximum(biz.open_from[rows], day(date(2017, 1, 1)))
    live_lo = np.minimum(live_lo, day(R.SNAPSHOT))
    live = uniform_days(rng, live_lo, np.full(n, day(R.SNAPSHOT)))
    has = rng.random(n) < R.BRIGHT_KITCHEN_SHARE
    return Table(
        SchoolCanteen,
        {
            "id": np.arange(n),
            "business_id": rows,
            "school_name": names,
            "school_type": list(school_type),
            "bright_kitchen_on": np.where(has, live, np.datetime64("NaT")),
            "principal_responsibility": rng.random(n) < 0.99,
            "accompanied_meal": rng.random(n) < 0.97,
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def generate_self_reports(rng: np.random.Generator, biz: Businesses) -> Table:
    must = np.isin(biz.fmt, [FORMAT_INDEX[f] for f in R.MUST_SELF_REPORT])
    voluntary = np.isin(biz.fmt, [FORMAT_INDEX[f] for f in R.VOLUNTARY_SELF_REPORT])
    business, submitted = [], []
    n = len(must)
    for year in R.YEARS:
        reporting = must & (rng.random(n) >= R.SELF_REPORT_MISSING_SHARE)
        for q in range(4):
            q_lo = date(year, 3 * q + 1, 1)
            q_hi = date(year, 3 * q + 3, 31 if q in (0, 3) else 30)
            active, lo, hi = biz.active_in(q_lo, q_hi)
            rows = np.flatnonzero(reporting & active & (rng.random(n) < R.QUARTERLY_REPORT_SHARE))
            business.append(rows)
            submitted.append(uniform_days(rng, lo[rows], hi[rows]))
        active, lo, hi = biz.active_in(date(year, 1, 1), date(year, 12, 31))
        chosen = rng.random(n) < R.VOLUNTARY_SELF_REPORT_SHARE
        rows = np.flatnonzero(voluntary & active & chosen)
        business.append(rows)
        submitted.append(uniform_days(rng, lo[rows], hi[rows]))
    b = np.concatenate(business)
    s = np.concatenate(submitted)
    keep = ~_duplicated(b, s)
    b, s = b[keep], s[keep]
    n = len(b)
    return Table(
        SelfInspectionReport,
        {
            "id": np.arange(n),
            "business_id": b,
            "submitted_on": s,
            "problems_found": rng.poisson(1.5, n),
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def _duplicated(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rows whose (a, b) pair appeared earlier."""
    key = a.astype(np.int64) * 100_000 + b.astype("datetime64[D]").astype(np.int64)
    _, first = np.unique(key, return_index=True)
    dup = np.ones(len(key), dtype=bool)
    dup[first] = False
    return dup
