"""Sampling metrics (食品抽检): volume per 1,000 residents, residue tests, pass rate, coverage."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import POPULATION, Difference, Measure, MetricContext, day_number
from ..registry import Fraction, metric

RESIDUE_CATEGORIES = ("pesticide_residue", "vet_drug_residue")


def _counted(ctx: MetricContext, t: Any, options: dict[str, Any]) -> Any:
    """Batches sampled in the period of the counted types and organising departments."""
    condition = ctx.in_period(t.sampled_on)
    if options.get("sampling_types"):
        condition &= t.sampling_type.isin(list(options["sampling_types"]))
    if options.get("departments"):
        condition &= t.department.isin(list(options["departments"]))
    return condition


def batches_reported(ctx: MetricContext) -> Measure:
    """Batches sampled in the period in a scope (any type): the sampling ledger reported for
    the period. None in the county and no zero report: every sampling indicator is 无数据
    (未上报), not 0 批次/千人 nor 0/N cells (``Fraction.reported``)."""
    t = ctx.relation("batch")
    return ctx.rows_between(t, ctx.dated_in(t.sampled_on), key="batch")


@metric(
    "sampling_per_thousand",
    factor=1000,
    numerator_unit_zh="批次",
    numerator_unit_en="batches",
    ledger="batch",
    as_of_literal=True,
)
def sampling_per_thousand(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Food-safety sampling batches per 1,000 resident population (抽检量, 批次/千人).

    Rule: 实施方案 第13条 "年均食品安全抽检量达到4批次/千人" (RULES.md §1.6).
    Numerator: batches sampled in the period in the subtree whose sampling type is in
    ``options["sampling_types"]`` (the spec decides whether 风险监测 counts; 快检 is left out)
    and whose organising department is in ``options["departments"]``.
    Denominator: resident population (常住人口) of the period's year, in persons; factor 1000.
    """
    t = ctx.relation("batch")
    return Fraction(
        Measure(t, where=_counted(ctx, t, options)), POPULATION, reported=batches_reported(ctx)
    )


