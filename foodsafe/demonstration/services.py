"""Writes of 示范引领项目 and 现场检查点位: apply, amend, review; propose, confirm or return.

Each write is one transaction with its history row (simple_history, ``_history_user`` set to
the actor: the audit trail of who changed what, when). A member unit acts only for its own
unit (another unit's is ``PermissionDenied``); only the programme office reviews and confirms.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from foodsafe.accounts.permissions import is_member_unit, is_office, user_unit_id
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.registry.models import FoodBusiness

from .models import DemonstrationProject, FieldCheckSite, ReviewStatus, SiteStatus
from .selectors import proposable_businesses

PROJECT_FIELDS = (
    "name", "category", "description", "achievements", "contact_name", "contact_phone",
)  # fmt: skip


class DemonstrationError(ValueError):
    """A step that may not happen now; the message says why, in Chinese."""


def _require_acts_for(actor: Any, unit: ResponsibleUnit) -> None:
    """The office acts for any unit; a member unit only for its own; nobody else at all."""
    if is_office(actor):
        return
    if is_member_unit(actor) and user_unit_id(actor) == unit.pk:
        return
    raise PermissionDenied


def _saved(obj: Any, actor: Any, **fields: Any) -> Any:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = actor
    with transaction.atomic():
        obj.save()
    return obj


def _project_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: str(values.get(k, "") or "").strip() for k in PROJECT_FIELDS}
    missing = [k for k in PROJECT_FIELDS if not out[k]]
    if missing:
        labels = [
            str(getattr(DemonstrationProject._meta.get_field(k), "verbose_name", k))
            for k in missing
        ]
        raise DemonstrationError("请填写：" + "、".join(labels))
    return out


def project_submit(
    *, unit: ResponsibleUnit, values: dict[str, Any], actor: Any, on: date
) -> DemonstrationProject:
    """申报示范引领项目 (实施方案 §四.2 "积极申报示范引领项目"): a new application of ``unit``,
    waiting for the office's review. ``values``: the application form's fields
    (``PROJECT_FIELDS``), all required."""
    _require_acts_for(actor, unit)
    return _saved(
        DemonstrationProject(unit=unit, created_by=actor, submitted_on=on),
        actor,
        **_project_values(values),
    )


def project_amend(
    *, project: DemonstrationProject, values: dict[str, Any], actor: Any, on: date
) -> DemonstrationProject:
    """修改后重新申报: an application still waiting or returned, changed and sent for review
    again (the return reason stays in the history); an approved one is fixed."""
    _require_acts_for(actor, project.unit)
    if project.status == ReviewStatus.APPROVED:
        raise DemonstrationError("已通过审核的项目不能修改")
    return _saved(
        project,
        actor,
        **_project_values(values),
        status=ReviewStatus.SUBMITTED,
        return_reason="",
        reviewed_by=None,
        reviewed_on=None,
        submitted_on=on,
    )


def project_review(
    *, project: DemonstrationProject, approve: bool, reason: str, actor: Any, on: date
) -> DemonstrationProject:
    """审核 (the office): approve, or return to the unit with a reason (required)."""
    if not is_office(actor):
        raise PermissionDenied
    if project.status != ReviewStatus.SUBMITTED:
        raise DemonstrationError("该项目不在待审核状态")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise DemonstrationError("退回时请填写退回理由")
    return _saved(
        project,
        actor,
        status=ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED,
        return_reason="" if approve else reason,
        reviewed_by=actor,
        reviewed_on=on,
    )


def site_propose(
    *,
    unit: ResponsibleUnit,
    business: FoodBusiness,
    address: str,
    reason: str,
    actor: Any,
    on: date,
) -> FieldCheckSite:
    """推荐现场检查点位 (实施方案 §四.2 "确定现场检查点位"): an operator of the registry and
    the address the reviewers go to (the operator's registered address when left blank). An
    operator already proposed (and not returned) cannot be proposed twice. The operator must
    be one ``actor`` may propose (``selectors.proposable_businesses``), else
    ``PermissionDenied``: the form's list is scoped too, this is the check behind it."""
    _require_acts_for(actor, unit)
    if not proposable_businesses(actor).filter(pk=business.pk).exists():
        raise PermissionDenied
    address = (address or "").strip() or (business.address or "").strip()
    if not address:
        raise DemonstrationError("请填写点位地址（该经营者在登记台账中没有地址）")
    taken = FieldCheckSite.objects.filter(business=business).exclude(status=SiteStatus.RETURNED)
    if taken.exists():
        raise DemonstrationError(f"{business.name} 已被推荐为现场检查点位")
    return _saved(
        FieldCheckSite(unit=unit, business=business, proposed_by=actor, proposed_on=on),
        actor,
        address=address,
        reason=(reason or "").strip(),
    )


def site_decide(
    *, site: FieldCheckSite, confirm: bool, reason: str, actor: Any, on: date
) -> FieldCheckSite:
    """确认 or 退回 a proposed site (the office); returning needs a reason."""
    if not is_office(actor):
        raise PermissionDenied
    if site.status != SiteStatus.PROPOSED:
        raise DemonstrationError("该点位不在待确认状态")
    reason = (reason or "").strip()
    if not confirm and not reason:
        raise DemonstrationError("退回时请填写退回理由")
    return _saved(
        site,
        actor,
        status=SiteStatus.CONFIRMED if confirm else SiteStatus.RETURNED,
        return_reason="" if confirm else reason,
        decided_by=actor,
        decided_on=on,
    )
