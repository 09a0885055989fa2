"""What the scorecard engine returns: plain, frozen data that reports and pages render.

A :class:`Scorecard` is one evaluation of one programme for one org unit (subtree) and period.
``Scorecard.to_json()`` gives the CLI's JSON shape: keys ``programme``, ``org_unit``, ``period``,
``indicators``, ``vetoes``, ``items`` (plus ``overall`` and ``as_of``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_noop


class Status(StrEnum):
    """Indicator and item status."""

    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    EVIDENCE_NEEDED = "evidence_needed"
    INFO = "info"  # a monitoring indicator without a target (仅监测)
    # Some data is missing or pending (a child unit has not reported, results 待检) and the
    # verdict could still go either way: never 达标 (issue 10 §2).
    INCOMPLETE = "incomplete"
    # Reported, and nothing to count (no batches, reported as zero): not the same as 未上报.
    NOT_APPLICABLE = "not_applicable"
    # A target stated per year (spec ``cycle: year``) in a half-year, quarter or month: the
    # value is the progress in the period (期内进度), the verdict is the year's (h-newuser3 N2),
    # as the vetoes' ``VetoStatus.ANNUAL``. Counted neither as 达标 nor as 未达标.
    ANNUAL = "annual"


STATUS_ZH = {
    Status.MET: "达标",
    Status.NOT_MET: "未达标",
    Status.NO_DATA: "无数据",
    Status.EVIDENCE_NEEDED: "待核验材料",
    Status.INFO: "仅监测",
    Status.INCOMPLETE: "不完整",
    Status.NOT_APPLICABLE: "不适用",
    Status.ANNUAL: "按年度判定",
}

#: The note of an indicator judged on the year in a shorter period (``Status.ANNUAL``).
ANNUAL_NOTE = gettext_noop("期内进度，目标按年度判定")


class VetoStatus(StrEnum):
    CLEAR = "clear"
    VETOED = "vetoed"
    NO_DATA = "no_data"
    EVIDENCE_NEEDED = "evidence_needed"
    INCOMPLETE = "incomplete"
    # A half-year, quarter or month: the vetoes are judged on the whole year (incidents look
    # back three years; satisfaction and the evaluation pass rate are the year's results), so
    # a part of the year is never vetoed on its partial data (``vetoes.evaluate_veto``).
    ANNUAL = "annual"


VETO_STATUS_ZH = {
    VetoStatus.CLEAR: "未触发",
    VetoStatus.VETOED: "触发否决",
    VetoStatus.NO_DATA: "无数据",
    VetoStatus.EVIDENCE_NEEDED: "待认定",
    VetoStatus.INCOMPLETE: "不完整",
    VetoStatus.ANNUAL: "按年度判定",
}

UNIT_ZH = {
    "%": "%",
    "batches_per_thousand": "批次/千人",
    "points": "分",
    "count": "项",
    "per_business": "/家",
}


# Counts shown beside a rate (``IndicatorResult.aside``), neither counted nor dropped.
# gettext_noop: pages translate the label; the engine keeps it in Chinese.
ASIDE_ZH = {
    "open_in_time": gettext_noop("依法期限内未结"),
}
ASIDE_EN = {
    "open_in_time": "open, within the time limit",
}


@dataclass(frozen=True)
class Reading:
    """The value of an indicator under another reading of an open rule (RULES.md [M]/[I]).

    ``flips``: this reading's verdict (met / not met) differs from the one the spec takes.
    """

    code: str
    name: str
    name_en: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    status: Status
    flips: bool

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]


#: How a unit reported a ledger for a scope and period (数据上报情况).
REPORT_HOW_ZH = {
    "rows": gettext_noop("有台账数据"),
    "zero_report": gettext_noop("零报告"),
    "missing": gettext_noop("未上报"),
}


@dataclass(frozen=True)
class UnitReport:
    """One unit that must report a ledger, and how it did: ``rows`` (the ledger has rows for
    it), ``zero_report`` (零报告: nothing to enter) or ``missing`` (neither: 未上报)."""

    name: str
    how: str

    @property
    def how_zh(self) -> str:
        return REPORT_HOW_ZH[self.how]

    @property
    def reported(self) -> bool:
        return self.how != "missing"


@dataclass(frozen=True)
class LedgerReport:
    """Who has reported one ledger for a scope and period (issue 10 §2; DHIS2's data-set
    completeness), from the spec's ``reporting`` section.

    ``level`` ``county``: one entry, the county-level units that keep the ledger for the whole
    area (``reporters``); ``township``: one entry per subdistrict of the scope (or the
    subdistrict itself). ``needed_by``: the names of the indicators and vetoes that read it.
    """

    ledger: str
    name: str
    level: str
    reporters: tuple[str, ...]
    units: tuple[UnitReport, ...]
    needed_by: tuple[str, ...]

    @property
    def reported(self) -> int:
        return sum(u.reported for u in self.units)

    @property
    def complete(self) -> bool:
        return all(u.reported for u in self.units)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if not u.reported)

    @property
    def summary_zh(self) -> str:
        """``已上报 5/6；未上报：第三街道`` or ``已上报（零报告）`` for a single reporter."""
        if len(self.units) == 1:
            unit = self.units[0]
            return f"已上报（{unit.how_zh}）" if unit.reported else "未上报"
        text = f"已上报 {self.reported}/{len(self.units)}"
        return f"{text}；未上报：{'、'.join(self.missing)}" if self.missing else text


@dataclass(frozen=True)
class Gap:
    """The distance to target in natural units: ``amount`` of ``unit_zh`` (e.g. 312 批次)."""

    amount: Decimal
    unit_zh: str
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator for one scope.

    ``value`` = factor × numerator ÷ denominator (factor 100 for %, 1000 for per-thousand, 1 for
    scores); ``None`` with status ``no_data`` when the denominator is 0 or missing.
    ``target_value`` is the target for this period (pro-rated by months for annualised
    indicators such as batches per 1,000 residents a year); ``target`` is the text (``>= 4``).
    """

    code: str
    item: int
    name: str
    name_en: str
    metric: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    unit: str
    target: str
    target_value: Decimal | None
    status: Status
    gap: Gap | None
    responsible_units: tuple[str, ...]
    source: str = ""
    forecast: Decimal | None = None
    options: dict[str, Any] = field(default_factory=dict)
    # Counts beside the rate, by key of ``ASIDE_ZH`` (e.g. cases open within their limit).
    aside: dict[str, Decimal] = field(default_factory=dict)
    # The reading the spec takes of an open rule, and the others' values.
    reading: str = ""
    readings: tuple[Reading, ...] = ()

    #: Rows whose result is not in yet (待检), left out of numerator and denominator.
    pending: Decimal | None = None
    #: Units that must report the indicator's ledgers and have not (no rows, no zero report).
    unreported: tuple[str, ...] = ()
    #: Why there is no verdict, e.g. ``未上报`` (the ledger was not reported).
    note: str = ""

    @property
    def breakdown_zh(self) -> str:
        """``38 合格，2 不合格，40 待检`` for an indicator with pending rows, else ``""``."""
        if not self.pending:
            return ""
        num = self.numerator or Decimal(0)
        den = self.denominator or Decimal(0)
        return f"{num:f} 合格，{den - num:f} 不合格，{self.pending:f} 待检"

    @property
    def unreported_zh(self) -> str:
        return ("未上报：" + "、".join(self.unreported)) if self.unreported else ""

    @property
    def unit_zh(self) -> str:
        return UNIT_ZH.get(self.unit, self.unit)

    @property
    def aside_zh(self) -> list[tuple[str, Decimal]]:
        """``[(label, count)]`` of the counts beside the rate, in Chinese."""
        return [(ASIDE_ZH.get(k, k), v) for k, v in self.aside.items()]

    @property
    def flipped(self) -> bool:
        """Another reading of an open rule gives the other verdict."""
        return any(r.flips for r in self.readings)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]


