"""Programme workflow rows for the task board, item page, unit home and audit tests.

Evidence rows are written without a stored file (only the name): these tests are about
statuses, permissions and history, not about files.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from foodsafe.evidence.models import Evidence
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import ItemAssignment, Programme
from foodsafe.programme.services import programme_sync
from foodsafe.programme.spec import ProgrammeSpec
from foodsafe.rectification.models import Rectification

_numbers = itertools.count(1)


def load_programme(*, items: int | None = None) -> tuple[ProgrammeSpec, Programme]:
    """Sync the default spec (only its first ``items`` items when given) into the database."""
    spec = programme_spec()
    synced = spec if items is None else spec.model_copy(update={"items": spec.items[:items]})
    return spec, programme_sync(spec=synced)


def assignment(item_number: int, unit_code: str) -> ItemAssignment:
    return ItemAssignment.objects.select_related("item", "responsible_unit").get(
        item__number=item_number, responsible_unit__code=unit_code
    )


def add_evidence(
    target: ItemAssignment | Rectification,
    *,
    by: Any,
    requirement: str = "",
    status: str = "submitted",
    reviewer: Any = None,
    reason: str = "",
    reviewed_at=None,
    title: str | None = None,
) -> Evidence:
    """An evidence row for an assignment or a rectification; reviewed now if not submitted."""
    n = next(_numbers)
    reviewed = status != "submitted"
    evidence = Evidence(
        assignment=target if isinstance(target, ItemAssignment) else None,
        rectification=target if isinstance(target, Rectification) else None,
        requirement=requirement,
        title=title or f"材料{n}",
        file=f"evidence/2021/08/file{n}.pdf",
        original_name=f"file{n}.pdf",
        content_type="application/pdf",
        size=1024,
        sha256="0" * 64,
        uploaded_by=by,
        status=status,
        reviewed_by=(reviewer or by) if reviewed else None,
        reviewed_at=(reviewed_at or timezone.now()) if reviewed else None,
        review_reason=reason or ("材料不全" if status == "rejected" else ""),
    )
    evidence._history_user = by  # type: ignore[attr-defined]
    evidence.save()
    return evidence


def add_rectification(
    unit: Any,
    *,
    by: Any,
    deadline: date,
    state: str = "open",
    item=None,
    title: str = "整改问题",
) -> Rectification:
    n = next(_numbers)
    closed = state == "closed"
    rectification = Rectification(
        number=f"ZG2021-{n:04d}",
        title=title,
        owner_unit=unit,
        item=item,
        source="self_check",
        created_by=by,
        created_on=deadline - timedelta(days=10),
        working_days=7,
        deadline=deadline,
        state=state,
        closed_on=deadline if closed else None,
        verified_by=by if closed else None,
    )
    rectification._history_user = by  # type: ignore[attr-defined]
    rectification.save()
    return rectification
