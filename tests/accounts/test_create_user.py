"""``foodsafe create-user`` and ``demo-user``: logins with a role."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from foodsafe.accounts.models import Profile
from foodsafe.accounts.permissions import user_role, user_unit_id
from foodsafe.orgunits.models import ResponsibleUnit

LINE = re.compile(
    r"^登录 / Login: http://127\.0\.0\.1:8000/login/  用户名 (?P<username>\S+)  "
    r"密码 (?P<password>\S+)  角色 (?P<role>\S+)(  责任单位 (?P<unit>\S+))?$"
)


def create_user(*args: str) -> re.Match[str]:
    out = StringIO()
    call_command("create-user", *args, stdout=out)
    match = LINE.match(out.getvalue().strip())
    assert match, out.getvalue()
    return match


def can_log_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/login/")
    return authenticate(request, username=username, password=password) is not None


@pytest.fixture
def education(db):
    return ResponsibleUnit.objects.create(code="education", name="区教育局")


def test_member_unit_user_is_bound_to_its_unit(education):
    match = create_user("jiaoyu", "--role", "member_unit", "--unit", "education")
    assert match["role"] == "成员单位用户" and match["unit"] == "区教育局"
    user = get_user_model().objects.get(username="jiaoyu")
    assert user_role(user) == "member_unit"
    assert user_unit_id(user) == education.pk
    assert len(match["password"]) >= 16
    assert can_log_in("jiaoyu", match["password"])


@pytest.mark.parametrize(
    ("role", "label"),
    [("office_admin", "创城办管理员"), ("inspector", "监管人员"), ("reviewer", "评审专家")],
)
def test_other_roles_have_no_unit(db, role, label):
    match = create_user("someone", "--role", role)
    assert match["role"] == label and match["unit"] is None
    profile = Profile.objects.get(user__username="someone")
    assert profile.role == role and profile.responsible_unit is None
    in_office_group = profile.user.groups.filter(name="创城办").exists()
    assert in_office_group is (role == "office_admin")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "member_unit"], "须用 --unit 指定责任单位代码"),
        (["--role", "member_unit", "--unit", "nowhere"], "未知的责任单位代码 'nowhere'"),
        (["--role", "reviewer", "--unit", "education"], "只有成员单位用户"),
    ],
)
def test_bad_units_are_refused_and_nothing_is_written(education, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create-user", "someone", *args, stdout=StringIO())
    assert not get_user_model().objects.filter(username="someone").exists()


def test_unknown_unit_lists_the_valid_codes(education):
    ResponsibleUnit.objects.create(code="market-regulation", name="区市场监管局")
    with pytest.raises(CommandError) as raised:
        call_command("create-user", "someone", "--role", "member_unit", "--unit", "edu")
    message = str(raised.value)
    assert "未知的责任单位代码 'edu'" in message
    assert "可选：education, market-regulation" in message


def test_unknown_unit_without_any_units_says_to_load_the_programme(db):
    with pytest.raises(CommandError, match="先运行 foodsafe loadprogramme"):
        call_command("create-user", "someone", "--role", "member_unit", "--unit", "edu")


def test_unknown_role_is_refused_by_the_parser(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create-user", "someone", "--role", "boss", stdout=StringIO())


def test_taken_username_is_refused(db, office_admin):
    with pytest.raises(CommandError, match="已存在"):
        call_command("create-user", "office_admin", "--role", "reviewer", stdout=StringIO())
    assert Profile.objects.get(user=office_admin).role == "office_admin"


def test_demo_user_is_an_office_admin(db):
    call_command("demo-user", stdout=StringIO())
    user = get_user_model().objects.get(username="office")
    assert user_role(user) == "office_admin"


def test_demo_user_switches_an_existing_profile_to_office_admin(db, education):
    user = get_user_model().objects.create_user("office", password="x-pass-123-long")
    Profile.objects.create(user=user, role="member_unit", responsible_unit=education)
    call_command("demo-user", stdout=StringIO())
    profile = Profile.objects.get(user=user)
    assert (profile.role, profile.responsible_unit) == ("office_admin", None)
