"""A task item's page /programme/items/<number>/: text, units, requirements, evidence per unit,
rectifications and the audit history; a member unit not assigned to the item gets 404."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from foodsafe.orgunits.models import ResponsibleUnit
from tests.tasks.board_data import add_evidence, add_rectification, assignment, load_programme


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2021-08-10 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def item5(db, clock, market_user, education_user, reviewer):
    """Item 5 (market regulation and education among its units), with evidence of both units,
    a review, and a rectification of each unit."""
    spec, _ = load_programme()
    reqs = spec.item(5).evidence
    market, education = assignment(5, "market-regulation"), assignment(5, "education")
    ev = add_evidence(market, by=market_user, requirement=reqs[0], title="市场局材料")
    clock.shift(3600)
    add_evidence(education, by=education_user, requirement=reqs[1], title="教育局材料")
    clock.shift(3600)
    ev.status, ev.reviewed_by, ev.review_reason = "rejected", reviewer, "缺少签章"
    ev.reviewed_at = ev.uploaded_at
    ev._history_user = reviewer
    ev.save()
    clock.shift(-7200)
    add_rectification(
        market.responsible_unit,
        by=market_user,
        deadline=date(2021, 8, 20),
        item=market.item,
        title="市场局整改",
    )
    add_rectification(
        education.responsible_unit,
        by=education_user,
        deadline=date(2021, 8, 25),
        item=education.item,
        title="教育局整改",
    )
    return spec


def page(client, user, number=5):
    client.force_login(user)
    return client.get(f"/programme/items/{number}/")


def test_office_sees_every_unit_and_the_history(client, office_admin, item5):
    response = page(client, office_admin)
    assert response.status_code == 200
    html = response.content.decode()
    item = item5.item(5)
    assert item.text in html
    for req in item.evidence:
        assert req in html
    for name in item5.unit_names(5):
        assert name in html
    assert "市场局材料" in html and "教育局材料" in html
    assert "缺少签章" in html
    assert "市场局整改" in html and "教育局整改" in html
    assert "修改记录" in html
    history = response.context["page"].history
    assert [c.who for c in history][:1] == ["reviewer"]  # the review is the latest change
    assert any(f.label == "审核状态" and f.new == "退回" for c in history for f in c.fields)
    assert "<del>待审核</del> → <ins>退回</ins>" in html


def test_member_unit_sees_only_its_own_evidence(client, market_user, item5):
    response = page(client, market_user)
    assert response.status_code == 200
    html = response.content.decode()
    assert "市场局材料" in html and "市场局整改" in html
    assert "教育局材料" not in html and "教育局整改" not in html
    assert "区教育局" in html  # the plan's unit list is public on the item
    units = response.context["page"].units
    assert [u.row.unit_code for u in units] == ["market-regulation"]
    assert units[0].row.status == "returned"
    labels = [c.object_label for c in response.context["page"].history]
    assert labels and not any("教育局" in label for label in labels)


def test_member_unit_not_assigned_gets_404(client, education_user, item5):
    numbers = [i.number for i in item5.items if "education" not in {u.unit for u in i.units}]
    assert 6 in numbers
    assert page(client, education_user, 6).status_code == 404
    assert page(client, education_user, 5).status_code == 200


def test_unknown_item_is_404(client, office_admin, item5):
    assert page(client, office_admin, 99).status_code == 404


@pytest.mark.parametrize("persona", ["inspector", "outsider"])
def test_other_roles_are_refused(client, request, persona, item5):
    assert page(client, request.getfixturevalue(persona)).status_code == 403


def test_reviewer_sees_all_units(client, reviewer, item5):
    response = page(client, reviewer)
    assert response.status_code == 200
    codes = [u.row.unit_code for u in response.context["page"].units]
    assert len(codes) == len(item5.item(5).units)


def test_links_to_evidence_and_rectification_pages(client, office_admin, item5):
    html = page(client, office_admin).content.decode()
    from foodsafe.evidence.models import Evidence
    from foodsafe.rectification.models import Rectification

    evidence = Evidence.objects.get(title="市场局材料")
    rect = Rectification.objects.get(title="市场局整改")
    try:
        urls = [reverse("evidence:detail", args=[evidence.pk])]
        urls.append(reverse("rectification:detail", args=[rect.pk]))
    except NoReverseMatch:
        pytest.skip("evidence or rectification pages not mounted")
    for url in urls:
        assert f'href="{url}"' in html


def test_item_page_query_count_is_fixed(client, office_admin, item5, django_assert_num_queries):
    client.force_login(office_admin)
    unit = ResponsibleUnit.objects.get(code="market-regulation")
    # session, user, profile, programme, item, assignments, visible assignments, evidence,
    # rectifications, then the history: pks, records and related names for each model, and
    # the menu's has_perm (user and group permissions, once per request)
    # + the layout's unread notifications and example-data flag (2)
    with django_assert_num_queries(22) as before:
        client.get("/programme/items/5/")
    for _ in range(5):
        add_rectification(
            unit,
            by=office_admin,
            deadline=date(2021, 9, 1),
            item=assignment(5, "market-regulation").item,
        )
        add_evidence(assignment(5, "market-regulation"), by=office_admin)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/programme/items/5/")
