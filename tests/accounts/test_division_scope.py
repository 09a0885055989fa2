"""A user of one 街道 (new-user N7): ``create-user --unit subdistricts --division CODE`` binds a
member-unit user to one 街道 of the collective unit 各街道办事处 (``subdistricts``); the user
sees and changes only that 街道's rectifications, evidence, handled complaints and imports
(``accounts.permissions.scope_to_unit`` with ``DIVISION_PATHS``), and no page of the whole
unit's work. The whole-unit login (the district's 街道 coordinator) keeps what it had.

The district fixture has two 街道: A 120101001000 and B 120101002000 (subtree prefixes
``120101001`` and ``120101002``), standing in for 劝业场 and 南市 of the example district.
"""

from __future__ import annotations

import io
from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from foodsafe.accounts.models import Profile
from foodsafe.accounts.permissions import may_open
from foodsafe.evidence.models import Evidence
from foodsafe.imports.scope import import_scope
from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit
from foodsafe.programme.models import ItemAssignment
from foodsafe.rectification.models import Rectification
from tests.conftest import SUB_A, SUB_B
from tests.evidence.files import png
from tests.factories import ComplaintFactory
from tests.rectification.helpers import frozen
from tests.tasks.board_data import add_rectification

pytestmark = pytest.mark.django_db


def _user(django_user_model, name: str, unit: ResponsibleUnit, division: str | None):
    user = django_user_model.objects.create_user(name, password=f"{name}-pass-123")
    Profile.objects.create(
        user=user, role="member_unit", responsible_unit=unit, division_id=division
    )
    return user


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def streets(django_user_model, district, programme, office_admin):
    """The collective unit 各街道办事处 (from the spec), a user of 街道 A, one of 街道 B, the
    whole-unit coordinator, and one rectification in A, one in B, one without a 区划."""
    unit = ResponsibleUnit.objects.get(code="subdistricts")
    a = _user(django_user_model, "street_a", unit, SUB_A)
    b = _user(django_user_model, "street_b", unit, SUB_B)
    whole = _user(django_user_model, "street_all", unit, None)
    rect = {}
    for key, code in (("a", SUB_A), ("b", SUB_B), ("none", None)):
        r = add_rectification(
            unit, by=office_admin, deadline=date(2021, 12, 31), title=f"问题{key}"
        )
        r.org_unit_id = code
        r.save()
        rect[key] = r
    return unit, a, b, whole, rect


def test_create_user_binds_a_member_unit_user_to_one_street(streets):
    out = StringIO()
    call_command(
        "create-user", "nanshi", "--role", "member_unit", "--unit", "subdistricts",
        "--division", SUB_B, stdout=out,
    )  # fmt: skip
    assert f"街道 B街道（测试）（{SUB_B}）" in out.getvalue()
    assert Profile.objects.get(user__username="nanshi").division_id == SUB_B
    # The district (level 3) is not a 街道; a division needs a member unit.
    with pytest.raises(CommandError, match="不是已知的街道"):
        call_command(
            "create-user", "x", "--role", "member_unit", "--unit", "subdistricts",
            "--division", "120101000000", stdout=StringIO(),
        )  # fmt: skip
    with pytest.raises(CommandError, match="只有成员单位用户"):
        call_command(
            "create-user", "y", "--role", "reviewer", "--division", SUB_A, stdout=StringIO()
        )


