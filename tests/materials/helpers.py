"""Approved evidence with real stored files, for the 材料报送 tests."""

from __future__ import annotations

from typing import Any

from foodsafe.evidence.models import Evidence
from foodsafe.evidence.services import evidence_review, evidence_upload
from tests.evidence import files
from tests.scorecard.conftest import full_spec


def approved(
    assignment: Any,
    *,
    by: Any,
    reviewer: Any,
    title: str,
    content: bytes | None = None,
    name: str = "材料.pdf",
    approve: bool | None = True,
) -> Evidence:
    """Upload ``content`` (a PDF by default) for the assignment's first requirement; reviewed
    (approved, or rejected when ``approve`` is False; left waiting when None)."""
    evidence = evidence_upload(
        assignment=assignment,
        requirement=full_spec().item(assignment.item.number).evidence[0],
        title=title,
        uploaded_file=files.upload(content or files.pdf(), name),
        actor=by,
    )
    if approve is not None:
        evidence = evidence_review(
            evidence=evidence, approve=approve, reason="" if approve else "不清晰", actor=reviewer
        )
    return evidence