@metric(
    "residue_sampling_per_thousand",
    factor=1000,
    numerator_unit_zh="批次",
    numerator_unit_en="batches",
    ledger="batch",
    as_of_literal=True,
)
def residue_sampling_per_thousand(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Batches tested for pesticide or veterinary-drug residues per 1,000 residents.

    Rule: 实施方案 第13条 "针对农药兽药残留的食品抽检量达到2批次/千人".
    Numerator: batches counted as in ``sampling_per_thousand`` that have at least one test item
    of category 农药残留 or 兽药残留. Denominator: resident population; factor 1000.
    """
    t = ctx.relation("batch")
    items = ctx.table("test_item")
    residue_batch_ids = items.filter(items.category.isin(RESIDUE_CATEGORIES)).batch_id
    condition = _counted(ctx, t, options) & t.id.isin(residue_batch_ids)
    return Fraction(Measure(t, where=condition), POPULATION, reported=batches_reported(ctx))


@metric(
    "evaluation_pass_rate",
    factor=100,
    numerator_unit_zh="批次",
    numerator_unit_en="batches",
    ledger="batch",
    as_of_literal=True,
)
def evaluation_pass_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Evaluation-sampling pass rate (评价性抽检合格率), %.

    Rule: 实施方案 第24条 "食品评价性抽检合格率达到98%以上"; below 98% is veto 5 (否决项五).
    Denominator: batches of the types in ``options["sampling_types"]`` (评价性抽检) sampled in
    the period with a conclusion. Numerator: those 合格. Pending: those still 待检, shown beside
    the rate (e.g. 38 合格, 2 不合格, 40 待检) and never counted as passed: the verdict is given
    only if it holds whether they all pass or all fail (else 不完整).
    """
    t = ctx.relation("batch")
    types = {"sampling_types": options.get("sampling_types", ["evaluation"])}
    counted = _counted(ctx, t, types)
    decided = counted & (t.conclusion != "pending")
    return Fraction(
        Measure(t, where=decided & (t.conclusion == "conforming")),
        Measure(t, where=decided),
        pending=Measure(t, where=counted & (t.conclusion == "pending")),
        reported=batches_reported(ctx),
    )


def _registry_cells(ctx: MetricContext, options: dict[str, Any]) -> Any:
    """Businesses operating on the period's last day with their (环节, 业态) cell: the 环节 from
    ``options["stage_of_format"]`` for their 业态, else ``options["stage_of_sector"]`` for their
    类别 (食品销售 → 流通)."""

    def build() -> Any:
        b = ctx.relation("business")
        by_format = dict(options.get("stage_of_format") or {})
        by_sector = dict(options.get("stage_of_sector") or {})
        stage = b.sector.substitute(by_sector, else_=b.sector)
        if by_format:
            stage = b.business_format.substitute(by_format, else_=stage)
        rows = b.filter(ctx.operating_on(b, ctx.end))
        return rows.mutate(cell=stage.concat("|", rows.business_format))

    return ctx.derived("business_cells", build, same_every_as_of=True)


@metric(
    "surveillance_sampling_coverage",
    factor=100,
    numerator_unit_zh="个环节业态",
    numerator_unit_en="stage/format cells",
    ledger="batch",
    as_of_literal=True,
)
def surveillance_sampling_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Coverage of every stage and format by surveillance sampling (各环节和业态监督抽检覆盖率), %.

    Rule: 实施方案 第6条 "食品安全各环节和业态监督抽检覆盖率达到100%" (RULES.md §1.6 [I]: the
    cells come from the year's plan, which was not found). ``options["cells_from"]``:

    - ``registry``: the (环节, 业态) cells of the businesses operating in the subtree on the
      period's last day — "every format" is every format the district actually has;
    - ``plan``: the fixed cells ``options["required_cells"]``.

    Numerator: those cells with at least one batch of ``options["sampling_types"]`` in the
    period and subtree.
    """

    def build() -> Any:
        b = ctx.relation("batch")
        return b.mutate(cell=b.stage.concat("|", b.business_format))

    t = ctx.derived("batch_cells", build, same_every_as_of=True)
    types = {"sampling_types": options.get("sampling_types", ["surveillance"])}
    sampled = _counted(ctx, t, types)
    if options.get("cells_from", "plan") == "registry":
        registry = _registry_cells(ctx, options)
        # A registry cell is covered in a scope when a batch of that cell was sampled there; a
        # batch of a cell the scope's registry lacks does not count (it is not a required cell).
        return Fraction(
            Measure(t, "nunique", sampled & t.cell.isin(registry.cell), "cell"),
            Measure(registry, "nunique", None, "cell"),
            reported=batches_reported(ctx),
        )
    cells = [f"{stage}|{fmt}" for stage, fmt in options.get("required_cells", [])]
    if not cells:
        return Fraction(0, 0)
    return Fraction(
        Measure(t, "nunique", sampled & t.cell.isin(cells), "cell"),
        len(cells),
        reported=batches_reported(ctx),
    )


def _within_days(ctx: MetricContext, name: str, done_column: str, options: dict[str, Any]) -> Any:
    """Batches with the days (``day_number``) their outcome is known: ``on_time_day`` the day
    ``done_column`` was set when it is at most ``options["within_days"]`` calendar days after
    the report date (R), else NULL; ``known_day`` that day, or R + days + 1 (late from the day
    after the deadline) when it was not done in time. Neither depends on the as-of date."""
    days = int(options["within_days"])

    def build() -> Any:
        b = ctx.relation("batch")
        r, done = day_number(b.reported_on), day_number(b[done_column])
        in_time = done.notnull() & (done <= r + days)
        return ctx.extend(
            b,
            on_time_day=ibis.ifelse(in_time, done, ibis.null("int64")),
            known_day=ibis.ifelse(in_time, done, r + days + 1),
        )

    return ctx.derived(f"{name}_{days}", build, same_every_as_of=True)


def _on_time(ctx: MetricContext, t: Any, cohort: Any) -> Fraction:
    on_time = Measure(t, where=cohort & ctx.day_by_as_of(t.on_time_day))
    known = Measure(t, where=cohort & ctx.day_by_as_of(t.known_day))
    return Fraction(
        on_time,
        known,
        aside={"open_in_time": Difference((Measure(t, where=cohort),), (known,))},
        reported=batches_reported(ctx),
    )


@metric(
    "sampling_results_published_on_time",
    factor=100,
    numerator_unit_zh="批次",
    numerator_unit_en="batches",
    ledger="batch",
    as_of_literal=True,
)
def sampling_results_published_on_time(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Sampling results published on time (抽检结果按时公开率), %.

    Rule: 食品安全抽样检验管理办法 (RULES.md §3: the department publishes the 抽检 results);
    实施方案 第6条. The Order says only "及时"; the limit is ``options["within_days"]``
    calendar days after the report date [I]. Cohort: batches of ``options["sampling_types"]``
    with a conclusion, reported in the period. Denominator: those whose outcome is known by the
    as-of date (published, or past the limit). Numerator: published within the limit. Aside
    ``open_in_time``: not yet published and still inside the limit.
    """
    t = _within_days(ctx, "published", "published_on", options)
    cohort = ctx.in_period(t.reported_on) & (t.conclusion != "pending")
    if options.get("sampling_types"):
        cohort &= t.sampling_type.isin(list(options["sampling_types"]))
    return _on_time(ctx, t, cohort)


@metric(
    "nonconforming_disposed_on_time",
    factor=100,
    numerator_unit_zh="批次",
    numerator_unit_en="batches",
    ledger="batch",
    as_of_literal=True,
)
def nonconforming_disposed_on_time(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """不合格 batches whose 核查处置 was completed within the limit (不合格食品核查处置按时完成率), %.

    Rule: 食品安全抽样检验管理办法 第四十五条 (90 days, RULES.md §3 [M]), counted in calendar
    days from the report date (``options["within_days"]``). Cohort: 不合格 batches of
    ``options["sampling_types"]`` reported in the period. Denominator: those known by the
    as-of date (disposed, or past the limit). Numerator: disposed within the limit
    (``disposal_completed_on``, written when a disposal is closed in the workflow or
    imported). Aside ``open_in_time``: still inside the limit.
    """
    t = _within_days(ctx, "disposed", "disposal_completed_on", options)
    cohort = ctx.in_period(t.reported_on) & (t.conclusion == "nonconforming")
    if options.get("sampling_types"):
        cohort &= t.sampling_type.isin(list(options["sampling_types"]))
    return _on_time(ctx, t, cohort)
