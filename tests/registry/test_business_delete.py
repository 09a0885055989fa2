"""Deleting a food business that other ledgers reference is refused, with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from foodsafe.registry.models import FoodBusiness
from foodsafe.registry.services import (
    BusinessInUseError,
    food_business_delete,
    food_business_references,
)
from tests.conftest import SUB_A
from tests.factories import (
    CaseFactory,
    FoodBusinessFactory,
    InspectionFactory,
    SamplingBatchFactory,
)


@pytest.fixture
def business(district):
    return FoodBusinessFactory(registry_number="B001", name="示例超市", org_unit_id=SUB_A)


@pytest.fixture
def staff(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", password="admin-pass-123")


def test_referenced_business_is_not_deleted_and_the_reason_names_ledgers_and_counts(
    business, staff
):
    SamplingBatchFactory.create_batch(3, business=business, org_unit_id=SUB_A)
    InspectionFactory(business=business)
    with pytest.raises(BusinessInUseError) as excinfo:
        food_business_delete(business=business, actor=staff)
    message = str(excinfo.value)
    assert message.startswith("不能删除食品生产经营者“示例超市”（登记编号 B001）")
    assert "抽检批次 3 条" in message and "监督检查 1 条" in message
    assert [(r.ledger, r.count) for r in excinfo.value.references] == [
        ("监督检查", 1),
        ("抽检批次", 3),
    ]
    assert FoodBusiness.objects.filter(pk=business.pk).exists()


def test_unreferenced_business_is_deleted_with_its_history(business, staff):
    food_business_delete(business=business, actor=staff)
    assert not FoodBusiness.objects.filter(pk=business.pk).exists()
    last = FoodBusiness.history.filter(registry_number="B001").latest("history_date")
    assert (last.history_type, last.history_user) == ("-", staff)


def test_references_count_each_ledger(business):
    CaseFactory(business=business, org_unit_id=SUB_A)
    SamplingBatchFactory(business=business, org_unit_id=SUB_A, sample_number="DC2100000001")
    other = FoodBusinessFactory(org_unit_id=SUB_A)
    SamplingBatchFactory(business=other, org_unit_id=SUB_A)
    references = food_business_references(business=business, examples=2)
    assert [(r.ledger, r.count) for r in references] == [("抽检批次", 1), ("执法案件", 1)]
    assert references[0].examples == ("DC2100000001",)
    assert food_business_references(business=other)[0].count == 1


def test_admin_delete_page_gives_the_same_reason(business, staff, client):
    SamplingBatchFactory.create_batch(5, business=business, org_unit_id=SUB_A)
    client.force_login(staff)
    url = reverse("admin:registry_foodbusiness_delete", args=[business.pk])
    page = client.get(url).content.decode()
    assert "“示例超市”（登记编号 B001）仍被其他台账引用，不能删除：抽检批次 5 条（" in page
    assert "等）" in page  # three examples of five
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the same page again, nothing deleted
    assert FoodBusiness.objects.filter(pk=business.pk).exists()


def test_admin_bulk_delete_action_lists_each_business(business, staff, client):
    other = FoodBusinessFactory(registry_number="B002", name="示例餐馆", org_unit_id=SUB_A)
    InspectionFactory(business=other)
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_foodbusiness_changelist"),
        {"action": "delete_selected", "_selected_action": [business.pk, other.pk]},
    )
    page = response.content.decode()
    assert "“示例餐馆”（登记编号 B002）仍被其他台账引用，不能删除：监督检查 1 条" in page
    assert "示例超市”（登记编号 B001）仍被" not in page
    assert FoodBusiness.objects.count() == 2
