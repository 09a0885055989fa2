"""Staff and their training, stored grain and its monitoring, and the public survey."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from foodsafe.grain.models import GrainMonitoring, GrainStock
from foodsafe.surveys.models import SurveyResponse
from foodsafe.workforce.models import StaffMember, TrainingRecord

from . import ratios as R
from .geography import Geography
from .tables import DAY, Table, day, pick_from, uniform_days

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏宇浩然佳欣")
COURSES = [
    "食品安全法律法规",
    "食品生产监督检查要点",
    "餐饮服务食品安全操作规范",
    "食品安全抽样检验程序",
    "行政执法程序与文书制作",
    "食品生产经营风险分级管理",
    "学校食堂食品安全监管",
    "进口冷链食品追溯管理",
    "食品快检技术应用",
    "投诉举报处理办法",
    "网络餐饮服务监管",
    "特殊食品监督管理",
]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    s = pick_from(rng, SURNAMES, n)
    g1 = pick_from(rng, GIVEN, n)
    g2 = pick_from(rng, GIVEN, n)
    two = rng.random(n) < 0.7
    return [a + b + (c if t else "") for a, b, c, t in zip(s, g1, g2, two.tolist(), strict=True)]


def _leaf_by_population(
    rng: np.random.Generator, geo: Geography, districts: np.ndarray
) -> np.ndarray:
    """A leaf in each given district, drawn in proportion to population."""
    pop = geo.leaf_population(2021).astype(float)
    leaf_district = np.asarray(geo.leaf_district)
    out = np.empty(len(districts), dtype=np.int64)
    for d in np.unique(districts).tolist():
        rows = np.flatnonzero(districts == d)
        leaves = np.flatnonzero(leaf_district == d)
        out[rows] = rng.choice(leaves, size=len(rows), p=pop[leaves] / pop[leaves].sum())
    return out


def generate_staff(rng: np.random.Generator, geo: Geography) -> Table:
    dpop = geo.district_population(2021)
    food = rng.poisson(dpop / R.RESIDENTS_PER_INSPECTOR)
    other = rng.poisson(food * R.NON_FOOD_STAFF_SHARE)
    district = np.repeat(np.arange(len(dpop)), food + other)
    is_food = np.concatenate(
        [np.r_[np.ones(f, bool), np.zeros(o, bool)] for f, o in zip(food, other, strict=True)]
    )
    n = len(district)
    bureau = rng.random(n) < R.BUREAU_STAFF_SHARE
    leaf = _leaf_by_population(rng, geo, district)
    org = [
        geo.district_code[d] if b else geo.leaf_code[lf]
        for d, b, lf in zip(district.tolist(), bureau.tolist(), leaf.tolist(), strict=True)
    ]
    agency = [
        f"{geo.district_name[d]}市场监督管理局" if b else f"{geo.leaf_name[lf]}市场监督管理所"
        for d, b, lf in zip(district.tolist(), bureau.tolist(), leaf.tolist(), strict=True)
    ]
    share = rng.uniform(*R.PROFESSIONAL_SHARE, len(dpop))[district]
    end = day(R.SNAPSHOT)
    joined = end - np.minimum(rng.exponential(12 * 365.25, n), 35 * 365).astype(np.int64) * DAY
    leaving = (rng.random(n) < R.STAFF_LEFT_SHARE) & (joined < end)
    left_lo = np.minimum(np.maximum(joined + DAY, day(date(2020, 1, 1))), end)
    left = np.where(leaving, uniform_days(rng, left_lo, np.full(n, end)), np.datetime64("NaT"))
    d6 = [geo.district_code[d][:6] for d in district.tolist()]
    return Table(
        StaffMember,
        {
            "id": np.arange(n),
            "staff_number": [f"RY{c}{i:06d}" for c, i in zip(d6, range(1, n + 1), strict=True)],
            "name": person_names(rng, n),
            "org_unit_code": org,
            "agency": agency,
            "is_food_inspector": is_food,
            "is_professional": rng.random(n) < share,
            "joined_on": joined,
            "left_on": left,
        },
    )


def generate_trainings(rng: np.random.Generator, staff: Table) -> Table:
    is_food = staff.columns["is_food_inspector"]
    joined = staff.columns["joined_on"]
    left = staff.columns["left_on"]
    last_day = np.where(np.isnat(left), day(R.SNAPSHOT), left - DAY)
    ids, dates, courses, hours = [], [], [], []
    for year in R.YEARS:
        lo = np.maximum(joined, day(date(year, 1, 1)))
        hi = np.minimum(last_day, day(date(year, 12, 31)))
        rows = np.flatnonzero(is_food & (lo <= hi))
        m = len(rows)
        h = np.asarray(R.COURSE_HOURS)[rng.integers(0, len(R.COURSE_HOURS), (m, 10))]
        total = np.cumsum(h, axis=1)
        need = 40 + rng.uniform(0, 20, m)
        count = np.minimum((total < need[:, None]).sum(axis=1) + 1, 10)
        kind = rng.random(m)
        short = kind < R.SHORT_HOURS_SHARE + R.UNTRAINED_SHARE
        limit = rng.uniform(8, 39.5, m)
        count = np.where(short, (total <= limit[:, None]).sum(axis=1), count)
        count = np.where(kind < R.UNTRAINED_SHARE, 0, count)
        staff_rows = np.repeat(rows, count)
        k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        ids.append(staff_rows)
        courses.append(k)
        hours.append(h[np.repeat(np.arange(m), count), k])
        dates.append(uniform_days(rng, lo[staff_rows], hi[staff_rows]))
    staff_id = np.concatenate(ids)
    course = np.concatenate(courses)
    return Table(
        TrainingRecord,
        {
            "id": np.arange(len(staff_id)),
            "staff_id": staff_id,
            "trained_on": np.concatenate(dates),
            "course": [COURSES[c] for c in course.tolist()],
            "class_hours": np.concatenate(hours),
        },
        fks={"staff_id": StaffMember._meta.db_table},
    )


def generate_grain(rng: np.random.Generator, geo: Geography) -> tuple[Table, Table]:
    dpop = geo.district_population(2021)
    depots = 1 + rng.poisson(dpop / R.RESIDENTS_PER_DEPOT)
    district = np.repeat(np.arange(len(dpop)), depots)
    number = np.arange(len(district)) - np.repeat(np.cumsum(depots) - depots, depots) + 1
    leaf = _leaf_by_population(rng, geo, district)
    base = R.MEDIAN_STOCK_TONNES * rng.lognormal(0, 0.8, len(district))
    stock_rows: list[tuple[Any, ...]] = []
    mon_rows: list[tuple[Any, ...]] = []
    for year in R.YEARS:
        stock = np.round(base * rng.uniform(0.9, 1.1, len(district)), 3)
        first = len(stock_rows)
        for i in range(len(district)):
            d6 = geo.district_code[district[i]][:6]
            stock_rows.append((f"LK{d6}{number[i]:03d}", f"{geo.leaf_name[leaf[i]]}{number[i]}号粮库",
                               geo.leaf_code[leaf[i]], year, float(stock[i])))  # fmt: skip
        tests = rng.integers(3, 9, len(district))
        short = rng.random(len(district)) < R.SHORT_MONITORING_SHARE
        share = np.where(short, rng.uniform(0.10, 0.24, len(district)),
                         rng.uniform(*R.MONITORED_SHARE, len(district)))  # fmt: skip
        for i in range(len(district)):
            w = rng.dirichlet(np.ones(tests[i]))
            tonnes = np.round(stock[i] * share[i] * w, 3)
            sampled = uniform_days(rng, np.full(tests[i], day(date(year, 1, 1))),
                                   np.full(tests[i], day(date(year, 12, 31))))  # fmt: skip
            problem = rng.random(tests[i]) < R.GRAIN_PROBLEM_SHARE
            handled = sampled + rng.integers(5, 41, tests[i]) * DAY
            handled_ok = problem & (rng.random(tests[i]) < R.GRAIN_HANDLED_SHARE)
            handled_ok &= handled <= day(R.SNAPSHOT)
            for t in range(tests[i]):
                mon_rows.append((first + i, sampled[t], float(tonnes[t]), bool(problem[t]),
                                 handled[t] if handled_ok[t] else np.datetime64("NaT"),
                                 geo.district_code[district[i]][:6], year))  # fmt: skip
    stocks = Table(
        GrainStock,
        {
            "id": np.arange(len(stock_rows)),
            "depot_code": [r[0] for r in stock_rows],
            "depot_name": [r[1] for r in stock_rows],
            "org_unit_code": [r[2] for r in stock_rows],
            "year": np.asarray([r[3] for r in stock_rows]),
            "stock_tonnes": np.asarray([r[4] for r in stock_rows]),
        },
    )
    monitorings = Table(
        GrainMonitoring,
        {
            "id": np.arange(len(mon_rows)),
            "monitoring_number": [f"LJ{r[6]}{r[5]}{i + 1:06d}" for i, r in enumerate(mon_rows)],
            "stock_id": np.asarray([r[0] for r in mon_rows], dtype=np.int64),
            "sampled_on": np.asarray([r[1] for r in mon_rows], dtype="datetime64[D]"),
            "monitored_tonnes": np.asarray([r[2] for r in mon_rows]),
            "problem_found": np.asarray([r[3] for r in mon_rows], dtype=bool),
            "problem_handled_on": np.asarray([r[4] for r in mon_rows], dtype="datetime64[D]"),
        },
        fks={"stock_id": GrainStock._meta.db_table},
    )
    return stocks, monitorings


def generate_surveys(rng: np.random.Generator, geo: Geography) -> Table:
    pop = geo.leaf_population(2021).astype(float)
    leaf_district = np.asarray(geo.leaf_district)
    cols: dict[str, list] = {k: [] for k in ("leaf", "year", "day", "score", "aware")}
    for year in R.YEARS:
        wlo, whi = R.SURVEY_WINDOWS[year]
        for d in range(len(geo.district_code)):
            leaves = np.flatnonzero(leaf_district == d)
            n = R.SURVEY_RESPONSES_PER_DISTRICT + int(rng.integers(-20, 21))
            leaf = rng.choice(leaves, size=n, p=pop[leaves] / pop[leaves].sum())
            mean = rng.uniform(*R.SATISFACTION_MEAN)
            aware_p = rng.uniform(*R.AWARENESS)
            cols["leaf"].append(leaf)
            cols["year"].append(np.full(n, year))
            cols["day"].append(uniform_days(rng, np.full(n, day(wlo)), np.full(n, day(whi))))
            cols["score"].append(
                np.round(np.clip(rng.normal(mean, R.SATISFACTION_SD, n), 20, 100), 2)
            )
            aware = np.where(rng.random(n) < aware_p, 1.0, 0.0)
            cols["aware"].append(np.where(rng.random(n) < R.AWARENESS_SKIPPED_SHARE, np.nan, aware))
    leaf = np.concatenate(cols["leaf"])
    row_year = np.concatenate(cols["year"])
    aware = np.concatenate(cols["aware"])
    d6 = [geo.leaf_code[lf][:6] for lf in leaf.tolist()]
    return Table(
        SurveyResponse,
        {
            "id": np.arange(len(leaf)),
            "response_number": [
                f"WJ{y}{c}{i + 1:06d}"
                for i, (y, c) in enumerate(zip(row_year.tolist(), d6, strict=True))
            ],
            "survey_code": [f"SYN-{y}-{c}" for y, c in zip(row_year.tolist(), d6, strict=True)],
            "org_unit_code": [geo.leaf_code[lf] for lf in leaf.tolist()],
            "responded_on": np.concatenate(cols["day"]),
            "satisfaction_score": np.concatenate(cols["score"]),
            "aware_of_programme": [None if np.isnan(a) else bool(a) for a in aware.tolist()],
        },
    )
