"""Operators' own obligations (生产经营状况): liability insurance (第20条)."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import DAY_ZERO, UNIT_COLUMN, Difference, Measure, MetricContext, day_number
from ..registry import Fraction, metric

#: 实施方案 第20条: 学校食堂、集体用餐配送单位和中央厨房.
INSURED_FORMATS = ("school_canteen", "group_meal_distributor", "central_kitchen")


@metric(
    "liability_insurance_coverage",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="insurance",
    as_of_literal=True,
)
def liability_insurance_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of the operators that must insure holding food-safety liability insurance
    (食品安全责任保险投保率), %.

    Rule: 实施方案 第20条 "学校食堂、集体用餐配送单位和中央厨房主动购买食品安全责任保险".
    Denominator: businesses of ``options["business_formats"]`` (default: school canteens,
    group-meal distributors, central kitchens) operating in the subtree on the period's last
    day. Numerator: those with a policy in force that day (保险起期 ≤ day ≤ 保险止期) whose
    start is on or before the as-of date. No policy row at all in the county (the ledger never
    loaded), or none in force on any day of the period, and no zero report: 无数据, not 0 % — a
    register of 2021's policies says nothing of 2026 (no verdict without data). Nor does it of
    2022 [I] (h-newuser3 N3): policies running into 2022 are not a 2022 register, and one
    whose last policy starts before the period holds only the policies that run out in it, so
    without a policy starting in the period or later (``Fraction.reached``) and no zero
    report: 无数据 (未上报), not 0/97 未达标.
    """
    formats = list(options.get("business_formats", INSURED_FORMATS))
    b = _insured_from(ctx)
    required = ctx.operating_on(b, ctx.end) & b.business_format.isin(formats)
    insured = b.insured_from <= ibis.date(ctx.as_of)
    p = ctx.via_business_dated("insurance", "starts_on", "ends_on")
    in_force = (p.first_on <= ibis.date(ctx.period.end)) & (
        p.last_on >= ibis.date(ctx.period.start)
    )
    return Fraction(
        Measure(b, where=required & insured),
        Measure(b, where=required),
        reported=ctx.rows_between(p, in_force, key="insurance"),
        # A policy starting in the period or later: the register was kept into it.
        reached=ctx.rows_between(p, p.first_on >= ibis.date(ctx.period.start), key="insurance+"),
    )


def _insured_from(ctx: MetricContext) -> Any:
    """Businesses with ``insured_from``: the earliest start of their policies in force on the
    period's last day (NULL for none)."""

    def build() -> Any:
        p = ctx.table("insurance")
        end = ibis.date(ctx.end)
        in_force = p.filter(p.starts_on <= end, p.ends_on >= end)
        return ctx.with_first(
            ctx.relation("business"), "id", in_force, "business_id", "starts_on", "insured_from"
        )

    return ctx.derived("business_insured_from", build, same_every_as_of=True)


#: 实施方案 第17条 and 第28条: 食品小作坊、小餐饮、食品摊贩 ("三小").
THREE_SMALLS = ("small_workshop", "small_eatery", "food_stall")


@metric(
    "small_operator_registration_rate",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    as_of_literal=True,
)
def small_operator_registration_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of the "three smalls" registered or filed (“三小”登记建档或备案率), %.

    Rule: 实施方案 第17条 "食品小作坊、小餐饮、食品摊贩依法登记建档或备案". Denominator: businesses
    of ``options["business_formats"]`` (default: small workshops, small eateries, stalls)
    operating in the subtree on the period's last day. Numerator: those with a registration or
    filing number (登记证、备案卡编号, the registry's 许可证编号) and its date (发证（登记、备案）
    日期) on or before that day and the as-of date. None of these formats in the registry:
    无数据.

    Data for the period [I] (RULES.md §1.2 item 17 states the duty only, "registered or on
    file"): the registry is a list as loaded, with no date of its own. Its registration dates
    go back to the operators' opening, so a 2021 registry "spoke" for 2015 (smalls that closed
    before it was loaded are not in it) and for 2026 (its operators presumed still there, the
    unregistered ones still unregistered). The period's evidence is rows of its own: an
    inspection dated in the period of one of ``options["evidence_formats"]`` (default: the
    three smalls) in the county — the smalls seen operating then (实施方案 第28条 "三小"
    governance, the rows item 28 reads). None and no zero report of the inspection ledger:
    无数据 (未上报), not 0/N nor N/N.
    """
    formats = list(options.get("business_formats", THREE_SMALLS))
    b = ctx.relation("business")
    required = ctx.operating_on(b, ctx.end) & b.business_format.isin(formats)
    registered = (
        b.licence_number.notnull()
        & (b.licence_number != "")
        & ctx.done_by_as_of(b.registered_on)
        & (b.registered_on <= ibis.date(ctx.end))
    )
    return Fraction(
        Measure(b, where=required & registered),
        Measure(b, where=required),
        reported=ctx.inspections_of_formats_reported(options.get("evidence_formats", formats)),
        reported_ledger="inspections",
    )


@metric(
    "small_operator_inspection_coverage",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="inspection",
    as_of_literal=True,
)
def small_operator_inspection_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of the "three smalls" inspected in the period (“三小”监督检查覆盖率), %.

    Rule: 实施方案 第28条 "综合治理食品小作坊、食品摊贩、小餐饮" — read [I] as every one of them
    inspected at least once in the period (the lowest frequency of the risk-grading rules, A
    级每年至少 1 次). Denominator: businesses of ``options["business_formats"]`` operating in the
    subtree on the period's last day. Numerator: those with an inspection (any type) dated in
    the period up to the as-of date. No inspection at all in the county, or none dated in the
    period, and no zero report: 无数据.
    """
    formats = list(options.get("business_formats", THREE_SMALLS))
    b = _first_inspected(ctx)
    required = ctx.operating_on(b, ctx.end) & b.business_format.isin(formats)
    inspected = b.first_inspected_on <= ibis.date(ctx.as_of)
    return Fraction(
        Measure(b, where=required & inspected),
        Measure(b, where=required),
        reported=ctx.inspections_reported(),
    )


