"""The credit class spec: the monthly A–D classes' rules as versioned YAML (STYLE.md "specs as
data").

The look-back window, the points per record (``kind.outcome`` of the credit file's entries),
the class bands and the records that force class D (实施条例 第六十六条: the 严重违法失信名单).
Every part carries a certainty tag (RULES.md: P, S, M, I); the pages list the [M]/[I] readings
(:meth:`CreditSpec.open_parts`). :func:`load_credit_spec` reads and validates a file; a problem
raises :class:`CreditSpecError` naming the file and the key. No database needed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from foodsafe.lib.specfiles import SpecFileError, Strict, Tagged, key_path, read_yaml_file

#: The rule keys a credit file's entries can have (``kind.outcome``; see .refresh).
RULE_KEYS: tuple[str, ...] = (
    "licence.granted",
    "inspection.compliant",
    "inspection.rectify",
    "inspection.noncompliant",
    "inspection.not_scored",
    "sampling.nonconforming",
    "case.filed",
    "case.penalty",
    "case.individual",
    "case.criminal",
    "complaint.accepted",
    "listing.listed",
)


class CreditSpecError(SpecFileError):
    """A credit spec that cannot be used; the message names the file and the key."""


class Window(Tagged):
    months: int = Field(ge=1, le=120)


class Weights(Tagged):
    points: dict[str, int]


class Classes(Tagged):
    a_requires: list[str]
    b_max: int = Field(ge=0)
    c_max: int = Field(ge=0)


class ForcesD(Tagged):
    outcomes: list[str]


class CreditSpec(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    name: str
    source: str
    window: Window
    weights: Weights
    classes: Classes
    forces_d: ForcesD
    path: str = ""
    sha256: str = ""

    @property
    def label(self) -> str:
        """``code vversion (sha256 prefix)``: stored on each class to say which rules made it."""
        return f"{self.code} v{self.version} ({self.sha256[:12] or 'inline'})"

    def open_parts(self) -> list[tuple[str, Tagged]]:
        """The [M]/[I] parts with their Chinese names, for the page."""
        parts: list[tuple[str, Tagged]] = [
            ("回看期限", self.window),
            ("记录扣分", self.weights),
            ("分类分档", self.classes),
            ("直接定为 D 类", self.forces_d),
        ]
        return [(name, part) for name, part in parts if part.open]


def _check(spec: CreditSpec, path: str | Path) -> None:
    known = set(RULE_KEYS)
    for key, points in spec.weights.points.items():
        if key not in known:
            raise CreditSpecError(
                path, f"weights.points.{key}", f"未知的记录类别，可用：{list(RULE_KEYS)}"
            )
        if points < 0:
            raise CreditSpecError(path, f"weights.points.{key}", "分值不能为负")
    for i, key in enumerate(spec.classes.a_requires):
        if key not in known:
            raise CreditSpecError(path, f"classes.a_requires[{i}]", f"未知的记录类别 {key!r}")
    for i, key in enumerate(spec.forces_d.outcomes):
        if key not in known:
            raise CreditSpecError(path, f"forces_d.outcomes[{i}]", f"未知的记录类别 {key!r}")
    if spec.classes.c_max < spec.classes.b_max:
        raise CreditSpecError(path, "classes.c_max", "C 类上限应不小于 B 类上限")


def parse_credit_spec(data: Any, *, path: str | Path = "<spec>") -> CreditSpec:
    """Validate a credit spec given as plain data; raises :class:`CreditSpecError` naming
    ``path`` and the first bad key."""
    if not isinstance(data, dict):
        raise CreditSpecError(path, "(root)", "顶层应为映射 (mapping expected)")
    for key in ("path", "sha256"):
        if key in data:
            raise CreditSpecError(
                path, key, "由加载程序填写，不能写在规格文件中 (set by the loader)"
            )
    try:
        spec = CreditSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise CreditSpecError(path, key_path(err["loc"]), err["msg"]) from None
    _check(spec, path)
    return spec


def load_credit_spec(path: str | Path) -> CreditSpec:
    """Read and validate a credit spec YAML file; ``path`` and ``sha256`` are set."""
    path = Path(path)
    data, raw = read_yaml_file(path, CreditSpecError)
    spec = parse_credit_spec(data, path=path)
    return spec.model_copy(update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
