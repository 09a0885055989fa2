"""Reads for evidence (档案资料): what a user may see and do, and approvals for the scorecard.

Who may do what (``foodsafe.accounts.permissions``): the programme office and reviewers see
all evidence; a member-unit user sees only the evidence of its own unit's assignments and
rectifications (another unit's evidence is a 404). Uploads: a member unit for its own
assignments and rectifications, the office for any. Reviews: reviewers and the office, never
of a file they uploaded themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from foodsafe.accounts.permissions import (
    get_scoped_or_404,
    is_office,
    is_reviewer,
    member_unit,
    scope_to_unit,
)
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import ItemAssignment, TaskItem

from .history import HistoryRow, history_rows
from .models import Evidence, ReviewStatus
from .sniffing import KINDS


def approved_requirements(*, programme_code: str) -> set[tuple[int, str]]:
    """``{(item number, requirement text)}`` with at least one APPROVED evidence file, from
    any responsible unit of the item, in any loaded version of programme ``programme_code``.

    One query. The scorecard engine calls it once per evaluation (approvals are programme-wide,
    not per org unit): an item without indicators is met when each of its spec's ``evidence``
    entries is in this set.
    """
    rows = (
        Evidence.objects.filter(
            status=ReviewStatus.APPROVED,
            assignment__item__programme__code=programme_code,
        )
        .values_list("assignment__item__number", "requirement")
        .distinct()
    )
    return {(number, requirement) for number, requirement in rows}


def item_requirements(item: TaskItem) -> list[str]:
    """The evidence requirements (材料要求) the programme spec lists for ``item``; empty when
    the loaded spec is another programme or does not have the item."""

    spec = programme_spec()
    if spec.programme.code != item.programme.code:
        return []
    try:
        return list(spec.item(item.number).evidence)
    except KeyError:
        return []


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    """The evidence ``user`` may see (nothing for inspectors and users without a role)."""
    base = Evidence.objects.all()
    return scope_to_unit(base, user, "assignment__responsible_unit") | scope_to_unit(
        base, user, "rectification__owner_unit"
    )


def evidence_get_or_404(*, user: Any, pk: int) -> Evidence:
    """One evidence file ``user`` may see, with its target and people; else 404."""
    evidence = (
        visible_evidence(user)
        .select_related(
            "assignment__item__programme",
            "assignment__responsible_unit",
            "rectification__owner_unit",
            "uploaded_by",
            "reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def assignment_get_or_404(*, user: Any, pk: int) -> ItemAssignment:
    """An item × unit assignment ``user`` may see (a member unit: its own only); else 404."""
    return get_scoped_or_404(  # type: ignore[no-any-return]
        ItemAssignment.objects.select_related("item__programme", "responsible_unit"),
        user,
        "responsible_unit",
        pk=pk,
    )


def assignment_evidence(assignment: ItemAssignment, *, user: Any) -> QuerySet[Evidence]:
    """The assignment's files ``user`` may see: a 街道 user only its 街道's files of the
    unit's shared assignment (N7), everyone else who may open the assignment all of them."""
    return (
        visible_evidence(user)
        .filter(assignment=assignment)
        .select_related("uploaded_by", "reviewed_by")
        .order_by("-uploaded_at", "-pk")
    )


def requirement_coverage(item: TaskItem) -> list[tuple[str, int, int]]:
    """For each requirement of ``item``: ``(requirement, approved, pending)`` counts over all
    the item's responsible units (one query)."""
    counts: dict[str, tuple[int, int]] = {
        row["requirement"]: (row["approved"], row["pending"])
        for row in Evidence.objects.filter(assignment__item=item)
        .values("requirement")
        .annotate(
            approved=Count("pk", filter=Q(status=ReviewStatus.APPROVED)),
            pending=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
        )
    }
    return [(r, *counts.get(r, (0, 0))) for r in item_requirements(item)]


#: The evidence index's filter (``?show=``): assignments with files waiting for review, or
#: with no approved file yet (材料缺失).
SHOW_PENDING = "pending"
SHOW_MISSING = "missing"


