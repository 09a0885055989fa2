"""The sampling-plan spec (抽检计划规则): a YAML file read into frozen pydantic models.

Every number of RULES-supervision.md §2.3 and RULES.md §3 the plan and the 核查处置 steps use
is here, tagged with its certainty, so a bureau changes them without code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, field_validator

from foodsafe.lib.specfiles import SpecFileError, Strict, Tagged, key_path, read_yaml_file
from foodsafe.sampling.categories import category_tree

DEFAULT_SPEC = Path(__file__).with_name("specs") / "sampling-2021.yaml"
STAGES = ("production", "circulation", "catering", "online")


class SamplingPlanSpecError(SpecFileError):
    """A sampling-plan spec that cannot be used (names file and key)."""


class Targets(Tagged):
    total_per_thousand: float
    residue_per_thousand: float
    counted_types: list[str]


class Granularity(Tagged):
    period: Literal["month", "quarter"] = "month"


class StageCategories(Strict):
    only: list[str] | None = None
    exclude: list[str] = []

    def allows(self, top: str) -> bool:
        return (self.only is None or top in self.only) and top not in self.exclude


class Cells(Tagged):
    stage_of_sector: dict[str, str]
    stage_of_format: dict[str, str] = {}
    grade_weight: dict[str, float]
    stage_categories: dict[str, StageCategories]

    @field_validator("stage_categories")
    @classmethod
    def _known_stages(cls, value: dict[str, StageCategories]) -> dict[str, StageCategories]:
        for stage in value:
            if stage not in STAGES:
                raise ValueError(f"未知的环节 {stage}，应为 {', '.join(STAGES)}")
        return value


class Shares(Tagged):
    batches: dict[str, int]


class FailureTilt(Tagged):
    strength: float
    low: float
    high: float


class Residue(Tagged):
    weights: dict[str, float]


class Balance(Tagged):
    tolerance: float


class Publication(Tagged):
    #: Optional: the limit's one source is the programme spec's item-6 indicator
    #: (``in_force.publication_within_days``); a figure here must equal it.
    within_days: int | None = None


class Limit(Tagged):
    workdays: int | None = None
    #: For ``disposal.close`` optional: the closing limit's one source is the programme spec's
    #: item-6 indicator (``in_force.closing_limit``); a figure here must equal it.
    days: int | None = None


class Step(Tagged):
    code: str
    title: str
    party: Literal["operator", "department"]
    kind: Literal["task", "window"] = "task"
    workdays: int


class Disposal(Strict):
    serve: Limit
    close: Limit
    remind_before_workdays: int
    steps: list[Step]


class SamplingPlanSpec(Strict):
    code: str
    version: str
    label: str
    targets: Targets
    granularity: Granularity
    cells: Cells
    shares: Shares
    failure_tilt: FailureTilt
    residue: Residue
    balance: Balance
    publication: Publication
    disposal: Disposal
    sha256: str = ""

    def readings(self) -> list[tuple[str, Tagged]]:
        """The parts taken from memory [M] or inferred [I], to be listed on the pages."""
        parts: list[tuple[str, Tagged]] = [
            ("targets", self.targets),
            ("granularity", self.granularity),
            ("cells", self.cells),
            ("shares", self.shares),
            ("failure_tilt", self.failure_tilt),
            ("residue", self.residue),
            ("balance", self.balance),
            ("publication", self.publication),
            ("disposal.serve", self.disposal.serve),
            ("disposal.close", self.disposal.close),
            *((f"disposal.steps.{s.code}", s) for s in self.disposal.steps),
        ]
        return [(key, part) for key, part in parts if part.open]


def load_sampling_plan_spec(path: str | Path = DEFAULT_SPEC) -> SamplingPlanSpec:
    """Read and check the spec at ``path``; raises :class:`SamplingPlanSpecError`."""
    path = Path(path)
    data, raw = read_yaml_file(path, SamplingPlanSpecError)
    try:
        spec = SamplingPlanSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SamplingPlanSpecError(path, key_path(first["loc"]), first["msg"]) from None
    tree = category_tree()
    for code in [*spec.shares.batches, *spec.residue.weights]:
        if code not in tree.nodes:
            raise SamplingPlanSpecError(path, "shares/residue", f"食品分类中没有编码 {code}")
    for code in spec.residue.weights:
        if not tree.residue_bearing(code):
            raise SamplingPlanSpecError(
                path, f"residue.weights.{code}", f"{tree.name_of(code)} 下没有带残留项目的细类"
            )
    return spec.model_copy(update={"sha256": hashlib.sha256(raw).hexdigest()})
