"""Rendered scorecard and dashboard pages kept per user session (``web/page_cache.py``).

With the scorecard cache on, a page rendered for a user's session is served again to that
session while no data changed. These tests count the renderings (the page selector is wrapped)
and check that another user, or the same user in a new session, never gets a page kept for
someone else, and that a new ledger row shows at once.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from foodsafe.dashboard import selectors as dashboard_selectors
from foodsafe.web import selectors as web_selectors
from tests.conftest import DISTRICT, SUB_A
from tests.factories import PopulationFactory, SamplingBatchFactory

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SCORECARD = reverse("web:scorecard", kwargs={"org_code": DISTRICT, "period": "2021"})
DASHBOARD = reverse("dashboard:dashboard", kwargs={"org_code": DISTRICT, "period": "2021"})


@pytest.fixture
def cache_on(settings, district):
    settings.FOODSAFE_SCORECARD_CACHE_SECONDS = 300
    settings.CACHES = LOCMEM
    from django.core.cache import cache

    cache.clear()
    PopulationFactory(org_unit_id=SUB_A, resident_population=1000)
    SamplingBatchFactory(org_unit_id=SUB_A, sampled_on=date(2021, 3, 1))
    return district


@pytest.fixture
def renderings(monkeypatch):
    """How many times each page was computed (not served from the page cache)."""
    counts = {"scorecard": 0, "dashboard": 0}
    scorecard_page, dashboard_page = (
        web_selectors.scorecard_page,
        dashboard_selectors.dashboard_page,
    )

    def counted_scorecard(**kwargs):
        counts["scorecard"] += 1
        return scorecard_page(**kwargs)

    def counted_dashboard(**kwargs):
        counts["dashboard"] += 1
        return dashboard_page(**kwargs)

    monkeypatch.setattr(web_selectors, "scorecard_page", counted_scorecard)
    monkeypatch.setattr(dashboard_selectors, "dashboard_page", counted_dashboard)
    return counts


def user(django_user_model, name: str):
    from foodsafe.accounts.models import Profile

    u = django_user_model.objects.create_user(name, password="pass-12345-word")
    Profile.objects.create(user=u, role="office_admin")
    return u


def site_user(response) -> str:
    text = response.content.decode()
    start = text.index('<span class="site-user">') + len('<span class="site-user">')
    return text[start : text.index("</span>", start)]


@pytest.mark.parametrize(("path", "page"), [(SCORECARD, "scorecard"), (DASHBOARD, "dashboard")])
def test_a_session_gets_its_page_again_and_nobody_else_does(
    cache_on, renderings, django_user_model, path, page
):
    alice, bob = user(django_user_model, "alice"), user(django_user_model, "bob")
    a = Client()
    a.force_login(alice)
    # The first request has no CSRF cookie yet (its page sets it): rendered, not kept.
    # The second is rendered and kept; the third is the kept page.
    for _ in range(3):
        response = a.get(path)
        assert response.status_code == 200
        assert site_user(response) == "alice"
    assert renderings[page] == 2
    kept = response.content

    # Bob, same role, same URL, same data: his own rendering, never Alice's page.
    b = Client()
    b.force_login(bob)
    for _ in range(2):
        response = b.get(path)
        assert site_user(response) == "bob"
        assert response.content != kept
    assert renderings[page] == 4

    # Alice in a new session (logged in again): a new rendering, not the page kept before.
    a.logout()
    a.force_login(alice)
    response = a.get(path)
    assert renderings[page] == 5
    assert site_user(response) == "alice"
    # Another language: another page.
    a.get(path)
    a.cookies["django_language"] = "en"
    a.get(path)
    assert renderings[page] == 7


def test_a_new_ledger_row_shows_at_once(cache_on, renderings, django_user_model):
    a = Client()
    a.force_login(user(django_user_model, "alice"))
    for _ in range(3):
        a.get(SCORECARD)
    assert renderings["scorecard"] == 2  # the third from the page cache

    def sampled(response) -> int:
        card = response.context["scorecard"]
        return next(i for i in card.indicators if i.metric == "sampling_per_thousand").numerator

    before = a.get(SCORECARD)
    assert renderings["scorecard"] == 2 and before.context is None  # kept page, not rendered
    SamplingBatchFactory(org_unit_id=SUB_A, sampled_on=date(2021, 4, 1))
    after = a.get(SCORECARD)
    # Rendered again at once, with the new batch counted: 1 batch before, 2 now.
    assert renderings["scorecard"] == 3
    assert sampled(after) == 2
    assert after.content != before.content


def test_off_by_default(settings, district, renderings, office_user):
    settings.FOODSAFE_SCORECARD_CACHE_SECONDS = 0
    c = Client()
    c.force_login(office_user)
    for _ in range(3):
        c.get(SCORECARD)
    assert renderings["scorecard"] == 3


@pytest.mark.django_db
def test_a_credit_class_changes_the_data_version():
    # Item 25 reads the credit app's tables: a new class (or a refresh's entries) must be a new
    # cache key, not a cached scorecard without it.
    from foodsafe.credit.models import CreditGrade
    from foodsafe.scorecard.cache import data_version
    from tests.factories import FoodBusinessFactory

    business = FoodBusinessFactory()
    before = data_version()
    CreditGrade.objects.create(
        business=business, month=date(2021, 12, 1), computed="B", score=0, spec_label="t",
        level="B",
    )  # fmt: skip
    assert data_version() != before
