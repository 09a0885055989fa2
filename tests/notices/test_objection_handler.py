"""F17: the handler (承办人) of a public objection sees and answers it, whatever their role; the
office sees every objection; nobody else — another unit, a colleague of the handler, an
inspector — sees it (404), and the objector's contact details are whole only to the handler.
The handler is told in 通知 when assigned, without the objector's name or phone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from foodsafe.notices import services
from foodsafe.notices.models import Objection
from foodsafe.notices.services import NoticeError
from foodsafe.supervision.models import Notification
from tests.conftest import _persona

pytestmark = pytest.mark.django_db
# Fri 8 Oct 2021: the objection (received Thu 30 Sep) is due Wed 13 Oct (test_notices).
OCT_8 = datetime(2021, 10, 8, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def objection(office_admin):
    notice = services.notice_create(
        title="和平区创建国家食品安全示范城市自评报告公示",
        body="自评报告全文……",
        days=15,
        actor=office_admin,
    )
    notice = services.notice_publish(
        notice=notice, starts_on=date(2021, 9, 20), on=date(2021, 9, 20), actor=office_admin
    )
    return services.objection_file(
        notice=notice,
        name="李四",
        phone="13900001111",
        contact="li@example.com",
        content="第9项数据有误",
        key="f17",
        on=date(2021, 9, 30),
    )


@pytest.fixture
def assigned(objection, office_admin, market_user):
    return services.objection_assign(objection=objection, handler=market_user, actor=office_admin)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_handler_is_told_without_the_objectors_details(assigned, market_user):
    note = Notification.objects.get(recipient=market_user)
    assert note.title == f"异议承办：{assigned.number}"
    assert note.url == reverse("notices:objection", args=[assigned.pk])
    assert "请于 2021-10-13 前核实并答复" in note.body
    assert "李" not in note.body and "1390000" not in note.body


def test_the_handler_sees_and_answers_it(assigned, market_user):
    client = _client(market_user)
    with time_machine.travel(OCT_8, tick=False):
        listing = client.get(reverse("notices:objections")).content.decode()
        assert assigned.number in listing and "待答复" in listing
        url = reverse("notices:objection", args=[assigned.pk])
        page = client.get(url).content.decode()
        assert "第9项数据有误" in page
        assert "李四" in page and "13900001111" in page and "li@example.com" in page
        assert 'name="reply"' in page
        done = client.post(url, {"outcome": "rejected", "reply": "经核实数据无误"}, follow=True)
    assert done.status_code == 200 and "已答复" in done.content.decode()
    stored = Objection.objects.get(pk=assigned.pk)
    assert (stored.outcome, stored.reply, stored.replied_on) == (
        "rejected",
        "经核实数据无误",
        date(2021, 10, 8),
    )
    assert stored.history.get(replied_on__isnull=False).history_user == market_user


@pytest.mark.parametrize("persona", ["education_user", "inspector", "reviewer", "colleague"])
def test_nobody_else_sees_it(assigned, persona, request, django_user_model):
    if persona == "colleague":  # another login of the handler's own unit
        user = _persona(django_user_model, "market_2", "member_unit", "market-regulation")
    else:
        user = request.getfixturevalue(persona)
    client = _client(user)
    url = reverse("notices:objection", args=[assigned.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "upheld", "reply": "x"}).status_code == 404
    assert assigned.number not in client.get(reverse("notices:objections")).content.decode()
    assert client.get(reverse("notices:detail", args=[assigned.notice_id])).status_code == 403
    assert Objection.objects.get(pk=assigned.pk).replied_on is None


def test_the_office_sees_it_masked_and_cannot_answer_for_the_handler(assigned, office_admin):
    client = _client(office_admin)
    url = reverse("notices:objection", args=[assigned.pk])
    page = client.get(url).content.decode()
    assert "第9项数据有误" in page and "李*" in page and "139****1111" in page
    assert "13900001111" not in page and 'name="reply"' not in page
    assert client.post(url, {"outcome": "upheld", "reply": "x"}).status_code == 403
    notice_page = client.get(reverse("notices:detail", args=[assigned.notice_id])).content.decode()
    assert f'href="{url}"' in notice_page
    # The office's own list holds only what it handles itself.
    assert assigned.number not in client.get(reverse("notices:objections")).content.decode()


def test_reassigning_moves_it(assigned, office_admin, market_user, education_user):
    services.objection_assign(objection=assigned, handler=education_user, actor=office_admin)
    url = reverse("notices:objection", args=[assigned.pk])
    assert _client(market_user).get(url).status_code == 404
    assert _client(education_user).get(url).status_code == 200


def test_a_login_without_a_role_cannot_be_made_handler(objection, office_admin, outsider):
    with pytest.raises(NoticeError, match="承办人须为在用、有角色的账号"):
        services.objection_assign(objection=objection, handler=outsider, actor=office_admin)
    page = _client(office_admin).get(reverse("notices:detail", args=[objection.notice_id]))
    assert f'<option value="{outsider.pk}">' not in page.content.decode()
    assert not Notification.objects.exists()


def test_an_outsider_and_anonymous_get_nothing(assigned, outsider):
    url = reverse("notices:objection", args=[assigned.pk])
    assert _client(outsider).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_the_handler_list_names_each_login_s_unit(assigned, office_admin, market_user):
    """New-user finding: the 指定承办人 list showed bare usernames; each now says whose it is
    (the member unit, or the role), so the office picks the right handler."""
    page = _client(office_admin).get(reverse("notices:detail", args=[assigned.notice_id]))
    html = page.content.decode()
    assert f'<option value="{market_user.pk}">{market_user.get_username()} · 区市场监管局' in html
