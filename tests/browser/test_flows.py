"""The programme in a real browser: every role logs in; evidence is uploaded by its unit,
rejected and then approved by a reviewer; a rectification goes from open to closed (销号);
another unit's objects are 404; screenshots of the dashboard and the task board."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from foodsafe.evidence.models import Evidence
from foodsafe.programme.models import ItemAssignment
from foodsafe.rectification.models import Rectification
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import PopulationFactory, SamplingBatchFactory

from .conftest import login, logout, screenshot

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "report.pdf") -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


@pytest.fixture
def programme(site, district, market_user, education_user):
    """The programme spec loaded (items, units, assignments), with both member units."""
    call_command("loadprogramme", verbosity=0)
    return ItemAssignment.objects.select_related("item", "responsible_unit")


@pytest.mark.parametrize("persona", ["office_admin", "market_user", "inspector", "reviewer"])
def test_each_role_logs_in(page, request, persona, district):
    request.getfixturevalue(persona)
    login(page, persona)
    assert page.locator(".site-user").inner_text() == persona
    assert "/login/" not in page.url
    # Each lands on a page of its own: the scorecard, or a unit's open work.
    assert page.locator("h1").count() >= 1
    logout(page)
    assert page.locator("#id_username").is_visible()


def test_wrong_password_stays_on_login(page, office_admin):
    login(page, "office_admin", "not-the-password")
    assert "/login/" in page.url
    assert page.get_by_role("alert").is_visible()


def test_evidence_uploaded_rejected_then_approved(page, programme, reviewer, office_admin):
    assignment = programme.filter(responsible_unit__code="market-regulation").first()
    assert assignment is not None

    login(page, "market_user")
    page.goto(f"/evidence/assignments/{assignment.pk}/")
    page.fill("#id_title", "2021年抽检计划")
    page.set_input_files("#id_file", pdf("plan.pdf"))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state("load")
    evidence = Evidence.objects.get(title="2021年抽检计划")
    assert evidence.status == "submitted" and evidence.uploaded_by.username == "market_user"
    assert evidence.content_type == "application/pdf"
    assert page.get_by_text("2021年抽检计划").first.is_visible()
    logout(page)

    login(page, "reviewer")
    page.goto(f"/evidence/{evidence.pk}/")
    page.check("input[name=decision][value=reject]")
    page.fill("textarea[name=reason]", "缺少盖章页")
    page.click("form[action$='/review/'] button[type=submit]")
    page.wait_for_load_state("load")
    evidence.refresh_from_db()
    assert evidence.status == "rejected" and evidence.review_reason == "缺少盖章页"
    assert page.get_by_text("缺少盖章页").first.is_visible()
    # A reviewed file is not reviewed again: the form is gone.
    assert page.locator("input[name=decision]").count() == 0
    logout(page)

    # The unit sees the rejection and its reason, and uploads the corrected file.
    login(page, "market_user")
    page.goto(f"/evidence/assignments/{assignment.pk}/")
    assert page.get_by_text("退回").first.is_visible()
    page.fill("#id_title", "2021年抽检计划（盖章版）")
    page.set_input_files("#id_file", pdf("plan-stamped.pdf"))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state("load")
    corrected = Evidence.objects.get(title="2021年抽检计划（盖章版）")
    logout(page)

    login(page, "reviewer")
    page.goto(f"/evidence/{corrected.pk}/")
    page.check("input[name=decision][value=approve]")
    page.click("form[action$='/review/'] button[type=submit]")
    page.wait_for_load_state("load")
    corrected.refresh_from_db()
    assert corrected.status == "approved" and corrected.reviewed_by.username == "reviewer"
    # The audit trail keeps the rejection of the first file.
    assert list(evidence.history.order_by("history_date").values_list("status", flat=True)) == [
        "submitted",
        "rejected",
    ]
    # And the office's performance table counts it.
    logout(page)
    login(page, "office_admin")
    page.goto("/supervision/performance/")
    row = page.locator("tr#unit-market-regulation")
    assert row.locator("td").nth(7).inner_text().strip() == "1"


def test_rectification_from_open_to_closed(page, programme, office_admin, reviewer):
    login(page, "office_admin")
    page.goto("/rectifications/new/")
    page.fill("#id_title", "农贸市场快检室台账不全")
    page.select_option("#id_owner_unit", label="区市场监管局")
    page.fill("#id_working_days", "5")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    rect = Rectification.objects.get(title="农贸市场快检室台账不全")
    # Created Monday 27 September 2021 with 5 working days: 28, 29, 30 Sep, then the
    # National Day holiday (1–7 Oct), 8 and 9 Oct (a make-up Saturday).
    assert rect.state == "open" and rect.deadline == date(2021, 10, 9)
    logout(page)

    login(page, "market_user")
    page.goto(f"/rectifications/{rect.pk}/")
    page.click("button[data-action=in_progress]")
    page.wait_for_load_state("load")
    page.fill("form[action$='/evidence/'] input[name=title]", "整改后台账照片")
    page.set_input_files("form[action$='/evidence/'] input[name=file]", pdf("after.pdf"))
    page.click("form[action$='/evidence/'] button[type=submit]")
    page.wait_for_load_state("load")
    page.click("button[data-action=submitted]")
    page.wait_for_load_state("load")
    rect.refresh_from_db()
    assert rect.state == "submitted"
    logout(page)

    login(page, "reviewer")
    evidence = Evidence.objects.get(rectification=rect)
    page.goto(f"/evidence/{evidence.pk}/")
    page.check("input[name=decision][value=approve]")
    page.click("form[action$='/review/'] button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"/rectifications/{rect.pk}/")
    page.click("button[data-action=closed]")
    page.wait_for_load_state("load")
    rect.refresh_from_db()
    assert rect.state == "closed" and rect.verified_by.username == "reviewer"
    assert rect.closed_on == date(2021, 9, 27)
    assert [e.to_state for e in rect.events.all()] == [
        "open",
        "in_progress",
        "submitted",
        "closed",
    ]


def test_another_units_objects_are_404(page, programme, office_admin, reviewer):
    from foodsafe.orgunits.models import ResponsibleUnit
    from foodsafe.rectification.services import rectification_create

    market = ResponsibleUnit.objects.get(code="market-regulation")
    rect = rectification_create(
        title="超市进货查验记录缺失",
        owner_unit=market,
        source="self_check",
        working_days=10,
        actor=office_admin,
    )
    assignment = programme.filter(responsible_unit=market).first()
    login(page, "education_user")
    for url in (
        f"/rectifications/{rect.pk}/",
        f"/evidence/assignments/{assignment.pk}/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
    # Its own list does not show the other unit's item either.
    page.goto("/rectifications/")
    assert page.get_by_text("超市进货查验记录缺失").count() == 0


@pytest.fixture
def ledgers(district):
    for code in (SUB_A, SUB_B):
        PopulationFactory(org_unit_id=code, resident_population=1000)
    for code, day in (
        (SUB_A, date(2021, 1, 10)),
        (SUB_B, date(2021, 2, 10)),
        (SUB_A, date(2021, 5, 10)),
        (SUB_B, date(2021, 8, 3)),
    ):
        SamplingBatchFactory(org_unit_id=code, sampled_on=day, department="market_regulation")


def test_dashboard_and_task_board_screenshots(page, programme, ledgers, office_admin):
    login(page, "office_admin")
    page.goto(f"/dashboard/{DISTRICT}/2021/")
    page.wait_for_selector("body[data-charts-ready]")
    charts = int(page.locator("body").get_attribute("data-charts-ready") or 0)
    assert charts >= 3  # groups, subdistricts, and the trends
    assert page.locator("#chart-groups canvas").count() == 1
    assert page.locator(".chart-trend canvas").count() == page.locator(".chart-trend").count()
    assert screenshot(page, "dashboard").stat().st_size > 20_000

    page.goto("/programme/tasks/")
    assert page.locator("h1").first.is_visible()
    assert screenshot(page, "task-board", full_page=False).stat().st_size > 20_000
    screenshot(page, "task-board-full")

    # In English through the language switcher.
    page.goto(f"/dashboard/{DISTRICT}/2021/")
    page.click("form.lang-form button[value=en]")
    page.wait_for_selector("body[data-charts-ready]")
    assert "Monthly trend of each indicator" in page.content()
    screenshot(page, "dashboard-en")


def test_dashboard_and_task_board_fit_a_phone(page, programme, ledgers, office_admin):
    """At 375 px neither page scrolls sideways: the chart cards shrink to the screen (they had a
    420 px minimum) and the task board's filter form wraps (it was one 423 px row)."""
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, "office_admin")
    overflow = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    page.goto(f"/dashboard/{DISTRICT}/2021/")
    page.wait_for_selector("body[data-charts-ready]")
    assert page.evaluate(overflow) == 0
    screenshot(page, "dashboard-375")
    page.goto("/programme/tasks/")
    assert page.evaluate(overflow) == 0
    assert page.locator("form.period-form button[type=submit]").bounding_box()["x"] < 375
    screenshot(page, "task-board-375", full_page=False)


def test_supervision_pages(page, programme, office_admin, reviewer):
    from foodsafe.orgunits.models import ResponsibleUnit
    from foodsafe.rectification.services import rectification_create

    market = ResponsibleUnit.objects.get(code="market-regulation")
    late = rectification_create(
        title="学校食堂留样记录不全",
        owner_unit=market,
        source="review",
        working_days=3,
        actor=office_admin,
        created_on=date(2021, 9, 1),
    )
    call_command("send-reminders", verbosity=0)  # 27 September 2021: overdue by 15 working days
    login(page, "office_admin")
    page.goto("/supervision/overdue/")
    assert page.locator("#overdue-total").inner_text() == "1"
    row = page.locator("table.overdue tbody tr").first
    assert late.number in row.inner_text() and "2021-09-27" in row.inner_text()
    screenshot(page, "supervision-overdue")
    page.click(f"text={late.number}")
    page.wait_for_url(f"**/rectifications/{late.pk}/")
    page.goto("/supervision/performance/")
    assert page.locator("tr#unit-market-regulation td").nth(6).inner_text().strip() == "1"
    screenshot(page, "supervision-performance")