@dataclass(frozen=True)
class VetoResult:
    code: str
    number: int
    text: str
    status: VetoStatus
    basis: str

    @property
    def status_zh(self) -> str:
        return VETO_STATUS_ZH[self.status]


@dataclass(frozen=True)
class ItemResult:
    """A key task item: its status needs both its indicators and its evidence requirements
    (``missing_evidence``: the requirements without an approved file for this scope and period).
    """

    number: int
    group: str
    title: str
    status: Status
    indicators: tuple[str, ...]
    responsible_units: tuple[str, ...]
    evidence: tuple[str, ...]
    missing_evidence: tuple[str, ...] = ()
    #: ``(indicator name, status)`` of each of its indicators that holds the item back
    #: (未达标, 无数据, 不完整), in plan order.
    indicators_short: tuple[tuple[str, Status], ...] = ()

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    @property
    def missing_evidence_zh(self) -> str:
        """``证据缺：…`` naming each requirement still without an approved file, or ``""``."""
        if not self.missing_evidence:
            return ""
        return "证据缺：" + "；".join(self.missing_evidence)

    @property
    def indicators_short_zh(self) -> str:
        """``指标：案件办结率 未达标、… 无数据`` for the indicators that hold the item back."""
        if not self.indicators_short:
            return ""
        return "指标：" + "、".join(f"{name} {STATUS_ZH[s]}" for name, s in self.indicators_short)

    @property
    def missing_zh(self) -> str:
        """Which part of the item is missing (issue 10 §1): its indicators, its evidence, or
        both — ``指标：… 未达标；证据缺：…``; ``""`` when nothing is."""
        return "；".join(p for p in (self.indicators_short_zh, self.missing_evidence_zh) if p)


@dataclass(frozen=True)
class GroupResult:
    code: str
    number: int
    title: str
    items: tuple[int, ...]


@dataclass(frozen=True)
class OrgUnitRef:
    code: str
    name: str
    is_example: bool


