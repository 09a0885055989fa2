"""Issue 10.4: a complaint added or edited in the admin gets its deadlines computed (no 500)."""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.complaints.models import Complaint
from tests.conftest import SUB_A
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="root-pass-123")
    client.force_login(user)
    OrgUnitFactory(code=SUB_A, name="A街道（测试）")
    return user


def _form(**over):
    data = {
        "complaint_number": "TS-ADMIN-1",
        "kind": "complaint",
        "is_food": "on",
        "org_unit": SUB_A,
        "summary": "测试",
        "received_on": "2021-09-30",
        "decision": "pending",
        "decided_on": "",
        "suspended_working_days": "0",
        "closed_on": "",
    }
    data.update(over)
    return data


def test_adding_a_complaint_in_the_admin_computes_its_deadlines(client, root):
    response = client.post("/admin/complaints/complaint/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get(complaint_number="TS-ADMIN-1")
    # Thu 2021-09-30 + 7 working days: 1–7 Oct off; Fri 8 (1), Sat 9 (2, make-up),
    # Mon 11 – Fri 15 (3–7).
    assert complaint.acceptance_due_on == date(2021, 10, 15)
    assert complaint.closing_due_on is None
    assert complaint.history.first().history_user == root


def test_editing_received_on_recomputes(client, root):
    client.post("/admin/complaints/complaint/add/", _form())
    complaint = Complaint.objects.get(complaint_number="TS-ADMIN-1")
    response = client.post(
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        _form(received_on="2021-09-24", decision="accepted", decided_on="2021-09-28"),
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    # Fri 24 Sep + 7: Sun 26 (make-up) … Thu 30 (5), Fri 8 Oct (6), Sat 9 Oct (7);
    # accepted Tue 28 Sep + 45 working days = Mon 6 Dec 2021.
    assert complaint.acceptance_due_on == date(2021, 10, 9)
    assert complaint.closing_due_on == date(2021, 12, 6)


def test_a_decision_without_its_date_is_a_form_error_not_a_500(client, root):
    response = client.post(
        "/admin/complaints/complaint/add/", _form(decision="accepted", decided_on="")
    )
    assert response.status_code == 200
    assert "须填写决定日期" in response.content.decode()
    assert not Complaint.objects.exists()
