"""Query counts pinned on the rectification list and its export: they do not grow with rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from foodsafe.programme.models import TaskItem
from tests.rectification.helpers import rectification_in

# session, user, profile (role), the page's units for the filter, count, rows, and the menu's
# has_perm (the user's and their groups' permissions, read once per request).
LIST_QUERIES = 11  # + the layout's unread count and example flag (2), 自查说明 units (1)
# A member unit has no unit filter and its statement form lists only its own unit: two fewer.
MEMBER_LIST_QUERIES = 9  # + the layout's unread notifications and example-data flag (2)
# session, user, profile, rows.
EXPORT_QUERIES = 4


def make_rows(n: int, creator, verifier, items):
    states = ["open", "in_progress", "submitted", "sent_back", "closed"]
    for i in range(n):
        r = rectification_in(
            states[i % 5],
            creator=creator,
            verifier=verifier,
            owner=["market-regulation", "education", "health"][i % 3],
        )
        r.item = items[i % len(items)]
        r.save(update_fields=["item"])


@pytest.fixture
def items(programme):
    return list(TaskItem.objects.filter(programme=programme)[:5])


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries(client, office_admin, reviewer, items, rows, django_assert_num_queries):
    make_rows(rows, office_admin, reviewer, items)
    client.force_login(office_admin)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("rectification:list"))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_member_list_queries(client, market_user, reviewer, items, rows, django_assert_num_queries):
    make_rows(rows, market_user, reviewer, items)
    client.force_login(market_user)
    with django_assert_num_queries(MEMBER_LIST_QUERIES):
        response = client.get(reverse("rectification:list"), {"state": "open"})
    found = response.context["rows"]
    assert found and {(r.state, r.owner_unit.code) for r, _ in found} == {
        ("open", "market-regulation")
    }


@pytest.mark.parametrize("rows", [3, 30])
def test_export_queries(client, office_admin, reviewer, items, rows, django_assert_num_queries):
    make_rows(rows, office_admin, reviewer, items)
    client.force_login(office_admin)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(reverse("rectification:export"))
    assert response.status_code == 200
