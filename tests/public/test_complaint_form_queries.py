"""What one public complaint post asks of the database (docs/public.md, "Load"): the subdistrict
is checked once, by the service, and the complaint with its history row is one transaction
without a savepoint of its own — and a subdistrict that is not one is still refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foodsafe.complaints.models import Complaint
from tests.conftest import DISTRICT, SUB_A, SUB_B

from .test_public_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait_no_limits(settings):
    settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS = 0
    settings.FOODSAFE_PUBLIC_VIEWS_PER_MINUTE = 0
    settings.FOODSAFE_PUBLIC_POSTS_PER_HOUR = 0


def test_the_form_lists_the_subdistricts_only(client, district):
    html = client.get(reverse("public:complaint")).content.decode()
    assert f'value="{SUB_A}"' in html and f'value="{SUB_B}"' in html
    assert f'value="{DISTRICT}"' not in html


@pytest.mark.parametrize("code", [DISTRICT, "120101999000", ""])
def test_a_posted_code_that_is_no_subdistrict_is_refused(client, district, code):
    """The district itself (level 3), an unknown code and none: 请选择所在街道, nothing stored,
    and the form is drawn again with the subdistricts to choose from."""
    html = client.get(reverse("public:complaint")).content.decode()
    page = client.post(reverse("public:complaint"), form_data(html, org_unit_code=code))
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "请选择所在街道" in text or "这个字段是必填项" in text or "This field is required" in text
    )
    assert f'value="{SUB_A}"' in text
    assert Complaint.objects.count() == 0


def test_a_post_reads_the_subdistricts_once_and_opens_one_savepoint(client, district):
    """One successful post: exactly one query on the org-unit table (the service's check of the
    posted code; the form no longer reads the whole list first), and exactly one SAVEPOINT.

    Why one savepoint: the test runs inside pytest-django's transaction, so complaint_submit's
    atomic block is nested and opens a savepoint (in production it is the outermost block and
    opens the transaction instead); complaint_save's block inside it is savepoint=False. Before
    this change there were two (complaint_save's too) and two org-unit queries."""
    html = client.get(reverse("public:complaint")).content.decode()
    data = form_data(html)
    with CaptureQueriesContext(connection) as queries:
        done = client.post(reverse("public:complaint"), data)
    assert "tracking-number" in done.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    on_units = [s for s in sql if '"orgunits_orgunit"' in s]
    assert len(on_units) == 1, on_units
    assert "LIMIT 1" in on_units[0]  # an exists() check, not the list
    assert sum(s.startswith("SAVEPOINT") for s in sql) == 1, sql
    c = Complaint.objects.get()
    assert c.org_unit_id == SUB_A
    assert c.history.count() == 1  # the audit row is still written, in the same transaction
