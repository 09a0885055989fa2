"""Supervision pages: who sees what (office/reviewer all units, a member unit its own,
others 403), the overdue list in working days, the units' performance table; query counts."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from foodsafe.evidence.models import Evidence
from foodsafe.supervision.models import Reminder

from .helpers import rectification, unit

TODAY = datetime(2021, 10, 11, 9, tzinfo=ZoneInfo("Asia/Shanghai"))  # Monday after National Day
OVERDUE = reverse("supervision:overdue")
PERFORMANCE = reverse("supervision:performance")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def ledger(office_admin, reviewer, market_user, education_user):
    """Two units' items: market-regulation 2 overdue + 1 closed on time + 1 closed late;
    education 1 overdue + 1 open in time."""
    mk = dict(creator=office_admin)
    items = {
        # due 2021-09-30; 10-08 and 10-09 (make-up Saturday) and 10-11: 3 working days late
        "m_late": rectification(
            owner="market-regulation", created_on=date(2021, 9, 24), working_days=5, **mk
        ),
        "m_late2": rectification(
            owner="market-regulation", created_on=date(2021, 9, 1), working_days=3, **mk
        ),
        "m_on_time": rectification(
            owner="market-regulation",
            created_on=date(2021, 9, 1),
            working_days=10,
            state="closed",
            closed_on=date(2021, 9, 10),
            verifier=reviewer,
            **mk,
        ),
        "m_closed_late": rectification(
            owner="market-regulation",
            created_on=date(2021, 9, 1),
            working_days=3,
            state="closed",
            closed_on=date(2021, 9, 20),
            verifier=reviewer,
            **mk,
        ),
        "e_late": rectification(
            owner="education", created_on=date(2021, 9, 1), working_days=5, **mk
        ),
        "e_open": rectification(
            owner="education", created_on=date(2021, 10, 8), working_days=10, **mk
        ),
    }
    Reminder.objects.create(
        rectification=items["m_late"],
        responsible_unit=items["m_late"].owner_unit,
        kind="overdue",
        sent_on=date(2021, 10, 9),
        deadline=items["m_late"].deadline,
        message="x",
    )
    return items


def test_anonymous_goes_to_login(client, db):
    for url in (OVERDUE, PERFORMANCE):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("persona", "overdue", "performance"),
    [
        ("office_admin", 200, 200),
        ("reviewer", 200, 403),
        ("market_user", 200, 403),
        ("inspector", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_roles(client, request, persona, overdue, performance):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(OVERDUE).status_code == overdue
    assert client.get(PERFORMANCE).status_code == performance


def test_office_sees_every_unit(client, office_admin, ledger):
    client.force_login(office_admin)
    response = client.get(OVERDUE)
    html = response.content.decode()
    units = response.context["units"]
    assert [u.unit.code for u in units] == ["market-regulation", "education"]  # most first
    assert [i.rectification.number for i in units[0].items] == [
        ledger["m_late2"].number,
        ledger["m_late"].number,
    ]
    late = units[0].items[1]
    assert late.rectification.deadline == date(2021, 9, 30)
    assert late.working_days_late == 3  # 8 Oct, 9 Oct (make-up), 11 Oct
    assert late.last_reminded_on == date(2021, 10, 9)
    assert response.context["total"] == 3
    assert ledger["e_open"].number not in html and ledger["m_on_time"].number not in html
    assert "区市场监管局" in html and "区教育局" in html and "2021-10-09" in html
    assert f'href="{PERFORMANCE}"' in html  # the office's way to the performance table


def test_reviewer_sees_every_unit(client, reviewer, ledger):
    client.force_login(reviewer)
    assert client.get(OVERDUE).context["total"] == 3


def test_member_unit_sees_only_its_own(client, education_user, ledger):
    client.force_login(education_user)
    response = client.get(OVERDUE)
    html = response.content.decode()
    assert [u.unit.code for u in response.context["units"]] == ["education"]
    assert ledger["e_late"].number in html
    assert ledger["m_late"].number not in html and "区市场监管局" not in html
    assert f'href="{PERFORMANCE}"' not in html
    # Each item links to its own page.
    assert f'href="/rectifications/{ledger["e_late"].pk}/"' in html


def test_nothing_overdue(client, market_user, db):
    client.force_login(market_user)
    assert "没有逾期事项" in client.get(OVERDUE).content.decode()


def _evidence(rect, user, **kw) -> Evidence:
    return Evidence.objects.create(
        rectification=rect,
        title="整改照片",
        file="evidence/2021/10/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=user,
        **kw,
    )


def test_performance_table(client, office_admin, reviewer, market_user, ledger):
    # One market-regulation file rejected, then approved: it still counts as rejected once.
    ev = _evidence(ledger["m_late"], market_user)
    ev.status, ev.review_reason, ev.reviewed_by = "rejected", "照片不清晰", reviewer
    ev.save()
    ev.status, ev.review_reason = "approved", ""
    ev.save()
    _evidence(ledger["m_late2"], market_user)  # never rejected
    client.force_login(office_admin)
    response = client.get(PERFORMANCE)
    rows = {r.unit.code: r for r in response.context["rows"]}
    market, education = rows["market-regulation"], rows["education"]
    assert (market.total, market.closed, market.closed_on_time) == (4, 2, 1)
    assert market.on_time_rate == 50 and market.overdue == 2 and market.open == 2
    assert market.evidence_rejected == 1
    assert (education.closed, education.overdue, education.evidence_rejected) == (0, 1, 0)
    assert education.on_time_rate is None
    assert [r.unit.code for r in response.context["rows"]] == ["market-regulation", "education"]
    html = response.content.decode()
    assert "50.0%" in html and "按期销号率" in html
    # Only 2020's closings: none.
    rows_2020 = {r.unit.code: r for r in client.get(PERFORMANCE, {"year": "2020"}).context["rows"]}
    assert rows_2020["market-regulation"].closed == 0
    assert rows_2020["market-regulation"].evidence_rejected == 0
    assert client.get(PERFORMANCE, {"year": "20x1"}).status_code == 400


def test_performance_years_run_from_the_programme_year(client, office_admin):
    """Every year from the programme's (2021) to this year, newest first."""
    client.force_login(office_admin)
    assert client.get(PERFORMANCE).context["years"] == [2021]  # frozen in October 2021
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TODAY.tzinfo), tick=False):
        client.force_login(office_admin)  # the 2021 session has expired by then
        response = client.get(PERFORMANCE)
    assert response.context["years"] == [2026, 2025, 2024, 2023, 2022, 2021]
    html = response.content.decode()
    assert '<option value="2021">2021</option>' in html
    assert '<option value="2020">' not in html


