"""Shared fixtures: the org-unit tree every scorecard test uses, and named personas."""

from __future__ import annotations

import pytest

from tests.factories import OrgUnitFactory

DISTRICT = "120101000000"
SUB_A = "120101001000"
SUB_B = "120101002000"


@pytest.fixture
def district(db):
    """和平区 (test) with two subdistricts A and B; returns the district."""
    OrgUnitFactory(code="120000000000", name="天津市（测试）")
    OrgUnitFactory(code="120100000000", name="市辖区（测试）", parent_id="120000000000")
    d = OrgUnitFactory(code=DISTRICT, name="和平区（测试）", parent_id="120100000000")
    OrgUnitFactory(code=SUB_A, name="A街道（测试）", parent_id=DISTRICT)
    OrgUnitFactory(code=SUB_B, name="B街道（测试）", parent_id=DISTRICT)
    return d


@pytest.fixture
def office_user(db, django_user_model):
    """A programme-office (创城办) user."""
    return django_user_model.objects.create_user("office", password="office-pass-123")
