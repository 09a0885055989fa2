"""The office weights a wave to the census cells on the survey page, and reads why an imported
complaint has no end-notice deadline on its handling page — at 1280 px and 375 px, without
horizontal scrolling; screenshots in test-artifacts/."""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.complaints.models import Complaint
from foodsafe.surveys.models import CensusCell, SurveyResponse
from tests.conftest import SUB_A, SUB_B
from tests.factories import ComplaintFactory

from .conftest import login, screenshot


@pytest.fixture(params=[1280, 375])
def sized(request, browser, site, district):
    context = browser.new_context(
        base_url=site, locale="zh-CN", viewport={"width": request.param, "height": 900}
    )
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg, request.param
    context.close()


def _wave():
    for unit, sex, people in ((SUB_A, "m", 600), (SUB_A, "f", 400), (SUB_B, "f", 1000)):
        for age in ("18-29", "60+"):
            CensusCell.objects.create(
                org_unit_id=unit,
                year=2020,
                urban_rural="urban",
                sex=sex,
                age_band=age,
                population=people // 2,
                source="测试：人口普查",
            )
    # A's men 60+ have nobody answering: merged with A's men 18–29.
    for i, (unit, sex, age) in enumerate(
        [(SUB_A, "m", "18-29"), (SUB_A, "f", "18-29"), (SUB_A, "f", "60+"), (SUB_B, "f", "60+")]
    ):
        SurveyResponse.objects.create(
            response_number=f"B{i}",
            survey_code="浏览器测试批次",
            org_unit_id=unit,
            responded_on=date(2021, 9, 20),
            satisfaction_score=80 + i,
            aware_of_programme=True,
            urban_rural="urban",
            sex=sex,
            age_band=age,
        )


def test_weighting_message_and_end_notice_reason(sized, office_admin):
    page, width = sized
    _wave()
    complaint = ComplaintFactory(
        org_unit__code=SUB_A,
        received_on=date(2021, 9, 1),
        decision="accepted",
        decided_on=date(2021, 9, 3),
    )
    login(page, "office_admin")
    page.goto("/surveys/")
    page.fill("form[action='/surveys/weights/'] input[name=year]", "2020")
    page.click("form[action='/surveys/weights/'] button[type=submit]")
    page.wait_for_load_state("load")
    text = page.inner_text("main")
    assert "街道×城乡×性别×年龄段，分格后分层（无受访者的格合并）" in text
    assert "合并的格：A街道（测试）·城镇·男·各年龄段（2 格）" in text
    assert "人口数来源：测试：人口普查" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"survey-weights-{width}")
    # N 2,000; n 4; A m·all 600/2000 ÷ 1/4 = 1.2; A f·18–29 200/2000 ÷ 1/4 = 0.4, A f·60+ 0.4;
    # B f·18–29 (500 people, nobody answering) merged with B f·60+: 1000/2000 ÷ 1/4 = 2.
    weights = dict(SurveyResponse.objects.values_list("response_number", "weight"))
    assert {k: str(v) for k, v in weights.items()} == {
        "B0": "1.2000",
        "B1": "0.4000",
        "B2": "0.4000",
        "B3": "2.0000",
    }
    page.goto(f"/complaint-handling/{complaint.pk}/")
    assert "尚未办结：办结后7个工作日内告知终止（第二十一条）" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"complaint-end-notice-reason-{width}")
    assert Complaint.objects.get(pk=complaint.pk).end_notice_due_on is None
