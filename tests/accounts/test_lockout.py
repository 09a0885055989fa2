"""Login lockout (django-axes): after 5 failures the right password is refused, in Chinese."""

from __future__ import annotations

import pytest
from django.conf import settings

WRONG = {"username": "market_user", "password": "not-the-password"}
RIGHT = {"username": "market_user", "password": "market_user-pass-123"}


def fail_to_the_limit(client) -> None:
    """Fail 5 times: the first 4 show the form's error, the 5th locks the account."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/login/", WRONG)
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    assert client.post("/login/", WRONG).status_code == 429


@pytest.fixture(autouse=True)
def _failure_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_right_password_logs_in_before_the_limit(client, market_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", WRONG)
    response = client.post("/login/", RIGHT)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_sixth_attempt_with_the_right_password_is_refused_in_chinese(client, market_user):
    fail_to_the_limit(client)
    response = client.post("/login/", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    # The lockout page (settings.AXES_LOCKOUT_TEMPLATE), in Chinese by default.
    assert "<h1>账号已锁定</h1>" in text and "连续 5 次登录失败" in text
    assert "Account locked" not in text


def test_english_users_get_the_english_message(client, market_user):
    fail_to_the_limit(client)
    response = client.post("/login/", RIGHT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()


def test_lockout_page_template(client, market_user, settings):
    """The page ``accounts/locked_out.html``, used once settings name it in
    ``AXES_LOCKOUT_TEMPLATE``."""
    settings.AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
    fail_to_the_limit(client)
    response = client.post("/login/", RIGHT)
    assert response.status_code == 429
    text = response.content.decode()
    assert "<h1>账号已锁定</h1>" in text
    assert "连续 5 次登录失败" in text and "返回登录页" in text


def test_demo_user_reset_clears_the_lockout(client, db):
    from foodsafe.accounts.services import demo_user_reset

    password = demo_user_reset().password
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "office", "password": "wrong-password"})
    assert client.post("/login/", {"username": "office", "password": password}).status_code == 429
    password = demo_user_reset().password
    response = client.post("/login/", {"username": "office", "password": password})
    assert response.status_code == 302
