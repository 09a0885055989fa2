"""What an inspection found at an operator, put on the rectification ledger (责令整改).

The rectification is owned by the unit that regulates food businesses
(``selectors.REGULATOR_UNIT``, 区市场监管局: it orders the correction and checks it), names the
operator and the inspection, and is counted in working days from the inspection's date.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from foodsafe.inspections.models import Inspection
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification
from foodsafe.rectification.services import rectification_from_inspection

from .selectors import REGULATOR_UNIT


def inspection_rectify(
    *, inspection: Inspection, working_days: int, actor: Any, failed: list[str] | None = None
) -> Rectification:
    """Put ``inspection``'s problems on the ledger: ``failed`` (the checklist's 不符合 items as
    "code text：note") or else the inspection's findings. Raises ``ValidationError`` when there
    is nothing to rectify, no regulating unit is set up, or the inspection has one already;
    ``PermissionDenied`` unless the actor is the office or an inspector."""
    problems = failed if failed is not None else [f.description for f in inspection.findings.all()]
    if not problems:
        raise ValidationError(f"检查 {inspection.inspection_number} 没有发现问题，无需整改。")
    owner = ResponsibleUnit.objects.filter(code=REGULATOR_UNIT).first()
    if owner is None:
        raise ValidationError(f"未设置负责食品经营者监管的责任单位（代码 {REGULATOR_UNIT}）。")
    business = inspection.business
    return rectification_from_inspection(
        inspection=inspection,
        owner_unit=owner,
        title=f"{business.name}：监督检查 {inspection.inspection_number} 发现 {len(problems)} 项问题",
        description="\n".join(problems),
        working_days=working_days,
        actor=actor,
    )