def _first_inspected(ctx: MetricContext) -> Any:
    """Businesses with ``first_inspected_on``: their first inspection dated in the period."""

    def build() -> Any:
        i = ctx.table("inspection")
        in_period = i.filter(
            i.inspected_on.between(ibis.date(ctx.period.start), ibis.date(ctx.end))
        )
        return ctx.with_first(
            ctx.relation("business"),
            "id",
            in_period,
            "business_id",
            "inspected_on",
            "first_inspected_on",
        )

    return ctx.derived("business_first_inspected", build, same_every_as_of=True)


#: Inspection results that leave the operator with problems to put right (限期整改, 不符合).
PROBLEM_RESULTS = ("rectify", "noncompliant")


@metric(
    "small_operator_rectification_rate",
    # Reads the as-of date only as the literal period_to_date (months.py builds it once).
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="inspection",
)
def small_operator_rectification_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of the "three smalls" with problems whose rectification is closed (“三小”检查发现
    问题整改完成率), %.

    Rule: 实施方案 第28条 "综合治理…改善其生产经营环境" — read [I] as every problem found put
    right. Denominator: businesses of ``options["business_formats"]`` with an inspection in the
    period (up to the as-of date) whose result is one of ``options["problem_results"]``
    (default 基本符合（限期整改）, 不符合). Numerator: those with a later re-inspection (复查,
    ``options["closing_type"]``) found 符合 (``options["closing_result"]``), dated after their
    last such inspection and by the as-of date: the rectification closed (整改到位). No
    inspection dated in the period in the county and no zero report: 无数据.
    """
    formats = list(options.get("business_formats", THREE_SMALLS))
    problems = list(options.get("problem_results", PROBLEM_RESULTS))
    closing_type = str(options.get("closing_type", "follow_up"))
    closing_result = str(options.get("closing_result", "compliant"))
    key = f"smalls_problem_days:{problems}:{closing_type}:{closing_result}"
    r = ctx.derived(key, lambda: _problem_days(ctx, problems, closing_type, closing_result))
    # One row per business and problem day. A business has problems by the as-of date when
    # one of its rows is dated by then; its latest such row is the one whose next problem day
    # is not by then (so each such business is one row of "dated" less "superseded"); it is
    # closed when that row's first closing re-inspection is by the as-of date too. Every term
    # is "a dated column on or before the as-of date", so a year of month ends is one running
    # total (scorecard/months.py); the old form (latest problem and latest fix up to the day,
    # compared) is in tests/scorecard/test_running_forms.py and gives the same numbers.
    required = r.business_format.isin(formats)
    found = required & ctx.in_period(r.problem_on)
    superseded = required & (r.next_problem_on <= ibis.date(ctx.period_to_date))
    fixed = ctx.done_by_as_of(r.fixed_on)
    return Fraction(
        Difference((Measure(r, where=found & fixed),), (Measure(r, where=superseded & fixed),)),
        Difference((Measure(r, where=found),), (Measure(r, where=superseded),)),
        reported=ctx.inspections_reported(),
    )


def _problem_days(ctx: MetricContext, problems: list[str], closing_type: str, result: str) -> Any:
    """Per business (with its format and org unit) and day of the period with an inspection
    whose result is one of ``problems``: ``problem_on``, ``next_problem_on`` (its next such
    day in the period, NULL for the last) and ``fixed_on`` (the first inspection of type
    ``closing_type`` found ``result`` after it, of any date; NULL for none). Free of the
    as-of date."""
    i = ctx.table("inspection")
    found = i.filter(
        i.inspected_on.between(ibis.date(ctx.period.start), ibis.date(ctx.end)),
        i.result.isin(problems),
    )
    days = found.select(business_id=found.business_id, problem_on=found.inspected_on).distinct()
    after = ibis.window(group_by=days.business_id, order_by=days.problem_on)
    days = days.mutate(next_problem_on=days.problem_on.lead().over(after))
    closing = i.filter(i.inspection_type == closing_type, i.result == result).select(
        _fix_business=i.business_id, _fix_on=i.inspected_on
    )
    pairs = days.join(
        closing,
        (days.business_id == closing._fix_business) & (closing._fix_on > days.problem_on),
    )
    first_fix = pairs.group_by(_pf_business=pairs.business_id, _pf_day=pairs.problem_on).aggregate(
        fixed_on=pairs._fix_on.min()
    )
    days = days.left_join(
        first_fix,
        (days.business_id == first_fix._pf_business) & (days.problem_on == first_fix._pf_day),
    ).select(*days.columns, "fixed_on")
    b = ctx.relation("business")
    return days.join(b, days.business_id == b.id).select(
        "problem_on",
        "next_problem_on",
        "fixed_on",
        business_format=b.business_format,
        **{UNIT_COLUMN: b[UNIT_COLUMN]},
    )


@metric(
    "food_handler_health_certificate_rate",
    # Reads the as-of date only as the literal period_to_date (months.py builds it once).
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="人",
    numerator_unit_en="food handlers",
    ledger="food_handler",
)
def food_handler_health_certificate_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of food handlers working with a valid health certificate (从业人员持有效健康证明
    上岗率), %.

    Rule: 实施方案 第18条 "接触直接入口食品的从业人员持有效健康证明上岗" (《食品安全法》第四十五条:
    a health check every year, so a certificate runs about a year: ``options["valid_days"]``,
    default 366, an [I] reading — RULES.md §1.2 item 18 gives the target, not the term).
    The day: the period's last day, or the as-of date if earlier. Denominator: handlers in
    contact with ready-to-eat food on the roster that day (上岗 on or before it or unknown,
    not yet 离岗) of businesses operating that day in the subtree, whose state that day the
    ledger knows. Numerator: those with a health certificate number valid that day (有效期至 on
    or after it, and issued — 有效期至 less the term — by it).

    Data for the period: the roster keeps each person's *current* certificate only. A
    certificate running to 2022-06-30 was issued about 2021-07: it says nothing about 2015 (or
    2021-03-31), so such a handler is *pending* (待核, ``Fraction.pending``: the verdict stands
    only if it is the same whether they all held one or none did), not counted valid. No
    certificate of the county's roster running on any day of the period (2015 or 2026 with a
    2021 roster) and no zero report: 无数据, never N/N 达标 nor 0/N 未达标 (RULES.md §1.2 item 18;
    "no verdict without data"). Nor without a row dated in the period or later — a certificate
    issued, a handler starting or leaving (``Fraction.reached``, [I], h-newuser3 N3): a 2021
    roster read for 2022 holds only certificates running out (11/3983 未达标 before).
    """
    on = ctx.period_to_date
    valid_days = int(options.get("valid_days", 366))

    def build() -> Any:
        h = ctx.table("food_handler")
        b = ctx.table("business")
        return h.join(b, h.business_id == b.id).select(
            direct_contact=h.direct_contact,
            certificate_number=h.certificate_number,
            valid_until=h.valid_until,
            # The first day the recorded certificate runs (inferred: 有效期至 less the term).
            valid_from_day=day_number(h.valid_until) - valid_days,
            started_on=h.started_on,
            left_on=h.left_on,
            opened_on=b.opened_on,
            closed_on=b.closed_on,
            status=b.status,
            unit_code=b.org_unit_code,
        )

    h = ctx.derived(f"food_handlers:{valid_days}", build, same_every_as_of=True)
    d = ibis.date(on)
    on_roster = (
        ctx.operating_on(h, on)
        & h.direct_contact
        & (h.started_on.isnull() | (h.started_on <= d))
        & (h.left_on.isnull() | (h.left_on > d))
    )
    numbered = h.certificate_number.notnull() & (h.certificate_number != "")
    # Issued after the day: the certificate held that day is not in the ledger.
    later = numbered & h.valid_until.notnull() & (h.valid_from_day > _day_literal(on))
    valid = numbered & h.valid_until.notnull() & (h.valid_until >= d) & ~later
    runs = (h.valid_from_day <= _day_literal(ctx.period.end)) & (
        h.valid_until >= ibis.date(ctx.period.start)
    )
    return Fraction(
        Measure(h, where=on_roster & valid),
        Measure(h, where=on_roster & ~later),
        pending=Measure(h, where=on_roster & later),
        reported=ctx.rows_between(h, numbered & runs, key=f"food_handler:{valid_days}"),
        # A certificate issued (有效期至 less the term), or a handler starting or leaving, in
        # the period or later: the roster was kept into it (h-newuser3 N3).
        reached=ctx.rows_between(
            h,
            (numbered & (h.valid_from_day >= _day_literal(ctx.period.start)))
            | (h.started_on >= ibis.date(ctx.period.start))
            | (h.left_on >= ibis.date(ctx.period.start)),
            key=f"food_handler+:{valid_days}",
        ),
    )


