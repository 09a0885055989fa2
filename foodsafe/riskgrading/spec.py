"""The grading spec: a versioned YAML transcription of a risk-grading scheme (风险分级管理办法).

The spec is data (STYLE.md "specs as data"), so a district swaps in its province's current
tables without code: static-risk tables per sector (静态风险因素量化分值表) with their factors and
point bands, the dynamic checklist per sector (监督检查要点表, each item's points and whether it is
a key item), the A–D bands, the inspection frequencies, the rule deriving an inspection's result
from its checklist, and the year-end adjustment rules (第二十七条–第三十条).

Every part carries a certainty tag as RULES.md writes it (``P`` primary text, ``S`` secondary,
``M`` memory, ``I`` inferred); the pages say which parts are [M]/[I].

:func:`load_grading_spec` reads and validates a file; every problem raises
:class:`GradingSpecError` naming the file and the key (e.g. ``static_tables[0].items[2].bands``).
The spec layer needs no database.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from foodsafe.lib.specfiles import (
    Certainty,
    SpecFileError,
    Strict,
    Tagged,
    key_path,
    read_yaml_file,
)

Grade = Literal["A", "B", "C", "D"]
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
SECTORS = ("production", "sales", "catering")

#: Where an adjustment rule's facts come from; implemented in ``riskgrading.adjustment``.
DETECTORS = {
    "penalty_case",
    "failed_surveillance_sampling",
    "obstruction",
    "recorded_fact",
    "clean_years",
}


class GradingSpecError(SpecFileError):
    """A grading spec that cannot be used; the message names the file and the key."""


class Band(Strict):
    """Up to ``max`` (inclusive; ``None``: no upper bound) → ``points``."""

    max: Decimal | None = None
    points: Decimal = Field(ge=0)


class Option(Strict):
    code: str
    name: str
    points: Decimal = Field(ge=0)


class StaticItem(Tagged):
    """A static factor (静态风险因素) of a table.

    ``kind``: ``bands`` (a number, e.g. floor area, looked up in ``bands``; counts are rounded
    half up first when ``integer``), ``choice`` (one option, or several when ``multiple``, scored
    at the highest: 就高不就低) or ``flag`` (yes → ``points``).
    """

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    kind: Literal["bands", "choice", "flag"]
    max_points: Decimal = Field(gt=0)
    unit: str = ""
    integer: bool = False
    bands: list[Band] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    multiple: bool = False
    points: Decimal | None = None


class StaticTable(Tagged):
    """A sector's static table (静态风险因素量化分值表); ``formats`` empty: every format of the
    sector not claimed by another table."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    sector: Literal["production", "sales", "catering"]
    formats: list[str] = Field(default_factory=list)
    max_points: Decimal = Field(gt=0)
    complete: bool = True
    items: list[StaticItem] = Field(min_length=1)

    def item(self, code: str) -> StaticItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


class FormatDefaults(Tagged):
    """The static score of an operator with no static-factor record, from its registry format
    alone: the 2016 tier (Ⅰ–Ⅳ) of the format and the points of each tier."""

    tier_points: dict[Literal["I", "II", "III", "IV"], Decimal]
    formats: dict[str, Literal["I", "II", "III", "IV"]]


class ChecklistItem(Strict):
    code: str
    group: str
    text: str
    points: Decimal = Field(gt=0)
    key: bool = False
    certainty: Certainty


class ResultRule(Tagged):
    """How an inspection's result follows from its checklist (检查结果判定): no failed item →
    符合; a key item failed, or ``noncompliant_general`` general items or more → 不符合; else
    基本符合."""

    noncompliant_key: int = Field(ge=1)
    noncompliant_general: int = Field(ge=1)


class Checklist(Tagged):
    """A sector's checklist (监督检查要点表); a 不符合 answer adds the item's points to the
    dynamic risk score, capped at the scheme's ``dynamic_max``."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    sector: Literal["production", "sales", "catering"]
    items: list[ChecklistItem] = Field(min_length=1)

    def item(self, code: str) -> ChecklistItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


class GradeBand(Strict):
    grade: Grade
    max: Decimal | None = None


class Bands(Tagged):
    rows: list[GradeBand] = Field(min_length=1)


class Frequency(Strict):
    min: int = Field(ge=0)
    max: int | None = None


class Frequencies(Tagged):
    per_year: dict[Grade, Frequency]


class NewOperator(Tagged):
    """第二十四条: a new operator graded from its static score alone; ``dynamic_assumed`` is the
    dynamic score counted for it (the reading)."""

    dynamic_assumed: Decimal = Field(ge=0)


class Presumption(Tagged):
    """What a grading may presume when the data a grade needs is missing (无数据不下结论).

    ``static_from_format``: an operator with no usable static-factor record takes its registry
    format's tier (``format_defaults``); ``dynamic_without_checklist``: an operator opened before
    the year with no checklist is graded with ``new_operator.dynamic_assumed`` as its dynamic
    score (第二十四条 allows the static score alone for a *new* operator only). Both off by
    default: such an operator keeps its recorded grade or is 待评定. When on, the grade is
    marked presumed (推定) and still never replaces a recorded grade. [I] either way.
    """

    certainty: Certainty = "I"
    source: str = "RULES-supervision.md §1.1（评定步骤 1–2）；第二十四条 [P]"
    note: str = (
        "缺少评定所需数据（静态风险因素记录；开办早于评定年度者的检查要点记录）时不推定等级："
        "沿用登记的风险等级，无登记等级的列为待评定"
    )
    static_from_format: bool = False
    dynamic_without_checklist: bool = False


class AdjustmentRule(Tagged):
    """One case of 第二十八条 (up) or 第三十条 (down) and how the ledgers show it."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    article: str
    name: str
    detector: str
    steps: int = Field(ge=1, le=3)
    reading: str = ""
    options: dict[str, Any] = Field(default_factory=dict)


