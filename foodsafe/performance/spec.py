"""The performance assessment spec (绩效考核): its factors, their weights and the rule for a
factor without data, as versioned YAML (STYLE.md "specs as data").

:func:`load_assessment_spec` reads and validates a file; a problem raises
:class:`AssessmentSpecError` naming the file and the key. No database needed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from foodsafe.lib.specfiles import SpecFileError, Strict, Tagged, key_path, read_yaml_file

#: The factors the code can compute (``foodsafe.performance.factors``).
FACTOR_CODES: tuple[str, ...] = (
    "tasks_on_time",
    "evidence_first_pass",
    "rectifications_on_time",
    "overdue_days",
    "decisions_done",
)


class AssessmentSpecError(SpecFileError):
    """An assessment spec that cannot be used; the message names the file and the key."""


class FactorSpec(Tagged):
    code: str
    name: str
    weight: Decimal = Field(gt=0)
    #: ``overdue_days`` only: points off per working day overdue.
    penalty_per_day: Decimal | None = Field(default=None, gt=0)


class MissingRule(Tagged):
    rule: Literal["reweight"]
    #: The least share (0–1) of the factors' weights a unit must have data for to get a total
    #: and a rank; below it the unit is 数据不足 (one factor of five must not rank first).
    min_weight_share: Decimal = Field(default=Decimal(0), ge=0, le=1)


class AssessmentSpec(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    name: str
    source: str
    factors: list[FactorSpec] = Field(min_length=1)
    missing: MissingRule
    path: str = ""
    sha256: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version} ({self.sha256[:12] or 'inline'})"

    def open_parts(self) -> list[tuple[str, Tagged]]:
        """The [M]/[I] readings with their names, for the page."""
        parts: list[tuple[str, Tagged]] = [(f.name, f) for f in self.factors]
        parts.append(("缺少数据时", self.missing))
        return [(name, part) for name, part in parts if part.open]


def parse_assessment_spec(data: Any, *, path: str | Path = "<spec>") -> AssessmentSpec:
    """Validate a spec given as plain data; raises :class:`AssessmentSpecError` naming
    ``path`` and the first bad key."""
    if not isinstance(data, dict):
        raise AssessmentSpecError(path, "(root)", "顶层应为映射 (mapping expected)")
    for key in ("path", "sha256"):
        if key in data:
            raise AssessmentSpecError(path, key, "由加载程序填写，不能写在规格文件中")
    try:
        spec = AssessmentSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise AssessmentSpecError(path, key_path(err["loc"]), err["msg"]) from None
    seen: set[str] = set()
    for i, factor in enumerate(spec.factors):
        where = f"factors[{i}]"
        if factor.code not in FACTOR_CODES:
            raise AssessmentSpecError(
                path, f"{where}.code", f"未知的考核因素 {factor.code!r}，可用：{list(FACTOR_CODES)}"
            )
        if factor.code in seen:
            raise AssessmentSpecError(path, f"{where}.code", f"考核因素 {factor.code!r} 重复")
        seen.add(factor.code)
        needs_penalty = factor.code == "overdue_days"
        if needs_penalty != (factor.penalty_per_day is not None):
            message = (
                "逾期天数须给出 penalty_per_day"
                if needs_penalty
                else "仅逾期天数可设 penalty_per_day"
            )
            raise AssessmentSpecError(path, f"{where}.penalty_per_day", message)
    return spec


def load_assessment_spec(path: str | Path) -> AssessmentSpec:
    """Read and validate a spec YAML file; ``path`` and ``sha256`` are set."""
    path = Path(path)
    data, raw = read_yaml_file(path, AssessmentSpecError)
    spec = parse_assessment_spec(data, path=path)
    return spec.model_copy(update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