def test_query_counts_do_not_grow_with_units(
    client, office_admin, ledger, django_assert_num_queries
):
    client.force_login(office_admin)
    client.get(OVERDUE)  # warm the session and profile caches

    def counts() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as overdue:
            client.get(OVERDUE)
        with CaptureQueriesContext(connection) as performance:
            client.get(PERFORMANCE)
        return len(overdue), len(performance)

    before = counts()
    for code in ("health", "commerce"):
        for start in (date(2021, 9, 1), date(2021, 9, 2)):
            rectification(owner=unit(code), created_on=start, working_days=3, creator=office_admin)
    assert counts() == before
    # session, user, profile, the working-day calendar's revision (one small query; the
    # calendar itself stays in memory while the revision holds), the overdue list, and the
    # menu's has_perm (user and group permissions, once per request)
    # + the layout's unread notifications and example-data flag
    # + the assignments still without approved evidence after 全面推动阶段 (材料报送, issue 17:
    # one query, the programme found by a subquery; 2021-10-11 is after its end, 2021-08-31)
    # + the workplan's overdue tasks and overdue milestones (issue 17 point 3; their last
    # reminders are read only when there are some; the calendar's revision is reused)
    # + the active 信息报送 schedules (issue 17 point 7; none here, so no more)
    with django_assert_num_queries(13):
        client.get(OVERDUE)
    # session, user, profile, rectification stats, rejected evidence, units, the menu's has_perm
    with django_assert_num_queries(10):
        client.get(PERFORMANCE)


def test_reminders_are_read_only_in_the_admin(client, django_user_model, ledger):
    admin_user = django_user_model.objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin_user)
    response = client.get("/admin/supervision/reminder/")
    assert response.status_code == 200 and ledger["m_late"].number in response.content.decode()
    assert client.get("/admin/supervision/reminder/add/").status_code == 403
