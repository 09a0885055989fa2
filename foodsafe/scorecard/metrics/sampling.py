"""Sampling metrics (食品抽检): volume per 1,000 residents, residue tests, pass rate, coverage."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import MetricContext
from ..registry import Fraction, metric

RESIDUE_CATEGORIES = ("pesticide_residue", "vet_drug_residue")


def _batches(ctx: MetricContext, options: dict[str, Any]) -> Any:
    t = ctx.table("batch")
    filters = [ctx.in_scope(t.org_unit_code), ctx.in_period(t.sampled_on)]
    if options.get("sampling_types"):
        filters.append(t.sampling_type.isin(list(options["sampling_types"])))
    if options.get("departments"):
        filters.append(t.department.isin(list(options["departments"])))
    return t.filter(*filters)


@metric("sampling_per_thousand", factor=1000, numerator_unit_zh="批次", numerator_unit_en="batches")
def sampling_per_thousand(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Food-safety sampling batches per 1,000 resident population (抽检量, 批次/千人).

    Rule: 实施方案 第13条 "年均食品安全抽检量达到4批次/千人" (RULES.md §1.6).
    Numerator: batches sampled in the period in the subtree whose sampling type is in
    ``options["sampling_types"]`` (the spec decides whether 风险监测 counts; 快检 is left out)
    and whose organising department is in ``options["departments"]``.
    Denominator: resident population (常住人口) of the period's year, in persons; factor 1000.
    """
    return Fraction(_batches(ctx, options).count(), ctx.population())


@metric(
    "residue_sampling_per_thousand",
    factor=1000,
    numerator_unit_zh="批次",
    numerator_unit_en="batches",
)
def residue_sampling_per_thousand(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Batches tested for pesticide or veterinary-drug residues per 1,000 residents.

    Rule: 实施方案 第13条 "针对农药兽药残留的食品抽检量达到2批次/千人".
    Numerator: batches counted as in ``sampling_per_thousand`` that have at least one test item
    of category 农药残留 or 兽药残留. Denominator: resident population; factor 1000.
    """
    items = ctx.table("test_item")
    residue_batch_ids = items.filter(items.category.isin(RESIDUE_CATEGORIES)).batch_id
    batches = _batches(ctx, options)
    return Fraction(batches.filter(batches.id.isin(residue_batch_ids)).count(), ctx.population())


@metric("evaluation_pass_rate", factor=100, numerator_unit_zh="批次", numerator_unit_en="batches")
def evaluation_pass_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Evaluation-sampling pass rate (评价性抽检合格率), %.

    Rule: 实施方案 第24条 "食品评价性抽检合格率达到98%以上"; below 98% is veto 5 (否决项五).
    Denominator: batches of the types in ``options["sampling_types"]`` (评价性抽检) sampled in
    the period with a conclusion (pending results are left out). Numerator: those 合格.
    """
    batches = _batches(ctx, {"sampling_types": options.get("sampling_types", ["evaluation"])})
    decided = batches.filter(batches.conclusion != "pending")
    return Fraction(decided.filter(decided.conclusion == "conforming").count(), decided.count())


@metric(
    "surveillance_sampling_coverage",
    factor=100,
    numerator_unit_zh="个环节业态",
    numerator_unit_en="stage/format cells",
)
def surveillance_sampling_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Coverage of every stage and format by surveillance sampling (各环节和业态监督抽检覆盖率), %.

    Rule: 实施方案 第6条 "食品安全各环节和业态监督抽检覆盖率达到100%" (RULES.md §1.6).
    Denominator: the number of required (环节, 业态) cells in ``options["required_cells"]``
    (from the year's sampling plan). Numerator: required cells with at least one batch of the
    types in ``options["sampling_types"]`` in the period and subtree.
    """
    cells = [f"{stage}|{fmt}" for stage, fmt in options.get("required_cells", [])]
    batches = _batches(ctx, {"sampling_types": options.get("sampling_types", ["surveillance"])})
    cell = batches.stage.concat("|", batches.business_format)
    covered = batches.filter(cell.isin(cells) if cells else ibis.literal(False))
    covered_cells = covered.mutate(cell=covered.stage.concat("|", covered.business_format)).cell
    return Fraction(covered_cells.nunique(), len(cells))