def test_street_user_sees_and_opens_only_its_own_rectifications(streets):
    _unit, a, b, whole, rect = streets
    # Lists: A's user sees 问题a only (not B's, not the unit's one without a 区划); the
    # coordinator sees all three, as before.
    page = _client(a).get(reverse("rectification:list")).content.decode()
    assert rect["a"].number in page
    assert rect["b"].number not in page and rect["none"].number not in page
    page = _client(whole).get(reverse("rectification:list")).content.decode()
    assert all(r.number in page for r in rect.values())
    # Export: the same single row for A.
    response = _client(a).get(reverse("rectification:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    # One row per rectification, its cell 问题 "title（number）" (rectification.exports).
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert rect["a"].number in cells
    assert rect["b"].number not in cells and rect["none"].number not in cells
    # By URL and POST: B's rectification is a 404 for A, and nothing changes.
    c = _client(a)
    assert c.get(reverse("rectification:detail", args=[rect["b"].pk])).status_code == 404
    post = c.post(
        reverse("rectification:transition", args=[rect["b"].pk]), {"to_state": "in_progress"}
    )
    assert post.status_code == 404
    assert Rectification.objects.get(pk=rect["b"].pk).state == "open"
    # Its own: A starts work on it (owner unit, its 街道).
    c.post(reverse("rectification:transition", args=[rect["a"].pk]), {"to_state": "in_progress"})
    assert Rectification.objects.get(pk=rect["a"].pk).state == "in_progress"


@frozen(date(2021, 9, 30))
def test_street_user_registers_findings_in_its_street_only(streets):
    _unit, a, _b, _whole, _rect = streets
    c = _client(a)
    new = reverse("rectification:create")
    page = c.get(new).content.decode()
    # The division list offers A only (prefix 120101001), not B nor the district.
    assert f'value="{SUB_A}"' in page and f'value="{SUB_B}"' not in page
    unit = ResponsibleUnit.objects.get(code="subdistricts")
    data = {"title": "摊点无证", "owner_unit": unit.pk, "source": "self_check",
            "working_days": "10", "org_unit": SUB_B}  # fmt: skip
    assert c.post(new, data).status_code == 400
    assert c.post(new, {**data, "org_unit": SUB_A}).status_code == 302
    assert Rectification.objects.get(title="摊点无证").org_unit_id == SUB_A


def test_street_evidence_is_its_own_street_s(streets, private_media):
    """On the unit's shared assignment, A's file is placed in A (blank 区划 → the 街道) and
    B neither lists it nor opens it; the coordinator sees it."""
    unit, a, b, whole, _rect = streets
    assignment = ItemAssignment.objects.filter(responsible_unit=unit).first()
    url = reverse("evidence:assignment", args=[assignment.pk])
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    response = _client(a).post(url, {"title": "A街道工作方案", "file": upload, "period": "",
                                     "org_unit": "", "requirement": ""})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get(title="A街道工作方案")
    assert evidence.org_unit_id == SUB_A
    assert "A街道工作方案" not in _client(b).get(url).content.decode()
    assert _client(b).get(reverse("evidence:download", args=[evidence.pk])).status_code == 404
    assert "A街道工作方案" in _client(whole).get(url).content.decode()
    # A may not place a file in B.
    upload = SimpleUploadedFile("b.png", png(), content_type="image/png")
    refused = _client(a).post(url, {"title": "冒名", "file": upload, "period": "",
                                    "org_unit": SUB_B, "requirement": ""})  # fmt: skip
    assert refused.status_code == 400 and not Evidence.objects.filter(title="冒名").exists()


def test_street_user_handles_only_complaints_of_its_street(streets):
    unit, a, _b, whole, _rect = streets
    in_a = ComplaintFactory(org_unit=OrgUnit.objects.get(code=SUB_A), handling_unit=unit)
    in_b = ComplaintFactory(org_unit=OrgUnit.objects.get(code=SUB_B), handling_unit=unit)
    page = _client(a).get(reverse("complainthandling:list")).content.decode()
    assert in_a.complaint_number in page and in_b.complaint_number not in page
    assert _client(a).get(reverse("complainthandling:detail", args=[in_b.pk])).status_code == 404
    page = _client(whole).get(reverse("complainthandling:list")).content.decode()
    assert in_a.complaint_number in page and in_b.complaint_number in page


def test_whole_unit_pages_are_refused_to_a_street_user(streets):
    """Filings, info reports, the workplan and the 自查说明 are the whole unit's (no 区划 to
    split them by): a 街道 user gets 403 and no menu link; the coordinator keeps them."""
    _unit, a, _b, whole, _rect = streets
    for name in ("materials:index", "inforeports:index", "workplan:timeline",
                 "workplan:people", "rectification:self_check"):  # fmt: skip
        assert not may_open(a, name) and may_open(whole, name), name
    assert _client(a).get(reverse("materials:index")).status_code == 403
    assert _client(a).get(reverse("workplan:people") + "?unit=education").status_code == 403
    home = _client(a).get("/").content.decode()
    assert 'href="/workplan/"' not in home and 'href="/materials/"' not in home


def test_street_import_scope_is_its_street(streets):
    """A's imports: the unit's ledgers (surveys, heping-2021.imports.yaml) with rows only in
    A's subtree ``120101001``; the coordinator keeps the unit's whole area."""
    _unit, a, _b, whole, _rect = streets
    scope = import_scope(actor=a)
    assert scope.org_prefixes == ("120101001",) and "surveys" in (scope.ledgers or ())
    assert import_scope(actor=whole).division is None
