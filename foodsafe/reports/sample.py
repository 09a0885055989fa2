"""A hand-built example :class:`Scorecard` for previews and tests; no database, no engine.

It follows 和平政办〔2021〕8号 (33 items in 5 groups, 5 veto items) with invented values, and its
org unit is marked ``is_example`` so every rendering shows the example-data notice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.scorecard.results import (
    Gap,
    GroupResult,
    IndicatorResult,
    ItemResult,
    OrgUnitRef,
    PeriodRef,
    Scorecard,
    Status,
    VetoResult,
    VetoStatus,
)

SAMR = "区市场监管局"
OFFICE = "区食药安办"

_GROUPS = (
    ("basic", 1, "基础工作", range(1, 10)),
    ("capacity", 2, "能力建设", range(10, 17)),
    ("operations", 3, "生产经营状况", range(17, 22)),
    ("safety", 4, "食品安全状况", range(22, 25)),
    ("leadership", 5, "示范引领", range(25, 34)),
)

_ITEM_TITLES = (
    "党政同责",
    "工作机制",
    "风险监测",
    "粮食质量",
    "过程监管",
    "食品抽检",
    "执法办案",
    "集中整治",
    "社会共治",
    "投入保障",
    "基层能力",
    "监管专业化",
    "检验检测",
    "应急处置",
    "风险交流",
    "科技支撑",
    "管理责任",
    "过程控制",
    "产品追溯",
    "责任保险",
    "诚信文化",
    "群众满意度",
    "创建知晓率",
    "抽检合格率",
    "信用监管",
    "智慧监管",
    "机制创新",
    "“三小”治理",
    "学校食堂“互联网+明厨亮灶”",
    "科技创新",
    "高质量发展",
    "社会共治",
    "其他创新举措",
)

_ITEM_UNITS: dict[int, tuple[str, ...]] = {
    4: ("区发展改革委",),
    5: (SAMR, "区教育局", "各街道办事处"),
    6: (SAMR,),
    7: (SAMR, "公安和平分局"),
    9: ("区食药安委各成员单位",),
    12: (SAMR, "公安和平分局"),
    13: (SAMR,),
    22: ("各街道办事处", "区食药安委各成员单位"),
    23: ("各街道办事处", "区食药安委各成员单位"),
    24: (SAMR,),
    29: ("区教育局",),
}


def _d(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _indicator(
    code: str,
    item: int,
    name: str,
    numerator: str | int | None,
    denominator: str | int | None,
    value: str | None,
    unit: str,
    target: str,
    target_value: str,
    status: Status,
    gap: tuple[str, str, str, str] | None = None,
) -> IndicatorResult:
    return IndicatorResult(
        code=code,
        item=item,
        name=name,
        name_en=code.replace("_", " "),
        metric=code,
        numerator=_d(numerator),
        denominator=_d(denominator),
        value=_d(value),
        unit=unit,
        target=target,
        target_value=Decimal(target_value),
        status=status,
        gap=None
        if gap is None
        else Gap(amount=Decimal(gap[0]), unit_zh=gap[1], text_zh=gap[2], text_en=gap[3]),
        responsible_units=_ITEM_UNITS.get(item, (SAMR,)),
        source=f"实施方案 第{item}条",
    )


def sample_indicators() -> tuple[IndicatorResult, ...]:
    met, not_met, no_data = Status.MET, Status.NOT_MET, Status.NO_DATA
    return (
        _indicator("grain_monitoring_coverage", 4, "库存粮食质量监测覆盖比例", 3100, 10000, "31", "%", ">= 25", "25", met),
        _indicator("term_start_inspection_coverage", 5, "校园食品安全开学检查覆盖率", 118, 120, "98.3333", "%", ">= 100", "100", not_met,
                   ("2", "所", "还有 2 所学校食堂未开展开学检查", "2 school canteens not inspected at term start")),
        _indicator("surveillance_sampling_coverage", 6, "各环节和业态监督抽检覆盖率", 14, 14, "100", "%", ">= 100", "100", met),
        _indicator("case_filing_rate", 7, "食品安全违法案件立案率", 36, 36, "100", "%", ">= 100", "100", met),
        _indicator("case_closing_rate", 7, "食品安全违法案件办结率", 33, 36, "91.6667", "%", ">= 100", "100", not_met,
                   ("3", "件", "还有 3 件案件未办结", "3 cases not closed")),
        _indicator("complaint_on_time_rate", 9, "食品类消费投诉按时办结率", 1205, 1218, "98.9327", "%", ">= 98", "98", met),
        _indicator("professional_share", 12, "食品安全监管人员专业化比例", 101, 150, "67.3333", "%", ">= 70", "70", not_met,
                   ("4", "人", "还需 4 名专业人员", "4 more qualified staff needed")),
        _indicator("sampling_per_thousand", 13, "食品安全抽检量", 1540, 355000, "4.3380", "batches_per_thousand", ">= 4", "4", met),
        _indicator("residue_sampling_per_thousand", 13, "农药兽药残留抽检量", 398, 355000, "1.1211", "batches_per_thousand", ">= 2", "2", not_met,
                   ("312", "批次", "还需抽检 312 批次", "312 more batches needed")),
        _indicator("satisfaction_score", 22, "群众食品安全满意度", None, None, None, "points", ">= 80", "80", no_data),
        _indicator("awareness_rate", 23, "创建知晓率", 912, 1000, "91.2", "%", ">= 85", "85", met),
        _indicator("evaluation_pass_rate", 24, "食品评价性抽检合格率", 590, 600, "98.3333", "%", ">= 98", "98", met),
        _indicator("bright_kitchen_coverage", 29, "学校食堂“互联网+明厨亮灶”覆盖率", 120, 120, "100", "%", ">= 100", "100", met),
    )  # fmt: skip


def sample_vetoes() -> tuple[VetoResult, ...]:
    return (
        VetoResult("veto_leadership", 1, "党政领导干部未严格落实《地方党政领导干部食品安全责任制规定》明确的工作职责", VetoStatus.EVIDENCE_NEEDED, "创城办认定"),
        VetoResult("veto_major_incident", 2, "三年内发生重大及以上食品安全事故", VetoStatus.CLEAR, "食品安全事件台账，2018-08-11 至 2021-08-10 无记录"),
        VetoResult("veto_serious_impact", 3, "三年内发生农药兽药残留超标、非法添加、校园食品安全等事件，引发广泛关注、造成严重不良社会影响", VetoStatus.CLEAR, "食品安全事件台账"),
        VetoResult("veto_satisfaction", 4, "群众食品安全满意度未达到80分", VetoStatus.NO_DATA, "指标 satisfaction_score"),
        VetoResult("veto_pass_rate", 5, "食品评价性抽检合格率未达到98%", VetoStatus.CLEAR, "指标 evaluation_pass_rate"),
    )  # fmt: skip


def sample_scorecard(
    *,
    org_code: str = "120101000000",
    org_name: str = "和平区",
    is_example: bool = True,
    period: str = "2021",
    indicators: tuple[IndicatorResult, ...] | None = None,
    vetoes: tuple[VetoResult, ...] | None = None,
) -> Scorecard:
    """An example scorecard: 13 indicators (8 met, 4 not met, 1 no data), 5 veto items."""
    from foodsafe.scorecard.periods import parse_period

    parsed = parse_period(period)
    inds = sample_indicators() if indicators is None else indicators
    by_item: dict[int, list[IndicatorResult]] = {}
    for ind in inds:
        by_item.setdefault(ind.item, []).append(ind)
    items = []
    for number, title in enumerate(_ITEM_TITLES, start=1):
        group = next(code for code, _n, _t, numbers in _GROUPS if number in numbers)
        mine = by_item.get(number, [])
        if not mine:
            status = Status.EVIDENCE_NEEDED
        elif any(i.status is Status.NOT_MET for i in mine):
            status = Status.NOT_MET
        elif any(i.status is Status.NO_DATA for i in mine):
            status = Status.NO_DATA
        else:
            status = Status.MET
        items.append(
            ItemResult(
                number=number,
                group=group,
                title=title,
                status=status,
                indicators=tuple(i.code for i in mine),
                responsible_units=_ITEM_UNITS.get(number, (OFFICE,)),
                evidence=("工作方案", "工作台账"),
            )
        )
    return Scorecard(
        programme_code="heping-2021",
        programme_version="2021.1",
        programme_name="和平区2021年创建国家食品安全示范城市工作实施方案",
        org_unit=OrgUnitRef(code=org_code, name=org_name, is_example=is_example),
        period=PeriodRef(parsed.code, parsed.label_zh(), parsed.start, parsed.end),
        as_of=date(2021, 8, 10),
        indicators=inds,
        vetoes=sample_vetoes() if vetoes is None else vetoes,
        items=tuple(items),
        groups=tuple(
            GroupResult(code=code, number=number, title=title, items=tuple(numbers))
            for code, number, title, numbers in _GROUPS
        ),
    )
