"""Admin pages for roles: the Profile list and the role inline on the user page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from foodsafe.accounts.models import Profile


@pytest.fixture
def admin_client_(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    return client


def test_profile_changelist_lists_roles_and_units(admin_client_, market_user, reviewer):
    response = admin_client_.get(reverse("admin:accounts_profile_changelist"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "market_user" in text and "成员单位用户" in text and "区市场监管局" in text
    assert "评审专家" in text


def test_user_page_edits_the_role_inline(admin_client_, market_user):
    response = admin_client_.get(reverse("admin:auth_user_change", args=[market_user.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="profile-0-role"' in text and 'name="profile-0-responsible_unit"' in text


def test_user_changelist_shows_the_role(admin_client_, market_user, outsider):
    response = admin_client_.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert "成员单位用户" in response.content.decode()


def test_profile_add_form_checks_the_member_unit_constraint(admin_client_, outsider):
    response = admin_client_.post(
        reverse("admin:accounts_profile_add"), {"user": outsider.pk, "role": "member_unit"}
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert not Profile.objects.filter(user=outsider).exists()
