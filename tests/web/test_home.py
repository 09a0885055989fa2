"""The home page: a member unit's open work in deadline order; other roles go to the scorecard.

Deadlines: evidence work is due at the end of the current phase (else the next one); a
rectification at its own deadline. Time is frozen in every test, including on days of the
National Day and Spring Festival holidays.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from foodsafe.orgunits.models import ResponsibleUnit
from tests.tasks.board_data import add_evidence, add_rectification, assignment, load_programme


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(moment: str):
    return time_machine.travel(f"{moment} 10:00 +0800", tick=False)


@pytest.fixture
def work(db, education_user, market_user, office_admin):
    """区教育局's work: 6 assignments (item 8 complete), rectifications due 08-05, 08-20,
    09-15 and one closed; a rectification of 区市场监管局 that must not show."""
    spec, _ = load_programme()
    education = ResponsibleUnit.objects.get(code="education")
    market = ResponsibleUnit.objects.get(code="market-regulation")
    for text in spec.item(8).evidence:
        add_evidence(
            assignment(8, "education"), by=education_user, requirement=text, status="approved"
        )
    add_evidence(
        assignment(5, "education"), by=education_user, requirement=spec.item(5).evidence[0]
    )
    for deadline, state in [
        (date(2021, 9, 15), "open"),
        (date(2021, 8, 5), "in_progress"),
        (date(2021, 8, 20), "sent_back"),
        (date(2021, 8, 1), "closed"),
    ]:
        add_rectification(
            education, by=office_admin, deadline=deadline, state=state, title=f"教育局{deadline}"
        )
    add_rectification(market, by=office_admin, deadline=date(2021, 8, 3), title="市场局问题")
    return spec


def home(client, user):
    client.force_login(user)
    return client.get("/")


def summary(response):
    out = []
    for e in response.context["home"].entries:
        what = e.row.item_number if e.row else e.rectification.title
        out.append((e.deadline.isoformat(), e.kind[:5], what, e.overdue))
    return out


def test_unit_home_lists_open_work_in_deadline_order(client, education_user, work):
    with at("2021-08-10"):
        response = home(client, education_user)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "tasks/unit_home.html"
    assert summary(response) == [
        ("2021-08-05", "recti", "教育局2021-08-05", True),
        ("2021-08-20", "recti", "教育局2021-08-20", False),
        ("2021-08-31", "evide", 5, False),
        ("2021-08-31", "evide", 18, False),
        ("2021-08-31", "evide", 20, False),
        ("2021-08-31", "evide", 26, False),
        ("2021-08-31", "evide", 29, False),
        ("2021-09-15", "recti", "教育局2021-09-15", False),
    ]
    html = response.content.decode()
    assert "区教育局" in html and "市场局问题" not in html and "教育局2021-08-01" not in html
    assert "其中 1 项已逾期" in html
    assert "全面推动阶段" in html
    assert 'href="/programme/items/5/"' in html
    assert "退回重改" in html  # the state of the sent-back rectification


@pytest.mark.parametrize(
    ("today", "evidence_due", "overdue"),
    [
        # 国庆节 (National Day holiday, 2021-10-01 — 10-07): the national-acceptance phase
        ("2021-10-03", "2021-11-30", {"教育局2021-08-05", "教育局2021-08-20", "教育局2021-09-15"}),
        # 2021-09-30, the last day of the city review: nothing of the phase is overdue yet
        ("2021-09-30", "2021-09-30", {"教育局2021-08-05", "教育局2021-08-20", "教育局2021-09-15"}),
        # 春节 (Spring Festival holiday, 2022-01-31 — 02-06): every phase is over
        (
            "2022-02-01",
            "2021-11-30",
            {"教育局2021-08-05", "教育局2021-08-20", "教育局2021-09-15", 5, 18, 20, 26, 29},
        ),
        # before the programme: the launch phase is next
        ("2020-12-31", "2021-06-30", set()),
    ],
)
def test_deadlines_and_overdue_on_holidays(
    client, education_user, work, today, evidence_due, overdue
):
    with at(today):
        rows = summary(home(client, education_user))
    assert {d for d, kind, _, _ in rows if kind == "evide"} == {evidence_due}
    assert {what for _, _, what, late in rows if late} == overdue


def test_unit_without_work(client, db, django_user_model):
    from foodsafe.accounts.models import Profile

    unit = ResponsibleUnit.objects.create(code="finance", name="区财政局")
    user = django_user_model.objects.create_user("caizheng", password="caizheng-pass-123")
    Profile.objects.create(user=user, role="member_unit", responsible_unit=unit)
    with at("2021-08-10"):
        response = home(client, user)
    assert response.status_code == 200
    assert "本单位暂无待办事项" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["office_admin", "office_user", "reviewer", "inspector", "outsider"]
)
def test_other_users_go_to_the_scorecard(client, request, persona, db):
    response = home(client, request.getfixturevalue(persona))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "web:scorecard", kwargs={"org_code": "120101000000", "period": "2021"}
    )


def test_anonymous_goes_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_unit_home_query_count_is_fixed(
    client, education_user, office_admin, work, django_assert_num_queries
):
    client.force_login(education_user)
    education = ResponsibleUnit.objects.get(code="education")
    with at("2021-08-10"):
        # 10: the menu asks may_open("complaints:list"), whose has_perm reads the user's and
        # their groups' permissions once (2 queries, cached on the user for the request).
        # + 2: the layout's unread notifications and example-data flag
        with django_assert_num_queries(12) as before:
            client.get("/")
        for n in range(5):
            add_rectification(education, by=office_admin, deadline=date(2021, 9, 1 + n))
            add_evidence(assignment(29, "education"), by=education_user)
        with django_assert_num_queries(len(before.captured_queries)):
            response = client.get("/")
    assert len(response.context["home"].entries) == 13
