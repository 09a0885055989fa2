"""Public notice (公示) with objections: 15 calendar days, objections answered in 5 working
days (the configured reading), closing with "无异议" or the outcomes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from foodsafe.notices import services
from foodsafe.notices.models import Objection
from foodsafe.notices.services import NoticeError
from tests.public.helpers import solve

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def notice(office_admin):
    n = services.notice_create(
        title="和平区创建国家食品安全示范城市自评报告公示",
        body="自评报告全文……",
        days=15,
        actor=office_admin,
    )
    # 15 calendar days from Mon 20 Sep 2021: 20 Sep … 4 Oct.
    return services.notice_publish(
        notice=n, starts_on=date(2021, 9, 20), on=date(2021, 9, 20), actor=office_admin
    )


def test_dates_and_no_objection(notice, office_admin):
    assert notice.ends_on == date(2021, 10, 4)
    assert services.is_open(notice, date(2021, 10, 4))
    assert not services.is_open(notice, date(2021, 10, 5))
    with pytest.raises(NoticeError, match="公示期未满"):
        services.notice_close(notice=notice, on=date(2021, 10, 4), actor=office_admin)
    closed = services.notice_close(notice=notice, on=date(2021, 10, 5), actor=office_admin)
    assert closed.result == "公示期满，无异议。"
    assert closed.history.first().history_user == office_admin


def test_objection_reply_and_result(notice, office_admin, market_user):
    o = services.objection_file(
        notice=notice,
        name="李四",
        phone="13900001111",
        contact="",
        content="数据有误",
        key="abc",
        on=date(2021, 9, 30),
    )
    # 5 working days from Thu 30 Sep: Fri 8 Oct (1), Sat 9 Oct make-up (2), 11, 12, 13 Oct.
    assert o.due_on == date(2021, 10, 13)
    again = services.objection_file(
        notice=notice,
        name="李四",
        phone="13900001111",
        contact="",
        content="数据有误",
        key="abc",
        on=date(2021, 9, 30),
    )
    assert again.pk == o.pk and Objection.objects.count() == 1
    with pytest.raises(NoticeError, match="不在公示期内"):
        services.objection_file(
            notice=notice,
            name="王五",
            phone="1",
            contact="",
            content="x",
            key="late",
            on=date(2021, 10, 5),
        )
    services.objection_assign(objection=o, handler=market_user, actor=office_admin)
    with pytest.raises(NoticeError, match="尚有异议未答复"):
        services.notice_close(notice=notice, on=date(2021, 10, 5), actor=office_admin)
    with pytest.raises(NoticeError, match="只有承办人"):
        services.objection_reply(
            objection=o, reply="x", outcome="rejected", on=date(2021, 10, 8), actor=office_admin
        )
    services.objection_reply(
        objection=o,
        reply="经核实数据无误",
        outcome="rejected",
        on=date(2021, 10, 8),
        actor=market_user,
    )
    closed = services.notice_close(notice=notice, on=date(2021, 10, 14), actor=office_admin)
    assert closed.result == f"公示期内收到异议 1 件：\n{o.number}：异议不成立。经核实数据无误"


def test_contact_details_only_for_the_handler(client, notice, office_admin, market_user):
    o = services.objection_file(
        notice=notice,
        name="李四",
        phone="13900001111",
        contact="li@example.com",
        content="x",
        key="k",
        on=date(2021, 9, 30),
    )
    client.force_login(office_admin)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "李*" in page and "139****1111" in page and "13900001111" not in page
    services.objection_assign(objection=o, handler=office_admin, actor=office_admin)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "13900001111" in page and "li@example.com" in page


def test_public_page_and_objection_form(client, notice, settings):
    settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS = 0
    with time_machine.travel(datetime(2021, 9, 30, 10, tzinfo=SH)):
        listing = client.get(reverse("public:notices")).content.decode()
        assert notice.title in listing and "2021-09-20 – 2021-10-04" in listing
        html = client.get(reverse("public:notice", args=[notice.pk])).content.decode()
        token, answer = solve(html)
        done = client.post(
            reverse("public:notice", args=[notice.pk]),
            {
                "token": token,
                "answer": answer,
                "name": "李四",
                "phone": "13900001111",
                "content": "数据有误",
            },
        ).content.decode()
    o = Objection.objects.get()
    assert o.number in done and "2021-10-13" in done
    # After the period: no form, and a draft notice is not public at all.
    with time_machine.travel(datetime(2021, 10, 6, 10, tzinfo=SH)):
        html = client.get(reverse("public:notice", args=[notice.pk])).content.decode()
    assert "不在公示期内" in html and 'name="content"' not in html
    draft = services.notice_create(title="草稿", body="x", days=15, actor=notice.created_by)
    assert client.get(reverse("public:notice", args=[draft.pk])).status_code == 404


def test_a_notice_is_never_shorter_than_15_days_nor_backdated(client, office_admin):
    """New-user finding N5: a notice of 1 day published with a start a month in the past read
    公示期满 at once, so nobody could ever have objected. The city review's result is 公示15天
    (实施方案 四（三）); FOODSAFE_NOTICE_MIN_DAYS is 15 by default, and a notice starts on the
    day it is published or later (up to 90 days ahead)."""
    with pytest.raises(NoticeError, match="不能少于15天"):
        services.notice_create(title="公示", body="x", days=14, actor=office_admin)
    draft = services.notice_create(title="公示", body="x", days=15, actor=office_admin)
    with pytest.raises(NoticeError, match="不能早于发布当天"):
        services.notice_publish(
            notice=draft, starts_on=date(2026, 11, 1), on=date(2026, 12, 8), actor=office_admin
        )
    with pytest.raises(NoticeError, match="不能晚于发布后90天"):
        # 8 Dec 2026 + 90 days = 8 Mar 2027; the 9th is one too far.
        services.notice_publish(
            notice=draft, starts_on=date(2027, 3, 9), on=date(2026, 12, 8), actor=office_admin
        )
    draft.refresh_from_db()
    assert draft.starts_on is None
    # Through the pages on Tue 8 Dec 2026 (Beijing): the form refuses 1 day; publishing with a
    # past start is refused with the reason and leaves the notice unpublished; today works.
    client.force_login(office_admin)
    with time_machine.travel(datetime(2026, 12, 8, 10, tzinfo=SH)):
        response = client.post(
            reverse("notices:list"), {"title": "一日公示", "body": "x", "days": 1}
        )
        assert response.status_code == 200
        assert "公示天数不能少于 15 天" in response.content.decode()
        url = reverse("notices:detail", args=[draft.pk])
        page = client.post(url, {"action": "publish", "starts_on": "2026-11-01"}, follow=True)
        assert "公示开始日期不能早于发布当天（2026-12-08）" in page.content.decode()
        draft.refresh_from_db()
        assert draft.starts_on is None
        client.post(url, {"action": "publish", "starts_on": "2026-12-08"})
    draft.refresh_from_db()
    # 15 calendar days from Tue 8 Dec: 8 … 22 Dec.
    assert (draft.starts_on, draft.ends_on) == (date(2026, 12, 8), date(2026, 12, 22))
