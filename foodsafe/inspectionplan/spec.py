"""The plan spec: the inspection plan's rules as versioned YAML (STYLE.md "specs as data").

Which inspections count towards the grade frequency and which frequency table is used (the
grading spec's, or the 2022 draft's), the two-year full-checklist rule (监督检查管理办法 第二十二条),
the 重点监督检查 categories and their interval, the 双随机 ratios per grade and credit class
(第五条, 第二十一条), inspectors per inspection (第二十三条), the 3-month no-repeat window
(第四十二条), publication within 20 working days (第三十九条), and which member units plan for
which subtrees. Every part carries a certainty tag (RULES.md: P, S, M, I); the pages list the
[M]/[I] readings (:meth:`PlanSpec.open_parts`).

:func:`load_plan_spec` reads and validates a file; every problem raises :class:`PlanSpecError`
naming the file and the key (e.g. ``random_inspection.annual_ratio.B``). No database needed.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from foodsafe.inspections.models import InspectionType
from foodsafe.lib.specfiles import SpecFileError, Strict, Tagged, key_path, read_yaml_file
from foodsafe.registry.models import BusinessFormat, Sector

Grade = Literal["A", "B", "C", "D"]
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
#: The key of ``annual_ratio`` for operators without a grade.
UNGRADED = "ungraded"
#: ``frequency.table`` value meaning "the grading spec's ``frequencies.per_year``".
FROM_GRADING_SPEC = "grading_spec"
_DIVISION = re.compile(r"^\d{12}$")


class PlanSpecError(SpecFileError):
    """A plan spec that cannot be used; the message names the file and the key."""


class FrequencyTable(Tagged):
    """Months between inspections per grade (e.g. the 2022 draft: A 24, B 12, C 6, D 4)."""

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    months: dict[Grade, int]


class Ungraded(Tagged):
    months: int = Field(ge=1, le=60)


class Frequency(Tagged):
    """``table``: ``grading_spec`` (12 / the grading spec's yearly minimum, in months) or a code
    of ``tables``; ``counted_types``: the inspection types that count as a visit."""

    table: str
    counted_types: list[str] = Field(min_length=1)
    tables: list[FrequencyTable] = Field(default_factory=list)
    ungraded: Ungraded


class FullChecklist(Tagged):
    months: int = Field(ge=1, le=120)


class KeyCategory(Strict):
    """A 重点监督检查 category: an operator matches when every given condition holds."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    sectors: list[str] = Field(default_factory=list)
    formats: list[str] = Field(default_factory=list)
    grades: list[Grade] = Field(default_factory=list)
    static_tables: list[str] = Field(default_factory=list)

    def matches(self, *, sector: str, business_format: str, grade: str, static_table: str) -> bool:
        return (
            (not self.sectors or sector in self.sectors)
            and (not self.formats or business_format in self.formats)
            and (not self.grades or grade in self.grades)
            and (not self.static_tables or static_table in self.static_tables)
        )


class KeySupervision(Tagged):
    months: int = Field(ge=1, le=60)
    categories: list[KeyCategory] = Field(min_length=1)


class Credit(Tagged):
    applied: bool
    factor: dict[Grade, Decimal]


class RandomInspection(Tagged):
    """双随机: the yearly share of each grade's operators drawn (``ungraded`` for those with no
    grade), scaled to the plan's months; ``credit`` multiplies it by credit class when applied."""

    annual_ratio: dict[str, Decimal]
    credit: Credit


class Inspectors(Tagged):
    per_inspection: int = Field(ge=2, le=6)
    exclude_last: bool


class NoRepeat(Tagged):
    months: int = Field(ge=1, le=24)
    applied: bool


class Publication(Tagged):
    working_days: int = Field(ge=1, le=120)
    sources: list[Literal["due", "random"]] = Field(min_length=1)


class PlanningUnits(Tagged):
    units: dict[str, list[str]]


class PlanSpec(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    name: str
    source: str
    frequency: Frequency
    full_checklist: FullChecklist
    key_supervision: KeySupervision
    random_inspection: RandomInspection
    inspectors: Inspectors
    no_repeat: NoRepeat
    publication: Publication
    planning_units: PlanningUnits
    path: str = ""
    sha256: str = ""

    @property
    def label(self) -> str:
        """``code@version``, stored on every plan."""
        return f"{self.code}@{self.version}"

    def frequency_table(self) -> FrequencyTable | None:
        """The table ``frequency.table`` names, ``None`` for the grading spec's."""
        for table in self.frequency.tables:
            if table.code == self.frequency.table:
                return table
        return None

    def open_parts(self) -> list[tuple[str, str, str]]:
        """``(part, tag, note)`` of every [M]/[I] part, for the pages."""
        parts: list[tuple[str, Tagged]] = [
            ("检查频次", self.frequency),
            ("未定级经营者", self.frequency.ungraded),
            ("两年全项目检查", self.full_checklist),
            ("重点监督检查", self.key_supervision),
            ("双随机抽查比例", self.random_inspection),
            ("信用风险分类系数", self.random_inspection.credit),
            ("检查人员", self.inspectors),
            ("上级检查后不重复检查", self.no_repeat),
            ("结果公开", self.publication),
            ("制定计划的单位", self.planning_units),
        ]
        table = self.frequency_table()
        if table is not None:
            parts.insert(1, (table.name, table))
        return [(name, f"[{p.certainty}]", p.note) for name, p in parts if p.open]


def _check(spec: PlanSpec, path: str | Path) -> None:
    """Cross-field checks pydantic cannot make; raise naming the key."""
    freq = spec.frequency
    codes = [t.code for t in freq.tables]
    for i, code in enumerate(codes):
        if code in codes[:i] or code == FROM_GRADING_SPEC:
            raise PlanSpecError(path, f"frequency.tables[{i}].code", f"重复或保留的代码 {code!r}")
    if freq.table != FROM_GRADING_SPEC and freq.table not in codes:
        raise PlanSpecError(
            path,
            "frequency.table",
            f"未知的频次表 {freq.table!r}，可用：{[FROM_GRADING_SPEC, *codes]}",
        )
    for i, table in enumerate(freq.tables):
        missing = set(GRADES) - set(table.months)
        if missing:
            raise PlanSpecError(
                path, f"frequency.tables[{i}].months", f"缺少等级 {sorted(missing)}"
            )
        for grade, months in table.months.items():
            if not 1 <= months <= 60:
                raise PlanSpecError(
                    path, f"frequency.tables[{i}].months.{grade}", "间隔月数应为 1–60"
                )
    types = set(InspectionType.values)
    for i, kind in enumerate(freq.counted_types):
        if kind not in types:
            raise PlanSpecError(
                path,
                f"frequency.counted_types[{i}]",
                f"未知的检查类型 {kind!r}，可用：{sorted(types)}",
            )
    formats, sectors = set(BusinessFormat.values), set(Sector.values)
    seen: set[str] = set()
    for i, cat in enumerate(spec.key_supervision.categories):
        key = f"key_supervision.categories[{i}]"
        if cat.code in seen:
            raise PlanSpecError(path, f"{key}.code", f"重复的代码 {cat.code!r}")
        seen.add(cat.code)
        for fmt in cat.formats:
            if fmt not in formats:
                raise PlanSpecError(path, f"{key}.formats", f"未知的业态 {fmt!r}")
        for sector in cat.sectors:
            if sector not in sectors:
                raise PlanSpecError(path, f"{key}.sectors", f"未知的类别 {sector!r}")
        if not (cat.sectors or cat.formats or cat.grades or cat.static_tables):
            raise PlanSpecError(
                path, key, "至少给出一个条件（sectors/formats/grades/static_tables）"
            )
    ratios = spec.random_inspection.annual_ratio
    for wanted in (*GRADES, UNGRADED):
        if wanted not in ratios:
            raise PlanSpecError(
                path, f"random_inspection.annual_ratio.{wanted}", "缺少该等级的比例"
            )
    for stratum, ratio in ratios.items():
        if stratum not in (*GRADES, UNGRADED):
            raise PlanSpecError(path, f"random_inspection.annual_ratio.{stratum}", "未知的等级")
        if not Decimal(0) <= ratio <= Decimal(1):
            raise PlanSpecError(
                path, f"random_inspection.annual_ratio.{stratum}", "比例应在 0–1 之间"
            )
    credit = spec.random_inspection.credit.factor
    if set(credit) != set(GRADES):
        raise PlanSpecError(path, "random_inspection.credit.factor", "应给出 A、B、C、D 四类系数")
    for unit, codes_ in spec.planning_units.units.items():
        for j, code in enumerate(codes_):
            if not isinstance(code, str) or not _DIVISION.match(code):
                raise PlanSpecError(
                    path,
                    f"planning_units.units.{unit}[{j}]",
                    f"应为加引号的 12 位区划代码，而不是 {code!r}",
                )


def parse_plan_spec(data: Any, *, path: str | Path = "<spec>") -> PlanSpec:
    """Validate a plan spec given as plain data (the parsed YAML); raises
    :class:`PlanSpecError` naming ``path`` and the first bad key."""
    if not isinstance(data, dict):
        raise PlanSpecError(path, "(root)", "顶层应为映射 (mapping expected)")
    for key in ("path", "sha256"):
        if key in data:
            raise PlanSpecError(path, key, "由加载程序填写，不能写在规格文件中 (set by the loader)")
    units = (
        data.get("planning_units", {}).get("units")
        if isinstance(data.get("planning_units"), dict)
        else None
    )
    if isinstance(units, dict):
        # A division code written as a number loses its leading digits' meaning; say so by key.
        for unit, codes in units.items():
            for j, code in enumerate(codes if isinstance(codes, list) else []):
                if not isinstance(code, str):
                    raise PlanSpecError(
                        path,
                        f"planning_units.units.{unit}[{j}]",
                        f"区划代码须加引号，而不是 {code!r}",
                    )
    try:
        spec = PlanSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PlanSpecError(path, key_path(err["loc"]), err["msg"]) from None
    _check(spec, path)
    return spec


def load_plan_spec(path: str | Path) -> PlanSpec:
    """Read and validate a plan spec YAML file; ``path`` and ``sha256`` are set.

    Raises :class:`PlanSpecError` (file missing, bad YAML, bad key) naming the file and key.
    """
    path = Path(path)
    data, raw = read_yaml_file(path, PlanSpecError)
    spec = parse_plan_spec(data, path=path)
    return spec.model_copy(update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
