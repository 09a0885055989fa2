"""The task board (任务看板): statuses, phases, filters, who sees what, pinned query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from foodsafe.evidence.models import Evidence
from foodsafe.programme.in_force import programme_spec
from foodsafe.tasks.selectors import (
    AssignmentStatus,
    EvidenceFact,
    RequirementState,
    assignment_status,
    phase_state,
    requirement_states,
)
from tests.tasks.board_data import add_evidence, assignment, load_programme

BOARD = "/programme/tasks/"
T0 = datetime(2021, 8, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _in_the_full_push_phase():
    """Every board test runs on 2021-08-10, in 全面推动阶段 (2021-07-01 — 2021-08-31)."""
    with time_machine.travel("2021-08-10 10:00 +0800", tick=False):
        yield


# -- the status of one assignment (pure) -------------------------------------------------------


def fact(requirement: str, status: str, reviewed_minutes: int | None = None) -> EvidenceFact:
    reviewed = None if reviewed_minutes is None else T0 + timedelta(minutes=reviewed_minutes)
    return EvidenceFact(1, requirement, status, T0, reviewed)


def status_of(requirements: list[str], evidence: list[EvidenceFact]) -> AssignmentStatus:
    return assignment_status(requirement_states(requirements, evidence), evidence)


REQS = ["甲", "乙"]


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ([], AssignmentStatus.NOT_STARTED),
        ([fact("甲", "submitted")], AssignmentStatus.IN_PROGRESS),
        ([fact("甲", "approved", 1)], AssignmentStatus.IN_PROGRESS),
        ([fact("甲", "approved", 1), fact("乙", "submitted")], AssignmentStatus.IN_PROGRESS),
        ([fact("甲", "approved", 1), fact("乙", "approved", 2)], AssignmentStatus.DONE),
        ([fact("甲", "rejected", 1)], AssignmentStatus.RETURNED),
        ([fact("甲", "approved", 1), fact("乙", "rejected", 2)], AssignmentStatus.RETURNED),
        # a later approval answers an earlier rejection
        ([fact("乙", "rejected", 1), fact("甲", "approved", 2)], AssignmentStatus.IN_PROGRESS),
        # a rejected extra file does not undo a complete set
        (
            [fact("甲", "approved", 1), fact("乙", "approved", 2), fact("甲", "rejected", 3)],
            AssignmentStatus.DONE,
        ),
        # a file for no listed requirement is progress, not completion
        ([fact("", "approved", 1)], AssignmentStatus.IN_PROGRESS),
    ],
)
def test_assignment_status(evidence, expected):
    assert status_of(REQS, evidence) is expected


def test_item_without_listed_requirements_is_done_with_an_approved_file():
    assert status_of([], [fact("", "submitted")]) is AssignmentStatus.IN_PROGRESS
    assert status_of([], [fact("", "approved", 1)]) is AssignmentStatus.DONE


def test_requirement_states():
    states = requirement_states(
        ["甲", "乙", "丙", "丁"],
        [
            fact("甲", "rejected", 1),
            fact("甲", "approved", 2),
            fact("乙", "rejected", 1),
            fact("乙", "submitted"),
            fact("丙", "rejected", 3),
        ],
    )
    assert [s.state for s in states] == [
        RequirementState.APPROVED,
        RequirementState.SUBMITTED,
        RequirementState.REJECTED,
        RequirementState.MISSING,
    ]


# -- phases ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "current", "upcoming", "deadline"),
    [
        (date(2020, 12, 31), None, "launch", date(2021, 6, 30)),
        (date(2021, 1, 1), "launch", "full_push", date(2021, 6, 30)),
        (date(2021, 6, 30), "launch", "full_push", date(2021, 6, 30)),
        (date(2021, 7, 1), "full_push", "city_review", date(2021, 8, 31)),
        (date(2021, 9, 30), "city_review", "national_acceptance", date(2021, 9, 30)),
        (date(2021, 10, 1), "national_acceptance", None, date(2021, 11, 30)),
        (date(2021, 12, 1), None, None, date(2021, 11, 30)),
    ],
)
def test_phase_state(today, current, upcoming, deadline):
    state = phase_state(programme_spec(), today)
    assert (state.current.code if state.current else None) == current
    assert (state.next.code if state.next else None) == upcoming
    assert state.deadline == deadline
    assert state.is_over is (today > date(2021, 11, 30))
    assert [p.number for p in state.phases] == [1, 2, 3, 4]


def test_between_phases_the_next_phase_is_due():
    spec = programme_spec()
    gap = [
        p.model_copy(update={"start": date(2021, 7, 10)}) if p.number == 2 else p
        for p in spec.phases
    ]
    state = phase_state(spec.model_copy(update={"phases": gap}), date(2021, 7, 5))
    assert state.current is None and state.next.code == "full_push"
    assert state.deadline == date(2021, 8, 31)


# -- the page ----------------------------------------------------------------------------------


@pytest.fixture
def programme(db, market_user, education_user):
    """The whole programme (33 items, 88 item × unit assignments) and some evidence of 区市场监管局."""
    spec, prog = load_programme()
    market = {n: assignment(n, "market-regulation") for n in (5, 6, 7, 11)}
    item6 = spec.item(6).evidence
    for text in item6:  # item 6: every requirement approved → 已完成
        add_evidence(market[6], by=market_user, requirement=text, status="approved")
    add_evidence(market[7], by=market_user, requirement=spec.item(7).evidence[0])  # 进行中
    add_evidence(
        market[11], by=market_user, requirement=spec.item(11).evidence[0], status="rejected"
    )  # 有退回
    return spec


def rows_of(response):
    return {(r.item_number, r.unit_code): r for r in response.context["board"].rows}


def test_office_sees_every_item_and_unit(client, office_admin, programme):
    client.force_login(office_admin)
    response = client.get(BOARD)
    assert response.status_code == 200
    rows = rows_of(response)
    assert len(rows) == 88
    assert {n for n, _ in rows} == set(range(1, 34))
    assert rows[(6, "market-regulation")].status is AssignmentStatus.DONE
    assert rows[(7, "market-regulation")].status is AssignmentStatus.IN_PROGRESS
    assert rows[(11, "market-regulation")].status is AssignmentStatus.RETURNED
    assert rows[(5, "market-regulation")].status is AssignmentStatus.NOT_STARTED
    counts = response.context["board"].counts
    assert counts == {"not_started": 85, "in_progress": 1, "done": 1, "returned": 1}
    html = response.content.decode()
    assert "全面推动阶段" in html and "2021-08-31 结束" in html
    assert "市级评审阶段" in html and "2021-09-01 — 2021-09-30" in html
    assert 'href="/programme/items/6/"' in html


def test_missing_lists_requirements_without_approved_evidence(client, reviewer, programme):
    client.force_login(reviewer)
    rows = rows_of(client.get(BOARD))
    item7 = programme.item(7).evidence
    missing = rows[(7, "market-regulation")].missing
    assert [m.text for m in missing] == item7
    assert missing[0].state == RequirementState.SUBMITTED
    assert all(m.state == RequirementState.MISSING for m in missing[1:])
    assert rows[(6, "market-regulation")].missing == ()
    html = client.get(BOARD + "?status=in_progress").content.decode()
    assert item7[1] in html and "待审核" in html


def test_member_unit_sees_only_its_assignments(client, education_user, programme):
    client.force_login(education_user)
    response = client.get(BOARD)
    assert response.status_code == 200
    rows = rows_of(response)
    assert sorted(rows) == [
        (5, "education"),
        (8, "education"),
        (18, "education"),
        (20, "education"),
        (26, "education"),
        (29, "education"),
    ]
    html = response.content.decode()
    assert "区市场监管局" not in html
    assert 'name="unit"' not in html  # no unit filter for a member unit
    # a unit filter naming another unit changes nothing
    assert rows_of(client.get(BOARD + "?unit=market-regulation")) == rows


def test_group_filter(client, office_admin, programme):
    client.force_login(office_admin)
    rows = rows_of(client.get(BOARD + "?group=capacity"))
    groups = {i.number for i in programme.items if i.group == "capacity"}
    assert rows and {n for n, _ in rows} == groups


def test_unit_and_status_filters(client, office_admin, programme):
    client.force_login(office_admin)
    rows = rows_of(client.get(BOARD + "?unit=market-regulation"))
    assert len(rows) == 20 and {u for _, u in rows} == {"market-regulation"}
    rows = rows_of(client.get(BOARD + "?unit=market-regulation&status=returned"))
    assert list(rows) == [(11, "market-regulation")]
    rows = rows_of(client.get(BOARD + "?status=done&group=foundation"))
    assert list(rows) == [(6, "market-regulation")]
    # unknown filter values are ignored
    response = client.get(BOARD + "?status=bogus&unit=nowhere&group=none")
    assert len(rows_of(response)) == 88
    assert response.context["board"].filters == {"group": "", "unit": "", "status": ""}


def test_filter_form_keeps_the_choice(client, office_admin, programme):
    client.force_login(office_admin)
    html = client.get(BOARD + "?unit=education&status=not_started").content.decode()
    assert '<option value="education" selected>区教育局</option>' in html
    assert '<option value="not_started" selected>未开始</option>' in html


def test_board_without_a_loaded_programme(client, office_admin):
    client.force_login(office_admin)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert "尚未载入创建方案" in response.content.decode()


@pytest.mark.parametrize("persona", ["inspector", "outsider"])
def test_inspectors_and_users_without_role_are_refused(client, request, persona, programme):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(BOARD).status_code == 403


def test_evidence_links_go_to_the_assignment_page(client, office_admin, programme):
    client.force_login(office_admin)
    html = client.get(BOARD + "?unit=market-regulation").content.decode()
    a = assignment(6, "market-regulation")
    try:
        url = reverse("evidence:assignment", args=[a.pk])
    except Exception:  # the evidence pages are not mounted
        pytest.skip("evidence pages not mounted")
    assert f'href="{url}"' in html


# -- query counts ------------------------------------------------------------------------------


def _board_rows(client, django_assert_num_queries, expected: int) -> int:
    """Get the board in exactly ``expected`` queries; return its number of rows."""
    with django_assert_num_queries(expected):
        response = client.get(BOARD)
    assert response.status_code == 200
    return len(response.context["board"].rows)


# session, user, profile, programme, assignments, evidence, units for the filter, and the
# menu's has_perm (user permissions, group permissions: once per request)
BOARD_QUERIES = 11  # + the layout's unread notifications and example-data flag (2)


@pytest.mark.parametrize("persona", ["office_admin", "market_user"])
def test_query_count_does_not_grow_with_items(
    client, request, persona, django_assert_num_queries, market_user
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    expected = BOARD_QUERIES - (persona == "market_user")  # no unit filter for a member unit
    load_programme(items=5)
    small = _board_rows(client, django_assert_num_queries, expected)
    spec, _ = load_programme()  # all 33 items
    for n in (5, 6, 7, 11, 12, 13):
        a = assignment(n, "market-regulation")
        for text in spec.item(n).evidence:
            add_evidence(a, by=market_user, requirement=text, status="approved")
    large = _board_rows(client, django_assert_num_queries, expected)
    assert (small, large) == ((1, 20) if persona == "market_user" else (20, 88))
    assert Evidence.objects.count() > 10
