"""``foodsafe demo-user``: creates or resets the login ``office`` in group 创城办."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

LINE = re.compile(
    r"^登录 / Login: http://127\.0\.0\.1:8000/login/  用户名 office  密码 (?P<password>\S+)$"
)


def demo_user() -> str:
    out = StringIO()
    call_command("demo-user", stdout=out)
    match = LINE.match(out.getvalue().strip())
    assert match, out.getvalue()
    return match.group("password")


def can_log_in(password: str) -> bool:
    request = RequestFactory().post("/login/")
    return authenticate(request, username="office", password=password) is not None


@pytest.mark.django_db
def test_creates_office_user_in_group():
    password = demo_user()
    user = get_user_model().objects.get(username="office")
    assert list(user.groups.values_list("name", flat=True)) == ["创城办"]
    assert user.is_active and not user.is_superuser
    assert len(password) >= 16
    assert can_log_in(password)


@pytest.mark.django_db
def test_is_idempotent_and_resets_password():
    first = demo_user()
    second = demo_user()
    assert first != second
    assert get_user_model().objects.filter(username="office").count() == 1
    assert get_user_model().objects.get(username="office").groups.count() == 1
    assert not can_log_in(first)
    assert can_log_in(second)


def test_resets_an_existing_user(office_user):
    """The shared persona ``office`` gets a fresh password and joins the group."""
    password = demo_user()
    office_user.refresh_from_db()
    assert office_user.check_password(password)
    assert office_user.groups.filter(name="创城办").exists()


@pytest.mark.django_db
def test_login_address_follows_the_served_port(settings):
    """Issue 18 point 9: the printed address is the one ``foodsafe serve`` binds
    (FOODSAFE_BIND), with a wildcard host shown as 127.0.0.1; ``--url`` overrides it."""
    settings.FOODSAFE_BIND = "0.0.0.0:8123"
    out = StringIO()
    call_command("demo-user", stdout=out)
    assert out.getvalue().startswith("登录 / Login: http://127.0.0.1:8123/login/  用户名 office")
    out = StringIO()
    call_command("demo-user", "--url", "http://10.0.0.5:9000/", stdout=out)
    assert out.getvalue().startswith("登录 / Login: http://10.0.0.5:9000/login/  ")
    out = StringIO()
    call_command(
        "create-user", "u1", "--role", "office_admin", "--url", "localhost:8001", stdout=out
    )
    assert "http://localhost:8001/login/" in out.getvalue()
