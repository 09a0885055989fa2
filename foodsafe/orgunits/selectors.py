"""Reads of the org-unit tree."""

from __future__ import annotations

from .models import OrgUnit


def child_units(org_unit: str) -> list[OrgUnit]:
    """The direct children of an org unit (e.g. a district's subdistricts), by code."""
    return list(OrgUnit.objects.filter(parent__code=org_unit).order_by("code"))
