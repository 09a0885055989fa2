"""What a planner knows about one operator: plain records, read from the ledgers (``selectors``)
or mapped from another source (the San Francisco replay), and fed to ``features``.

Every record carries its date so that ``features.operator_features`` can keep only what was known
before the date it ranks at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Inspection results (``inspections.InspectionResult`` values) that count as a problem found.
BAD_RESULTS = frozenset({"rectify", "noncompliant"})
#: The serious one: 不符合.
SERIOUS_RESULTS = frozenset({"noncompliant"})


@dataclass(frozen=True)
class PastInspection:
    """One inspection: its date, result (``InspectionResult`` value), score (0–100 or None)
    and its findings counted by severity (``severity.SeveritySpec.classify``). Only
    full-checklist inspections (全项目检查) are outcomes the model learns from."""

    on: date
    result: str
    score: int | None = None
    high: int = 0
    moderate: int = 0
    low: int = 0
    full_checklist: bool = True

    @property
    def bad(self) -> bool:
        """A problem found: 基本符合（限期整改） or 不符合."""
        return self.result in BAD_RESULTS

    @property
    def findings(self) -> int:
        return self.high + self.moderate + self.low


@dataclass(frozen=True)
class OperatorHistory:
    """An operator (食品生产经营者) and its dated records.

    ``grades`` are (decided_on, level A–D) from ``registry.RiskGrade``; ``complaints`` the dates
    complaints about it were received; ``failed_sampling`` the dates of its nonconforming sampling
    batches (不合格). ``inspections`` are the full-checklist inspections (the outcomes ranked and
    learnt from), oldest first.
    """

    operator_id: int
    name: str
    business_format: str
    org_unit: str
    opened_on: date | None = None
    grades: tuple[tuple[date, str], ...] = ()
    inspections: tuple[PastInspection, ...] = field(default=())
    complaints: tuple[date, ...] = ()
    failed_sampling: tuple[date, ...] = ()