class Adjustment(Tagged):
    """第二十七条–第三十条: next year's grade from this year's records. ``up_wins``: an operator
    with both an up and a down case goes up (the reading when both apply)."""

    up: list[AdjustmentRule] = Field(min_length=1)
    down: list[AdjustmentRule] = Field(default_factory=list)
    up_max_steps: int = Field(ge=1, le=3)
    up_wins: bool = True


class Scale(Tagged):
    static_max: Decimal = Field(gt=0)
    dynamic_max: Decimal = Field(gt=0)


class GradingSpec(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    name: str
    source: str
    scale: Scale
    bands: Bands
    frequencies: Frequencies
    new_operator: NewOperator
    presumption: Presumption = Field(default_factory=Presumption)
    result_rule: ResultRule
    static_tables: list[StaticTable] = Field(min_length=1)
    format_defaults: FormatDefaults
    checklists: list[Checklist] = Field(min_length=1)
    adjustment: Adjustment
    path: str = ""
    sha256: str = ""

    # -- look-ups ------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """``code@version``, stored on every grade as the scheme it was computed under."""
        return f"{self.code}@{self.version}"

    def static_table(self, code: str) -> StaticTable:
        for table in self.static_tables:
            if table.code == code:
                return table
        raise KeyError(code)

    def static_table_for(self, sector: str, business_format: str) -> StaticTable | None:
        """The table of a sector claiming ``business_format``, else the sector's general one."""
        general = None
        for table in self.static_tables:
            if table.sector != sector:
                continue
            if business_format in table.formats:
                return table
            if not table.formats and general is None:
                general = table
        return general

    def checklist_for(self, sector: str) -> Checklist | None:
        for checklist in self.checklists:
            if checklist.sector == sector:
                return checklist
        return None

    def checklist(self, code: str) -> Checklist:
        for checklist in self.checklists:
            if checklist.code == code:
                return checklist
        raise KeyError(code)

    def open_parts(self) -> list[tuple[str, str, str]]:
        """``(part, tag, note)`` of every [M]/[I] part, for the pages that say which reading
        the scheme took."""
        parts: list[tuple[str, Tagged]] = [
            ("分值构成", self.scale),
            ("风险等级分值区间", self.bands),
            ("检查频次", self.frequencies),
            ("新开办企业", self.new_operator),
            ("缺少评定数据时的推定", self.presumption),
            ("检查结果判定", self.result_rule),
            ("无静态因素记录时按业态", self.format_defaults),
            ("年度调整", self.adjustment),
        ]
        parts += [(t.name, t) for t in self.static_tables]
        parts += [(f"{t.name}·{i.name}", i) for t in self.static_tables for i in t.items]
        parts += [(c.name, c) for c in self.checklists]
        parts += [(r.name, r) for r in (*self.adjustment.up, *self.adjustment.down)]
        return [(name, f"[{p.certainty}]", p.note) for name, p in parts if p.open]


def _check(spec: GradingSpec, path: str | Path) -> None:
    """Cross-field checks pydantic cannot make; raise naming the key."""

    def unique(values: list[str], key: str) -> None:
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                raise GradingSpecError(path, f"{key}[{i}]", f"重复的值 {value!r} (duplicate)")
            seen.add(value)

    def increasing(bounds: list[Decimal | None], key: str) -> None:
        for i, bound in enumerate(bounds):
            last = i == len(bounds) - 1
            if bound is None and not last:
                raise GradingSpecError(path, f"{key}[{i}].max", "只有最后一档可以不设上限")
            if bound is not None and i and bounds[i - 1] is not None and bound <= bounds[i - 1]:  # type: ignore[operator]
                raise GradingSpecError(path, f"{key}[{i}].max", "各档上限应递增")
        if bounds and bounds[-1] is not None:
            raise GradingSpecError(path, f"{key}[{len(bounds) - 1}].max", "最后一档不应设上限")

    increasing([b.max for b in spec.bands.rows], "bands.rows")
    if [b.grade for b in spec.bands.rows] != list(GRADES):
        raise GradingSpecError(path, "bands.rows", "应依次给出 A、B、C、D 四档")
    missing = set(GRADES) - set(spec.frequencies.per_year)
    if missing:
        raise GradingSpecError(path, "frequencies.per_year", f"缺少等级 {sorted(missing)}")
    for grade, freq in spec.frequencies.per_year.items():
        if freq.max is not None and freq.max < freq.min:
            raise GradingSpecError(path, f"frequencies.per_year.{grade}.max", "上限小于下限")
    unique([t.code for t in spec.static_tables], "static_tables")
    claimed: dict[str, str] = {}
    for i, table in enumerate(spec.static_tables):
        key = f"static_tables[{i}]"
        for fmt in table.formats:
            if fmt in claimed:
                raise GradingSpecError(
                    path, f"{key}.formats", f"业态 {fmt!r} 已由 {claimed[fmt]!r} 使用"
                )
            claimed[fmt] = table.code
        unique([item.code for item in table.items], f"{key}.items")
        total = Decimal(0)
        for j, item in enumerate(table.items):
            ikey = f"{key}.items[{j}]"
            if item.kind == "bands":
                if not item.bands:
                    raise GradingSpecError(path, f"{ikey}.bands", "按区间计分的因素须给出区间")
                increasing([b.max for b in item.bands], f"{ikey}.bands")
                top = max(b.points for b in item.bands)
            elif item.kind == "choice":
                if not item.options:
                    raise GradingSpecError(path, f"{ikey}.options", "选项类因素须给出选项")
                unique([o.code for o in item.options], f"{ikey}.options")
                top = max(o.points for o in item.options)
            else:
                if item.points is None:
                    raise GradingSpecError(path, f"{ikey}.points", "是否类因素须给出分值")
                top = item.points
            if top > item.max_points:
                raise GradingSpecError(
                    path, f"{ikey}.max_points", f"最高档 {top} 分超过该因素满分 {item.max_points}"
                )
            total += item.max_points
        if total > table.max_points and not any(i.multiple for i in table.items):
            raise GradingSpecError(
                path, f"{key}.max_points", f"各因素满分合计 {total} 超过表满分 {table.max_points}"
            )
        if table.max_points > spec.scale.static_max:
            raise GradingSpecError(path, f"{key}.max_points", "超过静态风险满分")
    for fmt in spec.format_defaults.formats:
        if not fmt:
            raise GradingSpecError(path, "format_defaults.formats", "业态不能为空")
    missing_tiers = set(spec.format_defaults.formats.values()) - set(
        spec.format_defaults.tier_points
    )
    if missing_tiers:
        raise GradingSpecError(path, "format_defaults.tier_points", f"缺少 {sorted(missing_tiers)}")
    if max(spec.format_defaults.tier_points.values()) > spec.scale.static_max:
        raise GradingSpecError(path, "format_defaults.tier_points", "超过静态风险满分")
    unique([c.code for c in spec.checklists], "checklists")
    unique([c.sector for c in spec.checklists], "checklists.sector")
    for i, checklist in enumerate(spec.checklists):
        unique([item.code for item in checklist.items], f"checklists[{i}].items")
    if spec.new_operator.dynamic_assumed > spec.scale.dynamic_max:
        raise GradingSpecError(path, "new_operator.dynamic_assumed", "超过动态风险满分")
    rules = [*spec.adjustment.up, *spec.adjustment.down]
    unique([r.code for r in rules], "adjustment.rules")
    for side in ("up", "down"):
        for i, rule in enumerate(getattr(spec.adjustment, side)):
            if rule.detector not in DETECTORS:
                raise GradingSpecError(
                    path,
                    f"adjustment.{side}[{i}].detector",
                    f"未知的认定方式 {rule.detector!r}，可用：{sorted(DETECTORS)}",
                )
            if rule.detector == "recorded_fact" and not rule.options.get("kind"):
                raise GradingSpecError(
                    path, f"adjustment.{side}[{i}].options.kind", "登记事实类规则须给出 kind"
                )
            if side == "up" and rule.steps > spec.adjustment.up_max_steps:
                raise GradingSpecError(
                    path, f"adjustment.up[{i}].steps", "超过 up_max_steps（最多上调等级数）"
                )


def parse_grading_spec(data: Any, *, path: str | Path = "<spec>") -> GradingSpec:
    """Validate a grading spec given as plain data (the parsed YAML).

    Raises :class:`GradingSpecError` naming ``path`` and the first bad key.
    """
    if not isinstance(data, dict):
        raise GradingSpecError(path, "(root)", "顶层应为映射 (mapping expected)")
    for key in ("path", "sha256"):
        if key in data:
            raise GradingSpecError(
                path, key, "由加载程序填写，不能写在规格文件中 (set by the loader)"
            )
    try:
        spec = GradingSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise GradingSpecError(path, key_path(err["loc"]), err["msg"]) from None
    _check(spec, path)
    return spec


def load_grading_spec(path: str | Path) -> GradingSpec:
    """Read and validate a grading spec YAML file; ``path`` and ``sha256`` are set.

    Raises :class:`GradingSpecError` (file missing, bad YAML, bad key) naming the file and key.
    """
    path = Path(path)
    data, raw = read_yaml_file(path, GradingSpecError)
    spec = parse_grading_spec(data, path=path)
    return spec.model_copy(update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
