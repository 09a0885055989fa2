"""The evidence index (issue 17: "one 88-row page"): search by item number, item title or unit,
filter by pending / missing, 30 rows a page, the filters kept in the page links."""

from __future__ import annotations

from django.urls import reverse

from foodsafe.programme.models import ItemAssignment
from tests.evidence.fixtures import make_evidence

INDEX = reverse("evidence:index")


def rows(response) -> list[ItemAssignment]:
    return list(response.context["page"].object_list)


def test_pages_and_search(client, programme, office_admin, market_user):
    total = ItemAssignment.objects.count()  # every item × unit of heping-2021
    assert total > 60
    client.force_login(office_admin)
    first = client.get(INDEX)
    page = first.context["page"]
    # 30 a page: ceil(total / 30) pages, the first full.
    assert len(rows(first)) == 30 and page.paginator.num_pages == -(-total // 30)
    # By item number: the assignments of item 8 only, one per unit the plan lists for it.
    by_number = client.get(INDEX, {"q": "8"})
    expected = ItemAssignment.objects.filter(item__number=8).count()
    assert {a.item.number for a in rows(by_number)} == {8} and len(rows(by_number)) == expected
    # By unit name: only 区市场监管局's.
    by_unit = client.get(INDEX, {"q": "市场监管"})
    assert {a.responsible_unit.code for a in rows(by_unit)} == {"market-regulation"}


def test_pending_filter_and_links_keep_it(client, programme, office_admin, market_user, assignment):
    target = assignment(8, "market-regulation")
    make_evidence(uploaded_by=market_user, assignment=target)
    client.force_login(office_admin)
    response = client.get(INDEX, {"show": "pending"})
    assert [a.pk for a in rows(response)] == [target.pk]
    missing = client.get(INDEX, {"show": "missing", "page": "2"})
    html = missing.content.decode()
    # Page links carry the filter (and not the old page number).
    assert "?show=missing&amp;page=1" in html and "page=2&amp;page" not in html


def test_member_unit_searches_its_own(client, programme, market_user):
    client.force_login(market_user)
    response = client.get(INDEX, {"q": "教育"})  # another unit's name: nothing of theirs
    assert all(a.responsible_unit.code == "market-regulation" for a in rows(response))