def evidence_index(user: Any, *, q: str = "", show: str = "") -> dict[str, Any]:
    """The evidence home page: a member unit's own assignments; for the office and reviewers
    the files waiting for review (oldest first) and every assignment. ``q`` searches the item's
    number and title and the unit's name; ``show`` keeps assignments with pending files or
    with none approved yet."""
    assignments = scope_to_unit(
        ItemAssignment.objects.select_related("item", "responsible_unit").annotate(
            n_approved=Count("evidence", filter=Q(evidence__status=ReviewStatus.APPROVED)),
            n_pending=Count("evidence", filter=Q(evidence__status=ReviewStatus.SUBMITTED)),
            n_rejected=Count("evidence", filter=Q(evidence__status=ReviewStatus.REJECTED)),
        ),
        user,
        "responsible_unit",
    ).order_by("item__programme_id", "item__number", "position")
    q = (q or "").strip()
    if q:
        match = Q(item__title__icontains=q) | Q(responsible_unit__name__icontains=q)
        if q.isdigit():
            match |= Q(item__number=int(q))
        assignments = assignments.filter(match)
    if show == SHOW_PENDING:
        assignments = assignments.filter(n_pending__gt=0)
    elif show == SHOW_MISSING:
        assignments = assignments.filter(n_approved=0)
    pending: QuerySet[Evidence] = Evidence.objects.none()
    if may_review_any(user):
        pending = (
            Evidence.objects.filter(status=ReviewStatus.SUBMITTED)
            .select_related(
                "assignment__item",
                "assignment__responsible_unit",
                "rectification__owner_unit",
                "uploaded_by",
            )
            .order_by("uploaded_at", "pk")
        )
    return {"assignments": assignments, "pending": pending}


# -- rules ---------------------------------------------------------------------------------------


def may_upload_for_assignment(user: Any, assignment: ItemAssignment) -> bool:
    """The office for any assignment; a member unit for its own, a 街道 user of the unit too
    (its files are placed in its 街道: ``evidence_upload``)."""
    if is_office(user):
        return True
    unit = member_unit(user)
    return unit is not None and unit.pk == assignment.responsible_unit_id


def may_review_any(user: Any) -> bool:
    return is_office(user) or is_reviewer(user)


def may_review(user: Any, evidence: Evidence) -> bool:
    """Reviewers and the office review files waiting for review, but never their own upload."""
    return (
        may_review_any(user)
        and evidence.status == ReviewStatus.SUBMITTED
        and evidence.uploaded_by_id != user.pk
    )


def evidence_history(evidence: Evidence) -> list[HistoryRow]:
    """The audit trail of ``evidence``: who, when, old → new, newest first (one query)."""
    records = evidence.history.select_related("history_user")  # type: ignore[attr-defined]
    return history_rows(records, model=Evidence, fields=HISTORY_FIELDS)


HISTORY_FIELDS = ("title", "requirement", "original_name", "status", "review_reason")


def download_name(evidence: Evidence) -> str:
    """The name a download gets: the uploader's file name, with the extension of what the file
    really is when the name says otherwise (a Word file named ``报告.pdf`` → ``报告.pdf.docx``)."""
    name = evidence.original_name or "evidence"
    kind = next((k for k in KINDS if k.content_type == evidence.content_type), None)
    if kind is None or name.lower().endswith(kind.extensions):
        return name
    return f"{name}{kind.extension}"


#: Types a browser may show inline (在线查看): the content type was found from the file's
#: bytes when it was uploaded (``sniffing``), never taken from the uploader's name or header.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def may_view_inline(evidence: Evidence) -> bool:
    return evidence.content_type in INLINE_TYPES


def may_withdraw(user: Any, evidence: Evidence) -> bool:
    """The uploader, while nobody has reviewed it (the service checks the rectification)."""
    return evidence.status == ReviewStatus.SUBMITTED and evidence.uploaded_by_id == user.pk
