"""Tasks with people and dates, and meetings (issue 17 points 3, 4), as the office and a member
unit use them: the office loads the phases' work and records a 调度会 with attendance and a
decision for 区市场监管局; the unit registers its 责任人, plans its share of a key task with a
milestone, marks it done, and reads the meeting and its decision. At 1280 px and 375 px (no
sideways scroll); screenshots test-artifacts/workplan-*.png."""

from __future__ import annotations

import pytest

from foodsafe.workplan.models import Meeting, Milestone, Task
from tests.tasks.board_data import load_programme

from .conftest import login, logout, screenshot


def _submit(page, selector: str) -> None:
    """Click a submit button and wait for the page the POST redirects to."""
    with page.expect_navigation():
        page.click(selector)


def _no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_office_and_unit_work_the_plan(page, site, office_admin, market_user, width):
    load_programme(items=6)
    page.set_viewport_size({"width": width, "height": 900})

    # -- the office: phase work from the spec, then a meeting with a decision ---------------
    login(page, "office_admin")
    page.goto("/workplan/")
    _submit(page, "#phase-sync")
    # the frozen day is Mon 2021-09-27: the launch phase's work (due 06-30) is overdue
    assert page.locator("#m-2021-06 + ol .tl-task").count() == 6
    assert int(page.locator("#count-overdue").inner_text()) >= 6
    _no_sideways_scroll(page, width)
    screenshot(page, f"workplan-district-{width}")

    page.goto("/workplan/meetings/")
    page.select_option("#id_kind", "scheduling")
    page.fill("#id_title", "创城调度会")
    page.fill("#id_held_on", "2021-09-24")
    page.fill("#id_place", "区政府会议室")
    page.fill("#id_chair", "张主任")
    page.fill("#id_minutes", "跟进推动会议定事项。")
    unit_id = market_user.profile.responsible_unit_id
    page.select_option(f"#att-{unit_id}", "deputy")
    page.fill(f"input[name=who-{unit_id}]", "刘示例")
    _submit(page, "#meeting-form button[type=submit]")
    page.fill("#id_text", "9月底前完成农贸市场快检室整改")
    page.select_option("#id_owner_unit", label="区市场监管局")
    page.fill("#id_due_on", "2021-09-30")
    _submit(page, "#decision-form button[type=submit]")
    assert "9月底前完成农贸市场快检室整改" in page.locator("#decisions").inner_text()
    assert page.locator("#attendance").inner_text().count("委派代表") == 1
    _no_sideways_scroll(page, width)
    screenshot(page, f"workplan-meeting-office-{width}")
    logout(page)

    # -- the unit: its person, its share of item 6 with a milestone, done ---------------------
    login(page, "market_user")
    page.goto("/workplan/people/")
    page.fill("#id_name", "王示例")
    page.fill("#id_post", "科长")
    page.fill("#id_phone", "13812345678")
    _submit(page, "#person-form button[type=submit]")
    assert "13812345678" in page.locator("#people").inner_text()  # its own unit: whole

    page.goto("/workplan/")
    with page.expect_navigation():
        page.locator("#unplanned li", has_text="第6项").locator("button").click()
    page.select_option("#id_person", label="王示例（科长）")
    page.fill("#id_start_on", "2021-09-01")
    page.fill("#id_due_on", "2021-10-29")
    _submit(page, "#plan-form button[type=submit]")
    page.fill("#milestone-form #id_title", "完成抽检任务过半")
    page.fill("#milestone-form #id_due_on", "2021-09-24")
    _submit(page, "#milestone-form button[type=submit]")
    # due Fri 09-24, not done, seen Mon 09-27: 2 working days late, Sun 09-26 (a make-up
    # working day before National Day 2021) and Mon 09-27
    assert "已逾期 2 个工作日" in page.locator("#milestones").inner_text()
    _no_sideways_scroll(page, width)
    screenshot(page, f"workplan-task-{width}")
    row = page.locator("#milestones tr", has_text="完成抽检任务过半")
    row.locator("input[name=done_on]").fill("2021-09-26")
    with page.expect_navigation():
        row.locator("button", has_text="完成").click()
    assert "逾期完成" in page.locator("#milestones").inner_text()
    task = Task.objects.get(assignment__item__number=6, owner_unit__code="market-regulation")
    assert task.person.name == "王示例"
    assert Milestone.objects.get(task=task).done_on.isoformat() == "2021-09-26"

    page.goto("/workplan/")
    assert page.locator(".tl-task", has_text="第6项").count() == 1
    assert page.locator(".tl-task", has_text="9月底前完成农贸市场快检室整改").count() == 1
    _no_sideways_scroll(page, width)
    screenshot(page, f"workplan-unit-{width}")

    meeting = Meeting.objects.get(title="创城调度会")
    page.goto(f"/workplan/meetings/{meeting.pk}/")
    assert "9月底前完成农贸市场快检室整改" in page.locator("#decisions").inner_text()
    assert page.locator("#decision-form").count() == 0  # the office's form only
    _no_sideways_scroll(page, width)
    screenshot(page, f"workplan-meeting-unit-{width}")