def _day_literal(day: Any) -> Any:
    """``day`` as a day number literal (``context.day_number``)."""
    return ibis.literal((day - DAY_ZERO).days, "int64")


@metric(
    "management_system_certification_rate",
    # Reads the as-of date only as the literal period_to_date (months.py builds it once).
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="producers",
    ledger="system_certificate",
)
def management_system_certification_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of 规模以上 food producers and infant-formula makers applying GMP / HACCP
    (规模以上食品生产企业、婴幼儿配方乳粉生产企业实施GMP/HACCP等管理体系比例), %.

    Rule: 实施方案 第18条 "规模以上食品生产企业、婴幼儿配方乳粉生产企业实施良好生产规范、危害
    分析与关键控制点体系等管理体系". "实施" is read [I] as holding a certificate of one of
    ``options["schemes"]`` (default GMP, HACCP). The day: the period's last day, or the as-of
    date if earlier. Denominator: businesses of 类别 食品生产 marked 规模以上 or 婴幼儿配方乳粉
    operating that day in the subtree. Numerator: those with such a certificate valid that day
    (发证日期 ≤ day ≤ 有效期至). No certificate row at all in the county, or none in force on
    any day of the period (a register of 2019–2024 certificates says nothing of 2015), and no
    zero report: 无数据, not 0/N. Nor without a certificate issued in the period or later, or
    an inspection of such a producer dated in the period (``Fraction.reached``, [I],
    h-newuser3 N3): a register whose last entry is before the period, with nobody seen in it,
    holds only certificates running out, not the renewals nobody loaded — 无数据 (未上报).
    """
    schemes = list(options.get("schemes", ["gmp", "haccp"]))
    on = ibis.date(ctx.period_to_date)
    c = ctx.table("system_certificate")
    certified = c.filter(c.scheme.isin(schemes), c.issued_on <= on, c.valid_until >= on)
    # The relation is the business relation itself (the as-of date is only in the condition's
    # subquery), so a year of month ends is one query of it with a column per month.
    b = ctx.relation("business")
    required = (
        ctx.operating_on(b, ctx.period_to_date)
        & (b.sector == "production")
        & (b.above_designated_size | b.infant_formula)
    )
    p = ctx.via_business_dated("system_certificate", "issued_on", "valid_until")
    in_force = (p.first_on <= ibis.date(ctx.period.end)) & (
        p.last_on >= ibis.date(ctx.period.start)
    )
    return Fraction(
        Measure(b, where=required & b.id.isin(certified.business_id)),
        Measure(b, where=required),
        reported=ctx.rows_between(p, in_force, key="system_certificate"),
        # A certificate issued in the period or later, or an inspection of a producer that
        # must hold one dated in the period: the register is kept into it, or the producers
        # were seen then (certificates run 3 years: the example's were issued in 2018–2019).
        reached=[
            ctx.rows_between(
                p, p.first_on >= ibis.date(ctx.period.start), key="system_certificate+"
            ),
            _inspections_of_certified_kinds(ctx),
        ],
    )


def _inspections_of_certified_kinds(ctx: MetricContext) -> Measure:
    """Inspections dated in the period of 规模以上 food producers and infant-formula makers
    (the operators item 18's certification rate counts), by their business's org unit."""

    def build() -> Any:
        i = ctx.table("inspection")
        b = ctx.table("business")
        kinds = (b.sector == "production") & (b.above_designated_size | b.infant_formula)
        return (
            i.join(b, i.business_id == b.id)
            .filter(kinds)
            .select(inspected_on=i.inspected_on, **{UNIT_COLUMN: b.org_unit_code})
        )

    rows = ctx.derived("inspections_of_certified_kinds", build, same_every_as_of=True)
    return ctx.rows_between(rows, ctx.dated_in(rows.inspected_on), key="inspection:certified")
