"""Risk monitoring and emergency response (issue 19): sentinel medical institutions, their
monthly reports and foodborne-disease events (实施方案 第3条); emergency-plan revisions and
drills (第14条)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from foodsafe.emergency.models import Drill, PlanRevision
from foodsafe.sentinels.models import DiseaseEvent, SentinelInstitution, SentinelReport

from . import ratios as R
from .geography import Geography
from .tables import Table


def generate_sentinels(rng: np.random.Generator, geo: Geography) -> tuple[Table, Table, Table]:
    """Institutions (the first subdistrict of each district, others at
    ``R.SENTINEL_LEAF_SHARE``), a report per month of ``R.YEARS`` (``R.SENTINEL_MISSED_SHARE``
    missed) and ``R.DISEASE_EVENTS_PER_DISTRICT`` events per district a year, a few late."""
    first_leaf: dict[int, int] = {}
    for leaf, district in enumerate(geo.leaf_district):
        first_leaf.setdefault(district, leaf)
    chosen = sorted(
        set(first_leaf.values())
        | {i for i in range(len(geo.leaf_code)) if rng.random() < R.SENTINEL_LEAF_SHARE}
    )
    codes = [f"YY{geo.leaf_code[i][:9]}" for i in chosen]
    institutions = Table(
        SentinelInstitution,
        {
            "id": np.arange(len(chosen)),
            "code": codes,
            "name": [f"{geo.leaf_name[i]}监测医院" for i in chosen],
            "org_unit_code": [geo.leaf_code[i] for i in chosen],
            "designated_on": np.full(len(chosen), np.datetime64("2019-01-01", "D")),
        },
    )
    inst, month, reported = [], [], []
    for k in range(len(chosen)):
        for year in R.YEARS:
            for m in range(1, 13):
                if rng.random() < R.SENTINEL_MISSED_SHARE:
                    continue
                first = date(year, m, 1)
                nxt = date(year + m // 12, m % 12 + 1, 1)
                inst.append(k)
                month.append(first)
                reported.append(nxt + timedelta(days=int(rng.integers(0, 5))))
    n = len(inst)
    reports = Table(
        SentinelReport,
        {
            "id": np.arange(n),
            "institution_id": np.asarray(inst, dtype=np.int64),
            "month": np.asarray(month, dtype="datetime64[D]"),
            "reported_on": np.asarray(reported, dtype="datetime64[D]"),
            "cases": rng.integers(0, 8, n),
        },
        fks={"institution_id": SentinelInstitution._meta.db_table},
    )
    by_district: dict[int, list[int]] = {}
    for k, leaf in enumerate(chosen):
        by_district.setdefault(geo.leaf_district[leaf], []).append(k)
    numbers: list[str] = []
    units: list[str] = []
    reporters: list[int] = []
    found: list[date] = []
    late: list[bool] = []
    for district, members in sorted(by_district.items()):
        for year in R.YEARS:
            for _ in range(int(rng.poisson(R.DISEASE_EVENTS_PER_DISTRICT))):
                k = members[int(rng.integers(0, len(members)))]
                numbers.append(f"SYX{year}{geo.district_code[district][:6]}{len(numbers) + 1:05d}")
                units.append(geo.leaf_code[chosen[k]])
                reporters.append(k)
                found.append(date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365))))
                late.append(rng.random() < R.LATE_EVENT_SHARE)
    n = len(numbers)
    found_d = np.asarray(found, dtype="datetime64[D]")
    delay = np.where(np.asarray(late, dtype=bool), 3, rng.integers(0, 2, n)).astype(
        "timedelta64[D]"
    )
    events = Table(
        DiseaseEvent,
        {
            "id": np.arange(n),
            "event_number": numbers,
            "org_unit_code": units,
            "institution_id": np.asarray(reporters, dtype=np.int64),
            "found_on": found_d,
            "reported_on": found_d + delay,
            "cases": rng.integers(2, 10, n),
        },
        fks={"institution_id": SentinelInstitution._meta.db_table},
    )
    return institutions, reports, events


def generate_emergency(rng: np.random.Generator, geo: Geography) -> tuple[Table, Table]:
    """Each district's emergency plan (last revised 2019–2021, ``R.STALE_PLAN_SHARE`` in
    2017) and a live drill in the office's name most years (``R.DRILL_SHARE``)."""
    codes, names, units, revised = [], [], [], []
    drill_numbers, drill_units, held, organiser = [], [], [], []
    for code, name in zip(geo.district_code, geo.district_name, strict=True):
        year = 2017 if rng.random() < R.STALE_PLAN_SHARE else int(rng.integers(2019, 2022))
        codes.append(f"YA{code[:6]}")
        names.append(f"{name}食品安全事故应急预案")
        units.append(code)
        revised.append(date(year, int(rng.integers(1, 13)), 1))
        for y in R.YEARS:
            if rng.random() < R.DRILL_SHARE:
                drill_numbers.append(f"YL{y}{code[:6]}")
                drill_units.append(code)
                held.append(date(y, int(rng.integers(3, 12)), int(rng.integers(1, 29))))
                organiser.append("office" if rng.random() < 0.7 else "government")
    plans = Table(
        PlanRevision,
        {
            "id": np.arange(len(codes)),
            "plan_code": codes,
            "plan_name": names,
            "org_unit_code": units,
            "revised_on": np.asarray(revised, dtype="datetime64[D]"),
        },
    )
    n = len(drill_numbers)
    drills = Table(
        Drill,
        {
            "id": np.arange(n),
            "drill_number": drill_numbers,
            "org_unit_code": drill_units,
            "held_on": np.asarray(held, dtype="datetime64[D]"),
            "organiser": organiser,
            "kind": ["live"] * n,
            "scenario": ["食物中毒事件处置"] * n,
        },
    )
    return plans, drills
