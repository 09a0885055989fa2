"""Generate a synthetic jurisdiction: build the dataset in memory, write it, export it.

``synthetic_build`` is pure (no database writes): the same population, seed and name give the
same tables, row for row. Every ledger draws from its own random stream (spawned from the
seed), so changing how one ledger is generated leaves the others as they were.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from foodsafe.registry.models import RiskGrade
from foodsafe.riskgrading.in_force import grading_spec

from .businesses import generate_businesses, generate_canteens, generate_self_reports
from .capacity import generate_grain, generate_staff, generate_surveys, generate_trainings
from .casework import generate_cases, generate_complaints, generate_incidents
from .geography import build_geography, default_name, org_unit_tables, shape_for, top_code
from .obligations import (
    add_registrations,
    generate_certificates,
    generate_handlers,
    generate_policies,
)
from .response import generate_emergency, generate_sentinels
from .riskgrading import generate_checklists, generate_static_factors
from .sampling import generate_sampling
from .supervision import generate_inspections
from .tables import Dataset, Table
from .workdays import WorkingDays

STREAMS = ("geography", "businesses", "canteens", "self_reports", "staff", "trainings",
           "complaints", "cases", "incidents", "inspections", "sampling", "grain", "surveys",
           "static_factors", "checklists", "policies", "registrations",
           "handlers", "certificates", "sentinels", "emergency")  # fmt: skip


def synthetic_build(*, population: int, seed: int, name: str | None = None) -> Dataset:
    """The synthetic jurisdiction of ``population`` residents (≥ 1,000) for ``seed``.

    ``name`` defaults to "合成区<population>-<seed>" (区/市/省 by shape). Raises ``ValueError``
    for a population below 1,000.
    """
    if population < 1000:
        raise ValueError(f"population must be at least 1,000, not {population}")
    name = name or default_name(population, seed)
    rngs = dict(
        zip(
            STREAMS,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(STREAMS))),
            strict=True,
        )
    )
    geo = build_geography(rngs["geography"], population=population, name=name)
    ds = Dataset(code=geo.code, prefix=geo.prefix, name=name, shape=geo.shape,
                 population=population, seed=seed)  # fmt: skip
    units, populations = org_unit_tables(geo)
    ds.add(units)
    ds.add(populations)
    biz = generate_businesses(rngs["businesses"], geo)
    add_registrations(rngs["registrations"], biz)
    certificates = generate_certificates(rngs["certificates"], biz)  # marks 规模以上 first
    ds.add(biz.table)
    ds.add(generate_canteens(rngs["canteens"], geo, biz))
    ds.add(generate_self_reports(rngs["self_reports"], biz))
    ds.add(generate_policies(rngs["policies"], biz))
    ds.add(generate_handlers(rngs["handlers"], biz))
    ds.add(certificates)
    staff = ds.add(generate_staff(rngs["staff"], geo))
    ds.add(generate_trainings(rngs["trainings"], staff))
    complaints = ds.add(generate_complaints(rngs["complaints"], geo, biz, WorkingDays()))
    ds.add(generate_cases(rngs["cases"], geo, biz))
    ds.add(generate_incidents(rngs["incidents"], geo))
    for table in (
        *generate_sentinels(rngs["sentinels"], geo),
        *generate_emergency(rngs["emergency"], geo),
    ):
        ds.add(table)
    inspections, findings = generate_inspections(rngs["inspections"], geo, biz, staff, complaints)
    ds.add(inspections)
    ds.add(findings)
    batches, items = generate_sampling(rngs["sampling"], geo, biz)
    ds.add(batches)
    ds.add(items)
    stocks, monitorings = generate_grain(rngs["grain"], geo)
    ds.add(stocks)
    ds.add(monitorings)
    ds.add(generate_surveys(rngs["surveys"], geo))
    # The grade ledger is filled by grading the city (foodsafe grade), not generated: empty.
    ds.add(Table(RiskGrade, {"id": np.arange(0)}))
    grading = grading_spec()
    ds.add(generate_static_factors(rngs["static_factors"], grading, biz.table))
    ds.add(generate_checklists(rngs["checklists"], grading, biz.table, inspections))
    return ds


@dataclass
class GenerateReport:
    code: str
    name: str
    shape: str
    population: int
    seed: int
    rows: dict[str, int]
    deleted: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def synthetic_generate(
    *,
    population: int,
    seed: int,
    name: str | None = None,
    replace: bool = False,
    parquet_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerateReport:
    """Build the jurisdiction and write it to the database in one transaction.

    With ``replace`` a previous jurisdiction of the same name is deleted first (only rows under
    its code prefix); without it an existing one raises ``writer.JurisdictionExists``, as does
    a code taken by anything else. ``parquet_dir``: afterwards export the jurisdiction's rows
    from the database to Parquet files there (``parquet.export_parquet``).
    """
    from .parquet import export_parquet
    from .writer import check_free, write_atomic

    t0 = time.perf_counter()
    name = name or default_name(population, seed)
    check_free(code=top_code(name, shape_for(population)), name=name, replace=replace)
    dataset = synthetic_build(population=population, seed=seed, name=name)
    t1 = time.perf_counter()
    result = write_atomic(dataset, replace=replace, progress=progress)
    t2 = time.perf_counter()
    seconds = {"build": t1 - t0, "write": t2 - t1}
    if parquet_dir is not None:
        export_parquet(directory=parquet_dir, prefix=dataset.prefix)
        seconds["parquet"] = time.perf_counter() - t2
    return GenerateReport(
        code=dataset.code,
        name=dataset.name,
        shape=dataset.shape,
        population=population,
        seed=seed,
        rows=dataset.counts(),
        deleted=sum(result["deleted"].values()),
        seconds=seconds,
    )
