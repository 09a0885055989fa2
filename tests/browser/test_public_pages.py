"""The public pages on a phone (375 px), without login: a citizen files a complaint and tracks
it, answers the survey, reads a notice and files an objection, and reads the statistics. Each
page fits the screen (no horizontal scrolling); a screenshot of each is kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from foodsafe.complaints.models import Complaint
from foodsafe.notices import services as notice_services
from foodsafe.notices.models import Objection
from foodsafe.surveys.invitations import survey_invitations_issue
from foodsafe.surveys.models import SurveyResponse
from tests.conftest import SUB_A
from tests.public.helpers import chinese_to_int

from .conftest import screenshot


@pytest.fixture
def phone(browser, site, settings, district):
    settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS = 0
    context = browser.new_context(
        base_url=site, locale="zh-CN", viewport={"width": 375, "height": 800}
    )
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


def answer_challenge(page) -> None:
    q = page.inner_text(".challenge .question")
    op = "加" if "加" in q else "减"
    a, b = q.replace("等于几？", "").split(op)
    value = (
        chinese_to_int(a) + chinese_to_int(b)
        if op == "加"
        else chinese_to_int(a) - chinese_to_int(b)
    )
    page.fill("input[name=answer]", str(value))


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} px wide"


def test_public_pages_on_a_phone(phone, office_admin):
    page = phone
    page.goto("/public/")
    fits(page)
    screenshot(page, "public-375-index")
    # File a complaint.
    page.click("text=食品安全投诉举报")
    page.fill("#id_name", "王小明")
    page.fill("#id_phone", "13812345678")
    page.fill("#id_address", "和平区某路1号")
    page.select_option("#id_org_unit_code", SUB_A)
    page.fill("#id_respondent", "示例面包店")
    page.select_option("#id_category", "expired")
    page.fill("#id_claim", "退还货款")
    page.fill("#id_facts", "购买的面包已过保质期")
    answer_challenge(page)
    fits(page)
    screenshot(page, "public-375-complaint-form")
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector(".tracking-number")
    number = page.inner_text(".tracking-number")
    assert Complaint.objects.get().complaint_number == number
    fits(page)
    screenshot(page, "public-375-complaint-done")
    # Track it.
    page.click("a.button:has-text('查询办理进度')")
    page.fill("#id_number", number)
    page.fill("#id_phone", "13812345678")
    answer_challenge(page)
    page.click("button[type=submit]:has-text('查询')")
    page.wait_for_selector(".status-text")
    assert page.inner_text(".status-text") == "已登记，待作出受理决定"
    fits(page)
    screenshot(page, "public-375-status")
    # Answer the survey, as a respondent drawn in the sample, with the code sent by SMS.
    today = timezone.localdate()  # the public form dates the answer today
    (invitation,) = survey_invitations_issue(wave="w-sms", org_unit_code=SUB_A, count=1, on=today)
    page.goto("/public/survey/")
    page.fill("#id_invitation", invitation.code.lower())
    page.select_option("#id_org_unit_code", SUB_A)
    for name, value in (
        ("urban_rural", "urban"),
        ("age_band", "30-39"),
        ("sex", "f"),
        ("resident_6m", "1"),
        ("q_Q1", "1"),
        ("q_Q2", "2"),
        ("q_Q3", "2"),
        ("q_Q4", "3"),
        ("q_A1", "1"),
    ):
        page.check(f"input[name={name}][value='{value}']")
    answer_challenge(page)
    fits(page)
    screenshot(page, "public-375-survey")
    page.click("button[type=submit]:has-text('提交问卷')")
    page.wait_for_selector("text=感谢参与")
    # (100 + 80 + 80 + 60) / 4 = 80.00 under convention (a)
    answered = SurveyResponse.objects.get()
    assert str(answered.satisfaction_score) == "80.00"
    # the sample's (the code's wave), not 网络自愿填答: it counts in items 22, 23 and veto 4
    assert (answered.survey_code, answered.self_selected) == ("w-sms", False)
    # A notice, an objection.
    notice = notice_services.notice_create(
        title="自评报告公示",
        body="和平区创建国家食品安全示范城市工作自评报告……",
        days=15,
        actor=office_admin,
    )
    notice_services.notice_publish(
        notice=notice, starts_on=date(2021, 9, 20), on=date(2021, 9, 20), actor=office_admin
    )
    page.goto("/public/notices/")
    fits(page)
    screenshot(page, "public-375-notices")
    page.click("text=自评报告公示")
    page.fill("#id_name", "李四")
    page.fill("#id_phone", "13900001111")
    page.fill("#id_content", "第9条数据有误")
    answer_challenge(page)
    page.click("button[type=submit]:has-text('提交异议')")
    page.wait_for_selector(".filed")
    assert Objection.objects.get().content == "第9条数据有误"
    fits(page)
    screenshot(page, "public-375-notice-objection")
    page.goto("/public/statistics/?month=2021-09")
    fits(page)
    screenshot(page, "public-375-statistics")
