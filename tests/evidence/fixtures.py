"""Fixtures shared by the evidence and rectification tests (imported by their conftests):
private storage in a temporary directory, the real programme spec loaded into the database,
and evidence rows written straight to the model when a test is not about uploading."""

from __future__ import annotations

import hashlib

import pytest
from django.utils.functional import empty

from foodsafe.evidence.models import Evidence, private_storage
from foodsafe.programme.models import ItemAssignment, Programme
from foodsafe.programme.services import programme_sync
from tests.scorecard.conftest import full_spec


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """PRIVATE_MEDIA_ROOT in a temporary directory (the lazy storage is rebuilt around it);
    a fast password hasher for the personas (these tests are not about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def programme(db) -> Programme:
    """The real spec heping-2021 loaded: 33 items, their responsible units and assignments."""
    return programme_sync(spec=full_spec())


@pytest.fixture
def assignment(programme):
    """``assignment(item_number, unit_code)`` → the ItemAssignment."""

    def get(item: int, unit: str) -> ItemAssignment:
        return ItemAssignment.objects.select_related("item", "responsible_unit").get(
            item__programme=programme, item__number=item, responsible_unit__code=unit
        )

    return get


def make_evidence(
    *, uploaded_by, status: str = "submitted", reviewed_by=None, **target
) -> Evidence:
    """An evidence row without a real file (for tests of rules that do not open the file)."""
    reason = target.pop("review_reason", "理由" if status == "rejected" else "")
    title = target.pop("title", "测试材料")
    return Evidence.objects.create(
        title=title,
        requirement=target.pop("requirement", ""),
        file="evidence/2021/10/0123456789abcdef0123456789abcdef.pdf",
        original_name="材料.pdf",
        content_type="application/pdf",
        size=100,
        sha256=hashlib.sha256(b"x").hexdigest(),
        uploaded_by=uploaded_by,
        status=status,
        reviewed_by=reviewed_by,
        review_reason=reason,
        **target,
    )