@dataclass(frozen=True)
class PeriodRef:
    code: str
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Scorecard:
    programme_code: str
    programme_version: str
    programme_name: str
    org_unit: OrgUnitRef
    period: PeriodRef
    as_of: date
    indicators: tuple[IndicatorResult, ...]
    vetoes: tuple[VetoResult, ...]
    items: tuple[ItemResult, ...]
    groups: tuple[GroupResult, ...]
    #: The latest date of any dated ledger row in the scope's county up to the as-of date;
    #: shown as 数据截至 when it is before the as-of date (the ledgers end before the period).
    data_through: date | None = None
    #: Who has reported each ledger of the spec's ``reporting`` section (数据上报情况).
    reporting: tuple[LedgerReport, ...] = ()

    @property
    def data_through_zh(self) -> str:
        """``数据截至 2013-08-30`` when the ledgers end before the as-of date, else ``""``."""
        if self.data_through is None or self.data_through >= self.as_of:
            return ""
        return f"数据截至 {self.data_through.isoformat()}"

    @property
    def vetoed(self) -> bool:
        """True when any veto item applies: the programme fails whatever else is met."""
        return any(v.status is VetoStatus.VETOED for v in self.vetoes)

    @property
    def overall(self) -> str:
        """``vetoed`` | ``all_met`` | ``gaps`` (some indicator not met or without data) |
        ``no_data`` (no indicator has anything to judge: every one 无数据, 仅监测, 不适用 or
        按年度判定 — a period before or after the ledgers, where "存在差距" would be a verdict on
        nothing)."""
        if self.vetoed:
            return "vetoed"
        judged = (Status.MET, Status.NOT_MET, Status.EVIDENCE_NEEDED, Status.INCOMPLETE)
        if not any(i.status in judged for i in self.indicators):
            return "no_data"
        if all(
            i.status in (Status.MET, Status.INFO, Status.NOT_APPLICABLE) for i in self.indicators
        ):
            return "all_met"
        return "gaps"

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for ind in self.indicators:
            out[ind.status.value] += 1
        return out

    def indicator(self, code: str) -> IndicatorResult:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of ``foodsafe assess --format json`` (decimals as numbers)."""

        def num(value: Decimal | None) -> float | int | None:
            if value is None:
                return None
            return int(value) if value == value.to_integral_value() else float(value)

        return {
            "programme": {
                "code": self.programme_code,
                "version": self.programme_version,
                "name": self.programme_name,
            },
            "org_unit": asdict(self.org_unit),
            "period": {
                "code": self.period.code,
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "as_of": self.as_of.isoformat(),
            "data_through": None if self.data_through is None else self.data_through.isoformat(),
            "overall": self.overall,
            "indicators": [
                {
                    "code": i.code,
                    "item": i.item,
                    "name": i.name,
                    "numerator": num(i.numerator),
                    "denominator": num(i.denominator),
                    "value": num(i.value),
                    "unit": i.unit,
                    "target": i.target,
                    "target_value": num(i.target_value),
                    "status": i.status.value,
                    "gap": None
                    if i.gap is None
                    else {
                        "amount": num(i.gap.amount),
                        "unit": i.gap.unit_zh,
                        "text": i.gap.text_zh,
                        "text_en": i.gap.text_en,
                    },
                    "forecast": num(i.forecast),
                    "pending": num(i.pending),
                    "unreported": list(i.unreported),
                    "note": i.note,
                    "responsible_units": list(i.responsible_units),
                    "aside": {k: num(v) for k, v in i.aside.items()},
                    "reading": i.reading,
                    "readings": [
                        {
                            "code": r.code,
                            "name": r.name,
                            "numerator": num(r.numerator),
                            "denominator": num(r.denominator),
                            "value": num(r.value),
                            "status": r.status.value,
                            "flips": r.flips,
                        }
                        for r in i.readings
                    ],
                }
                for i in self.indicators
            ],
            "vetoes": [
                {
                    "code": v.code,
                    "number": v.number,
                    "text": v.text,
                    "status": v.status.value,
                    "basis": v.basis,
                }
                for v in self.vetoes
            ],
            "items": [
                {
                    "number": it.number,
                    "group": it.group,
                    "title": it.title,
                    "status": it.status.value,
                    "indicators": list(it.indicators),
                    "responsible_units": list(it.responsible_units),
                    "evidence": list(it.evidence),
                    "missing_evidence": list(it.missing_evidence),
                    "indicators_short": [
                        {"name": name, "status": status.value}
                        for name, status in it.indicators_short
                    ],
                }
                for it in self.items
            ],
            "reporting": [
                {
                    "ledger": r.ledger,
                    "name": r.name,
                    "level": r.level,
                    "reporters": list(r.reporters),
                    "units": [{"name": u.name, "how": u.how} for u in r.units],
                    "reported": r.reported,
                    "expected": len(r.units),
                    "needed_by": list(r.needed_by),
                }
                for r in self.reporting
            ],
        }
