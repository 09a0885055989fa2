"""Issue 9 point 4: complainants' names and phone numbers (个人信息) masked on every page and in
the import preview; only a complaint handler (投诉举报处理人员) reveals one record, with a
reason, and each reveal is recorded (who, when, which record, why)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from foodsafe.complaints.models import Complaint, PersonalDataReveal
from foodsafe.imports.services import ledger_preview
from foodsafe.lib.masking import mask_text
from tests.conftest import SUB_A
from tests.imports.helpers import write_csv

NAME, PHONE = "张三丰", "13812345678"
# mask_name keeps the first character; mask_phone the first 3 and last 4 digits.
MASKED_NAME, MASKED_PHONE = "张**", "138****5678"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),  # digits: a phone number
        ("022-23456789", "022*****6789"),  # 10 of 12 characters digits: still a phone
        ("张三丰", "张**"),  # a name
        ("Zhang San", "Z********"),  # any other text: first character kept
        ("", ""),
        (None, ""),
    ],
)
def test_mask_text_chooses_phone_or_name(value, masked):
    assert mask_text(value) == masked


@pytest.fixture
def complaint(district):
    return Complaint.objects.create(
        complaint_number="TS-1",
        kind="complaint",
        org_unit_id=SUB_A,
        complainant_name=NAME,
        complainant_phone=PHONE,
        received_on=date(2021, 3, 1),
        acceptance_due_on=date(2021, 3, 10),
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["office_admin", "inspector", "complaint_handler"])
def test_the_list_shows_personal_data_masked(persona, complaint, request):
    html = logged_in(request.getfixturevalue(persona)).get(reverse("complaints:list"))
    text = html.content.decode()
    assert html.status_code == 200
    assert MASKED_NAME in text and MASKED_PHONE in text
    assert NAME not in text and PHONE not in text


def test_only_a_complaint_handler_gets_the_reveal_form(complaint, office_admin, complaint_handler):
    reveal = reverse("complaints:reveal", args=[complaint.pk])
    assert reveal not in logged_in(office_admin).get(reverse("complaints:list")).content.decode()
    assert reveal in logged_in(complaint_handler).get(reverse("complaints:list")).content.decode()


def test_a_reveal_shows_the_record_and_is_recorded(complaint, complaint_handler, office_admin):
    client = Client(enforce_csrf_checks=False)
    client.force_login(complaint_handler)
    response = client.post(
        reverse("complaints:reveal", args=[complaint.pk]), {"reason": "回访投诉人"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert NAME in text and PHONE in text
    assert "no-store" in response["Cache-Control"]
    record = PersonalDataReveal.objects.get()
    assert (record.complaint, record.revealed_by, record.reason) == (
        complaint,
        complaint_handler,
        "回访投诉人",
    )
    # The office reads the log: who, which record, why; the log itself shows no personal data.
    log = logged_in(office_admin).get(reverse("complaints:reveals")).content.decode()
    assert "complaint_handler" in log and "TS-1" in log and "回访投诉人" in log
    assert NAME not in log and PHONE not in log


def test_a_reveal_needs_a_reason(complaint, complaint_handler):
    response = logged_in(complaint_handler).post(
        reverse("complaints:reveal", args=[complaint.pk]), {"reason": "  "}
    )
    assert response.status_code == 302 and response["Location"] == reverse("complaints:list")
    assert PersonalDataReveal.objects.count() == 0


@pytest.mark.parametrize("persona", ["office_admin", "inspector", "market_user", "reviewer"])
def test_without_the_permission_a_reveal_is_refused(persona, complaint, request):
    response = logged_in(request.getfixturevalue(persona)).post(
        reverse("complaints:reveal", args=[complaint.pk]), {"reason": "看看"}
    )
    assert response.status_code == 403
    assert NAME not in response.content.decode()
    assert PersonalDataReveal.objects.count() == 0


def test_a_reveal_needs_csrf(complaint, complaint_handler):
    client = Client(enforce_csrf_checks=True)
    client.force_login(complaint_handler)
    response = client.post(
        reverse("complaints:reveal", args=[complaint.pk]), {"reason": "回访投诉人"}
    )
    assert response.status_code == 403 and PersonalDataReveal.objects.count() == 0


def test_a_get_to_the_reveal_url_goes_to_the_list(complaint, complaint_handler):
    response = logged_in(complaint_handler).get(reverse("complaints:reveal", args=[complaint.pk]))
    assert response.status_code == 302 and PersonalDataReveal.objects.count() == 0


def test_create_user_complaint_handler(db, capsys):
    from django.core.management import call_command

    call_command("create-user", "handler", "--role", "inspector", "--complaint-handler")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="handler")
    assert user.has_perm("complaints.view_personal_data")
    assert list(user.groups.values_list("name", flat=True)) == ["投诉举报处理人员"]
    assert "投诉举报处理人员" in capsys.readouterr().out


# -- the import preview ----------------------------------------------------------------------

HEADER = ["投诉举报编号", "类型", "区划代码", "登记日期", "投诉人", "联系电话"]


def test_the_import_preview_masks_personal_columns(district, tmp_path):
    path = write_csv(
        tmp_path / "complaints.csv",
        [HEADER, ["TS-9", "投诉", SUB_A, "2021-03-01", NAME, PHONE]],
    )
    preview = ledger_preview(ledger="complaints", path=path)
    assert preview.errors == []
    headers = [c[0] for c in preview.columns]
    number, cells = preview.rows[0]
    row = dict(zip(headers, cells, strict=True))
    assert row["投诉人"] == MASKED_NAME and row["联系电话"] == MASKED_PHONE
    assert row["投诉举报编号"] == "TS-9"  # other columns as written


def test_the_import_preview_masks_personal_values_in_errors(district, tmp_path):
    # A phone of 21 characters is longer than the field (20): the error names the cell, masked.
    long_phone = "138123456789012345678"
    path = write_csv(
        tmp_path / "complaints.csv",
        [HEADER, ["TS-9", "投诉", SUB_A, "2021-03-01", NAME, long_phone]],
    )
    preview = ledger_preview(ledger="complaints", path=path)
    phone_errors = [e for e in preview.errors if e.column == "联系电话"]
    assert phone_errors, preview.errors
    assert all(e.value == mask_text(long_phone) and long_phone not in e.value for e in phone_errors)


def test_the_preview_page_shows_no_personal_data(district, office_admin, tmp_path):
    path = write_csv(
        tmp_path / "complaints.csv",
        [HEADER, ["TS-9", "投诉", SUB_A, "2021-03-01", NAME, PHONE]],
    )
    client = logged_in(office_admin)
    with path.open("rb") as fh:
        response = client.post(
            reverse("imports:upload"), {"ledger": "complaints", "file": fh}, follow=True
        )
    text = response.content.decode()
    assert response.status_code == 200 and "TS-9" in text
    assert MASKED_NAME in text and NAME not in text and PHONE not in text


def test_create_user_grants_and_withdraws_complaint_handler_on_an_existing_login(db, capsys):
    """New-user test: an existing login (here the office's) could be made a complaint handler
    only in the Django admin. ``create-user NAME --complaint-handler`` without ``--role``
    now does it, keeping the password; ``--no-complaint-handler`` takes it back."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("create-user", "office2", "--role", "office_admin")
    password = capsys.readouterr().out.split("密码 ")[1].split()[0]
    user = get_user_model().objects.get(username="office2")
    assert not user.has_perm("complaints.view_personal_data")

    call_command("create-user", "office2", "--complaint-handler")
    assert "已加入“投诉举报处理人员”组" in capsys.readouterr().out
    user = get_user_model().objects.get(username="office2")  # a fresh permission cache
    assert user.has_perm("complaints.view_personal_data")
    assert sorted(user.groups.values_list("name", flat=True)) == ["创城办", "投诉举报处理人员"]
    assert user.check_password(password)  # unchanged

    call_command("create-user", "office2", "--no-complaint-handler")
    user = get_user_model().objects.get(username="office2")
    assert not user.has_perm("complaints.view_personal_data")
    assert list(user.groups.values_list("name", flat=True)) == ["创城办"]

    with pytest.raises(CommandError, match="不存在"):
        call_command("create-user", "nobody", "--complaint-handler")
    with pytest.raises(CommandError, match="新账号须用 --role"):
        call_command("create-user", "office2")
