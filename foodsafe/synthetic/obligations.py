"""Operators' obligations (issue 19): liability insurance policies (实施方案 第20条) and the
registration or filing of the "three smalls" (第17条), food handlers' health certificates and
producers' GMP/HACCP certificates (第18条)."""

from __future__ import annotations

from datetime import date

import numpy as np

from foodsafe.handlers.models import FoodHandler, SystemCertificate
from foodsafe.insurance.models import LiabilityPolicy
from foodsafe.registry.models import FoodBusiness

from . import ratios as R
from .businesses import FORMAT_INDEX, Businesses
from .tables import DAY, Table, day, strs, uniform_days


def generate_policies(rng: np.random.Generator, biz: Businesses) -> Table:
    """One-year liability policies of the formats that must insure, for each year they operate:
    most renew on the old policy's anniversary; a few let it lapse (``R.POLICY_LAPSE_SHARE``)
    and a few never insure (``R.UNINSURED_SHARE``)."""
    formats = [FORMAT_INDEX[f] for f in R.INSURED_FORMATS]
    rows = np.flatnonzero(np.isin(biz.fmt, formats))
    insured = rows[rng.random(len(rows)) >= R.UNINSURED_SHARE]
    # Each insured business's policy year starts on a fixed day of 2020 (its anniversary).
    first = uniform_days(rng, day(date(2020, 1, 1)), np.full(len(insured), day(date(2020, 12, 31))))
    business, starts, ends = [], [], []
    for year_offset in range(len(R.YEARS)):
        start = first + np.asarray(365 * year_offset, dtype=np.int64) * DAY
        keep = (rng.random(len(insured)) >= R.POLICY_LAPSE_SHARE) & (start <= day(R.SNAPSHOT))
        keep &= start <= biz.open_to[insured]
        business.append(insured[keep])
        starts.append(start[keep])
        ends.append(start[keep] + 364 * DAY)
    b, s, e = np.concatenate(business), np.concatenate(starts), np.concatenate(ends)
    n = len(b)
    return Table(
        LiabilityPolicy,
        {
            "id": np.arange(n),
            "policy_number": strs("BD", np.arange(1, n + 1), 8),
            "insurer": ["合成财产保险股份有限公司"] * n,
            "business_id": b,
            "starts_on": s,
            "ends_on": e,
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def add_registrations(rng: np.random.Generator, biz: Businesses) -> None:
    """Give the "three smalls" their registration or filing number (登记证、备案卡, kept in the
    registry's 许可证编号) and date, in place: most registered within a month of opening
    (an unknown opening: in 2015), ``R.UNREGISTERED_SHARE`` never."""
    rows = np.flatnonzero(np.isin(biz.fmt, [FORMAT_INDEX[f] for f in R.UNLICENSED_FORMATS]))
    keep = rows[rng.random(len(rows)) >= R.UNREGISTERED_SHARE]
    opened = biz.table.columns["opened_on"][keep]
    base = np.where(np.isnat(opened), day(date(2015, 1, 1)), opened)
    on = base + rng.integers(0, 31, len(keep)) * DAY
    licence = list(biz.table.columns["licence_number"])
    registered = np.full(len(licence), np.datetime64("NaT"), dtype="datetime64[D]")
    numbers = biz.table.columns["registry_number"]
    for row in keep.tolist():
        licence[row] = f"DJB{numbers[row][2:]}"
    registered[keep] = on
    biz.table.columns["licence_number"] = licence
    biz.table.columns["registered_on"] = registered


def generate_handlers(rng: np.random.Generator, biz: Businesses) -> Table:
    """Rosters of the formats whose staff handle ready-to-eat food (``R.HANDLERS_PER_BUSINESS``
    per business on average, at least one), for the businesses operating at the snapshot; each
    handler's certificate runs a year from a day in 2021, ``R.EXPIRED_CERTIFICATE_SHARE`` of
    them already expired (a gap)."""
    operating = biz.open_to >= day(R.SNAPSHOT)
    formats = [FORMAT_INDEX[f] for f in R.HANDLER_FORMATS]
    rows = np.flatnonzero(np.isin(biz.fmt, formats) & operating)
    per = 1 + rng.poisson(R.HANDLERS_PER_BUSINESS - 1, len(rows))
    business = np.repeat(rows, per)
    n = len(business)
    # 1, 2, … within each business.
    within = np.arange(n) - np.repeat(np.cumsum(per) - per, per) + 1
    issued = uniform_days(rng, day(date(2021, 1, 1)), np.full(n, day(R.SNAPSHOT)))
    valid = issued + 364 * DAY
    expired = rng.random(n) < R.EXPIRED_CERTIFICATE_SHARE
    valid = np.where(expired, issued - rng.integers(1, 200, n) * DAY, valid)
    return Table(
        FoodHandler,
        {
            "id": np.arange(n),
            "business_id": business,
            "staff_number": strs("", within, 3),
            "name": ["合成某"] * n,
            "role": ["从业人员"] * n,
            "direct_contact": np.ones(n, dtype=bool),
            "certificate_number": strs("JKZ", np.arange(1, n + 1), 9),
            "valid_until": valid,
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def generate_certificates(rng: np.random.Generator, biz: Businesses) -> Table:
    """Mark ``R.ABOVE_SIZE_SHARE`` of the manufacturers 规模以上 (in place) and give
    ``R.CERTIFIED_SHARE`` of those a three-year HACCP certificate valid at the snapshot."""
    makers = np.flatnonzero(biz.fmt == FORMAT_INDEX["manufacturer"])
    above = makers[rng.random(len(makers)) < R.ABOVE_SIZE_SHARE]
    flags = np.zeros(len(biz.fmt), dtype=bool)
    flags[above] = True
    biz.table.columns["above_designated_size"] = flags
    certified = above[rng.random(len(above)) < R.CERTIFIED_SHARE]
    n = len(certified)
    issued = uniform_days(rng, day(date(2019, 1, 1)), np.full(n, day(date(2021, 12, 31))))
    return Table(
        SystemCertificate,
        {
            "id": np.arange(n),
            "certificate_number": strs("HACCP", np.arange(1, n + 1), 9),
            "business_id": certified,
            "scheme": ["haccp"] * n,
            "certifier": ["合成认证中心"] * n,
            "issued_on": issued,
            "valid_until": issued + (3 * 365 - 1) * DAY,
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )
