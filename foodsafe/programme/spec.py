"""The programme spec: a versioned YAML transcription of an implementation plan (实施方案).

The spec is data (STYLE.md "specs as data"): groups, key task items (重点任务) with their text and
responsible units (责任单位, lead/cooperating as the plan writes them), veto items (否决项),
phases with dates, evidence requirements, and quantitative indicators (指标) that name a metric of
the scorecard engine, a target such as ``">= 4"`` and counting options.

:func:`load_programme_spec` reads and validates a file; every problem raises
:class:`ProgrammeSpecError` naming the file and the key (e.g. ``indicators[3].target``).
The spec layer needs no database.
"""

from __future__ import annotations

import hashlib
import operator
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from foodsafe.lib.specfiles import SpecFileError, Strict, key_path, read_yaml_file


class ProgrammeSpecError(SpecFileError):
    """A programme spec that cannot be used; the message names the file and the key."""


_COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
#: A target as written in a spec: comparator and number, ``>= 98``.
TARGET_PATTERN = re.compile(r"^\s*(>=|<=|==|>|<)\s*(\d+(?:\.\d+)?)\s*$")
#: Comparators as official documents write them (≥ 98%).
COMPARATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


class Target(BaseModel):
    """A target: comparator and value, e.g. ``>= 98`` (value in the indicator's unit)."""

    model_config = ConfigDict(frozen=True)
    comparator: Literal[">=", ">", "<=", "<", "=="]
    value: Decimal

    @classmethod
    def parse(cls, text: str) -> Target:
        match = TARGET_PATTERN.match(str(text))
        if not match:
            raise ValueError(f"目标应写作 '>= 98' 这样的比较式，实际为 {text!r}")
        return cls(comparator=match.group(1), value=Decimal(match.group(2)))  # type: ignore[arg-type]

    def is_met(self, value: Decimal | float) -> bool:
        return _COMPARATORS[self.comparator](Decimal(str(value)), self.value)

    def __str__(self) -> str:
        return f"{self.comparator} {self.value.normalize():f}"


class ResponsibleUnitSpec(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    name_en: str = ""
    collective: bool = False


class GroupSpec(Strict):
    code: str
    number: int
    title: str
    title_en: str = ""


class UnitRole(Strict):
    unit: str
    role: Literal["responsible", "lead", "cooperating"] = "responsible"


class ItemSpec(Strict):
    number: int = Field(ge=1)
    group: str
    title: str
    title_en: str = ""
    text: str
    unit_label: Literal["责任单位", "责任部门", ""] = "责任单位"
    units: list[UnitRole] = Field(min_length=1)
    units_note: str = ""
    evidence: list[str] = Field(default_factory=list)


class GapText(Strict):
    """Gap templates; ``{shortfall}``, ``{failures}``, ``{numerator}``, ``{denominator}`` fill in."""

    zh: str
    en: str


class ReadingSpec(Strict):
    """Another reading of an open rule (RULES.md [M]/[I]): the counting options it changes.

    ``options`` are merged over the indicator's own; the scorecard shows this reading's value
    beside the one the spec takes and flags when the verdict differs.
    """

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    name_en: str = ""
    options: dict[str, Any] = Field(default_factory=dict)


class IndicatorSpec(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    item: int
    metric: str
    name: str
    name_en: str = ""
    unit: Literal["%", "batches_per_thousand", "points", "count", "per_business"]
    # None: a monitoring indicator (仅监测) shown with its value and no target or status.
    target: Target | None = None
    annualised: bool = False
    # The span the target is stated for (RULES.md [I]: a reading, so configuration): ``year``
    # for a target stated per year with no pro-rating reading of its own (每年 100 % 培训,
    # 三小 每年至少检查 1 次, 25 % of the year's grain stock). A period shorter than the cycle
    # shows the value as progress (期内进度) with status 按年度判定, no 达标/未达标 (h-newuser3
    # N2). ``period``: the target holds for any period (rates, stock measures as of its end,
    # indicators pro-rated by an explicit reading).
    cycle: Literal["period", "year"] = "period"
    options: dict[str, Any] = Field(default_factory=dict)
    gap: GapText | None = None
    source: str = ""
    # The indicator's own lead unit (牵头) when it is narrower than its item's units, e.g. the
    # term-start school inspections of item 5 are done by 区市场监管局.
    lead_unit: str | None = None
    # Where the rule is open (RULES.md [M]/[I]): the reading these options take, and the others.
    reading: str = ""
    reading_en: str = ""
    alternatives: list[ReadingSpec] = Field(default_factory=list)

    @field_validator("target", mode="before")
    @classmethod
    def _parse_target(cls, value: Any) -> Any:
        if isinstance(value, str | int | float):
            return Target.parse(str(value))
        return value


class VetoSpec(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: int = Field(ge=1)
    text: str
    text_en: str = ""
    rule: Literal["finding", "incident", "indicator"]
    indicator: str | None = None
    lookback_years: int | None = None
    # Values of foodsafe.incidents.models.Severity / IncidentKind (kept literal: no DB import).
    severities: list[Literal["I", "II", "III", "IV"]] = Field(default_factory=list)
    kinds: list[Literal["residue", "illegal_additive", "campus", "poisoning", "other"]] = Field(
        default_factory=list
    )
    serious_social_impact_only: bool = False


class ReportingSpec(Strict):
    """A ledger the scorecard needs, who reports it and who must (数据上报; issue 10 §2).

    ``ledger``: an import ledger name (``foodsafe.imports.ledgers``). ``reporters``: the
    responsible units that keep it and may record a zero report (零报告) for it (the office
    always may). ``level``: who must report for a roll-up to be complete — ``county``: the
    district for its whole area (a subdistrict without rows has a real zero); ``township``: each
    subdistrict, so a district roll-up in which one has neither rows nor a zero report is
    incomplete (不完整) and never met. ``needed_by``: the indicators and vetoes that read it.
    """

    ledger: str = Field(pattern=r"^[a-z][a-z_]*$")
    name: str
    reporters: list[str] = Field(min_length=1)
    level: Literal["county", "township"] = "county"
    needed_by: list[str] = Field(default_factory=list)


class PhaseWorkSpec(Strict):
    """A phase's own work (阶段工作, 实施方案 §四) as a task: owner unit and dates.

    ``due_basis`` says where the deadline comes from; where the plan gives only a period
    ("上半年"), the spec takes the phase's last day and says so ([I]).
    """

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    title_en: str = ""
    unit: str
    start: date | None = None
    due: date
    due_basis: str = ""


class PhaseSpec(Strict):
    code: str
    number: int
    name: str
    name_en: str = ""
    start: date
    end: date
    tasks: list[str] = Field(default_factory=list)
    work: list[PhaseWorkSpec] = Field(default_factory=list)


class ProgrammeHeader(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    name: str
    name_en: str = ""
    document_number: str
    issued_on: date
    year: int
    org_unit: str = Field(pattern=r"^\d{12}$")
    source: str = ""


class ProgrammeSpec(Strict):
    """A whole programme; cross-references are checked by :func:`load_programme_spec`."""

    programme: ProgrammeHeader
    responsible_units: list[ResponsibleUnitSpec]
    groups: list[GroupSpec]
    items: list[ItemSpec]
    indicators: list[IndicatorSpec]
    vetoes: list[VetoSpec]
    phases: list[PhaseSpec]
    reporting: list[ReportingSpec] = Field(default_factory=list)

    # Filled in by the loader, not by the YAML.
    path: str = ""
    sha256: str = ""

    def item(self, number: int) -> ItemSpec:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def unit(self, code: str) -> ResponsibleUnitSpec:
        for unit in self.responsible_units:
            if unit.code == code:
                return unit
        raise KeyError(code)

    def indicator(self, code: str) -> IndicatorSpec:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def reporting_for(self, code: str) -> list[ReportingSpec]:
        """The reporting entries of the ledgers indicator or veto ``code`` reads."""
        return [r for r in self.reporting if code in r.needed_by]

    def ledger_reporting(self, ledger: str) -> ReportingSpec | None:
        return next((r for r in self.reporting if r.ledger == ledger), None)

    def unit_names(self, item_number: int) -> list[str]:
        """Names of the responsible units of an item, in the plan's order (lead first)."""
        return [self.unit(u.unit).name for u in self.item(item_number).units]

    def indicator_unit_names(self, indicator: IndicatorSpec) -> list[str]:
        """The indicator's responsible units: its own ``lead_unit`` first, then its item's."""
        names = self.unit_names(indicator.item)
        if indicator.lead_unit is None:
            return names
        lead = self.unit(indicator.lead_unit).name
        return [lead, *(n for n in names if n != lead)]


def _check_references(
    spec: ProgrammeSpec, path: str | Path, known_metrics: set[str] | None
) -> None:
    def unique(values: list[Any], key: str) -> None:
        seen: set[Any] = set()
        for i, value in enumerate(values):
            if value in seen:
                raise ProgrammeSpecError(path, f"{key}[{i}]", f"重复的值 {value!r} (duplicate)")
            seen.add(value)

    unique([u.code for u in spec.responsible_units], "responsible_units")
    unique([u.name for u in spec.responsible_units], "responsible_units")
    unique([g.code for g in spec.groups], "groups")
    unique([i.number for i in spec.items], "items")
    unique([i.code for i in spec.indicators], "indicators")
    unique([v.code for v in spec.vetoes], "vetoes")
    unique([v.number for v in spec.vetoes], "vetoes")
    unique([g.number for g in spec.groups], "groups")
    unique([p.code for p in spec.phases], "phases")
    unique([p.number for p in spec.phases], "phases")
    unit_codes = {u.code for u in spec.responsible_units}
    group_codes = {g.code for g in spec.groups}
    item_numbers = {i.number for i in spec.items}
    indicator_codes = {i.code for i in spec.indicators}
    for i, item in enumerate(spec.items):
        if item.group not in group_codes:
            raise ProgrammeSpecError(path, f"items[{i}].group", f"未定义的类别 {item.group!r}")
        for j, unit in enumerate(item.units):
            if unit.unit not in unit_codes:
                raise ProgrammeSpecError(
                    path, f"items[{i}].units[{j}].unit", f"未定义的责任单位 {unit.unit!r}"
                )
    for i, phase in enumerate(spec.phases):
        unique([w.code for w in phase.work], f"phases[{i}].work")
        for j, work in enumerate(phase.work):
            if work.unit not in unit_codes:
                raise ProgrammeSpecError(
                    path, f"phases[{i}].work[{j}].unit", f"未定义的责任单位 {work.unit!r}"
                )
            if work.start is not None and work.start > work.due:
                raise ProgrammeSpecError(
                    path, f"phases[{i}].work[{j}].start", "开始日期晚于完成期限"
                )
    for i, ind in enumerate(spec.indicators):
        if ind.target is not None and ind.gap is None:
            raise ProgrammeSpecError(path, f"indicators[{i}].gap", "有目标值的指标须给出差距说明")
        if ind.item not in item_numbers:
            raise ProgrammeSpecError(path, f"indicators[{i}].item", f"没有第 {ind.item} 项任务")
        if ind.lead_unit is not None and ind.lead_unit not in unit_codes:
            raise ProgrammeSpecError(
                path, f"indicators[{i}].lead_unit", f"未定义的责任单位 {ind.lead_unit!r}"
            )
        if ind.alternatives and not ind.reading:
            raise ProgrammeSpecError(
                path, f"indicators[{i}].reading", "列出其他口径时须写明本指标采用的口径"
            )
        unique([a.code for a in ind.alternatives], f"indicators[{i}].alternatives")
        if known_metrics is not None and ind.metric not in known_metrics:
            raise ProgrammeSpecError(
                path, f"indicators[{i}].metric", f"未知的指标算法 {ind.metric!r} (unknown metric)"
            )
    for i, veto in enumerate(spec.vetoes):
        if veto.rule == "indicator" and veto.indicator not in indicator_codes:
            raise ProgrammeSpecError(
                path, f"vetoes[{i}].indicator", f"未定义的指标 {veto.indicator!r}"
            )
        if veto.rule == "indicator" and spec.indicator(veto.indicator or "").target is None:
            raise ProgrammeSpecError(
                path, f"vetoes[{i}].indicator", "否决项所依据的指标须有目标值 (needs a target)"
            )
        if veto.rule == "incident" and not veto.lookback_years:
            raise ProgrammeSpecError(
                path, f"vetoes[{i}].lookback_years", "事件类否决项须给出回溯年数"
            )
    unique([r.ledger for r in spec.reporting], "reporting")
    veto_codes = {v.code for v in spec.vetoes}
    for i, rep in enumerate(spec.reporting):
        for j, reporter in enumerate(rep.reporters):
            if reporter not in unit_codes:
                raise ProgrammeSpecError(
                    path, f"reporting[{i}].reporters[{j}]", f"未定义的责任单位 {reporter!r}"
                )
        for j, code in enumerate(rep.needed_by):
            if code not in indicator_codes | veto_codes:
                raise ProgrammeSpecError(
                    path, f"reporting[{i}].needed_by[{j}]", f"未定义的指标或否决项 {code!r}"
                )
    for i, phase in enumerate(spec.phases):
        if phase.end < phase.start:
            raise ProgrammeSpecError(path, f"phases[{i}].end", "结束日期早于开始日期")


def parse_programme_spec(
    data: Any, *, path: str | Path = "<spec>", known_metrics: set[str] | None = None
) -> ProgrammeSpec:
    """Validate a spec given as plain data (the parsed YAML).

    Raises :class:`ProgrammeSpecError` naming ``path`` and the first bad key.
    ``known_metrics``: when given, every indicator's ``metric`` must be in it.
    """
    if not isinstance(data, dict):
        raise ProgrammeSpecError(path, "(root)", "顶层应为映射 (mapping expected)")
    for key in ("path", "sha256"):
        if key in data:
            raise ProgrammeSpecError(
                path, key, "由加载程序填写，不能写在规格文件中 (set by the loader)"
            )
    try:
        spec = ProgrammeSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ProgrammeSpecError(path, key_path(err["loc"]), err["msg"]) from None
    _check_references(spec, path, known_metrics)
    return spec


def load_programme_spec(
    path: str | Path, *, known_metrics: set[str] | None = None
) -> ProgrammeSpec:
    """Read and validate a programme spec YAML file.

    Returns a frozen :class:`ProgrammeSpec` with ``path`` and ``sha256`` set.
    Raises :class:`ProgrammeSpecError` (file missing, bad YAML, bad key) naming the file and key.
    """
    path = Path(path)
    data, raw = read_yaml_file(path, ProgrammeSpecError)
    spec = parse_programme_spec(data, path=path, known_metrics=known_metrics)
    return spec.model_copy(update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
