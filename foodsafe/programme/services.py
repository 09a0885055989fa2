"""Writes for the programme app: bring the database in line with a programme spec; record the
office's finding on a veto item."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit

from .models import ItemAssignment, Programme, TaskItem, VetoFinding
from .spec import ProgrammeSpec


def _spec_digest(spec: ProgrammeSpec) -> str:
    """SHA-256 of the file the spec came from, or of its JSON dump when it was built in memory."""
    if spec.sha256:
        return spec.sha256
    dump = spec.model_dump_json(exclude={"path", "sha256"})
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()


@transaction.atomic
def programme_sync(*, spec: ProgrammeSpec) -> Programme:
    """Make the database match ``spec``; idempotent, in one transaction.

    Writes, keyed by natural keys:

    - ``orgunits.ResponsibleUnit`` by ``code``: ``name`` and ``is_collective`` (from
      ``collective``) for every unit of ``spec.responsible_units``. Units that the spec does not
      name are left alone: other programmes may use them.
    - ``Programme`` by (``code``, ``version``): ``name`` and ``spec_sha256`` (``spec.sha256`` as
      set by :func:`~foodsafe.programme.spec.load_programme_spec`, else a SHA-256 of the
      spec's JSON dump).
    - ``TaskItem`` by (programme, ``number``): ``group_code``, ``title``, ``text``. Items of this
      programme whose number is no longer in the spec are deleted with their assignments.
    - ``ItemAssignment`` by (item, unit): ``role`` (responsible / lead / cooperating) and
      ``position`` (0-based, the plan's order). Assignments no longer in the spec are deleted.

    Running it twice with the same spec changes nothing but ``Programme.loaded_at``.

    Returns the ``Programme`` row. Raises ``django.db.IntegrityError`` if a unit's name is held
    by another unit code in the database, and ``django.db.models.ProtectedError`` if an item
    to be deleted is still referenced by a protected row; either way nothing is written.
    """
    units: dict[str, ResponsibleUnit] = {}
    for unit_spec in spec.responsible_units:
        unit, _ = ResponsibleUnit.objects.update_or_create(
            code=unit_spec.code,
            defaults={"name": unit_spec.name, "is_collective": unit_spec.collective},
        )
        units[unit.code] = unit

    header = spec.programme
    programme, _ = Programme.objects.update_or_create(
        code=header.code,
        version=header.version,
        defaults={"name": header.name, "spec_sha256": _spec_digest(spec)},
    )

    numbers = [item.number for item in spec.items]
    TaskItem.objects.filter(programme=programme).exclude(number__in=numbers).delete()
    for item_spec in spec.items:
        item, _ = TaskItem.objects.update_or_create(
            programme=programme,
            number=item_spec.number,
            defaults={
                "group_code": item_spec.group,
                "title": item_spec.title,
                "text": item_spec.text,
            },
        )
        wanted = [units[role.unit].pk for role in item_spec.units]
        ItemAssignment.objects.filter(item=item).exclude(responsible_unit_id__in=wanted).delete()
        for position, role in enumerate(item_spec.units):
            ItemAssignment.objects.update_or_create(
                item=item,
                responsible_unit=units[role.unit],
                defaults={"role": role.role, "position": position},
            )
    return programme


@transaction.atomic
def veto_finding_record(
    *,
    programme_code: str,
    veto_code: str,
    org_unit: OrgUnit,
    year: int,
    vetoed: bool,
    basis: str,
    actor: Any,
) -> VetoFinding:
    """Record the programme office's finding on a veto item (rule ``finding``) for ``org_unit``
    and ``year``, replacing any earlier finding for the same (programme, veto, unit, year).

    ``basis`` (依据) is required: ``ValueError`` when blank. The earlier row is deleted and a new
    one created rather than updated in place, so the new finding has a new primary key and the
    scorecard cache's data version (``foodsafe.scorecard.cache.data_version``) moves on.
    """
    basis = basis.strip()
    if not basis:
        raise ValueError("认定依据不能为空")
    VetoFinding.objects.filter(
        programme_code=programme_code, veto_code=veto_code, org_unit=org_unit, year=year
    ).delete()
    return VetoFinding.objects.create(
        programme_code=programme_code,
        veto_code=veto_code,
        org_unit=org_unit,
        year=year,
        vetoed=vetoed,
        basis=basis,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
