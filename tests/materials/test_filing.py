"""A unit files its 材料报送 for a module (issue 17 point 1): 自查说明 text and attachment,
notes on its catalogue's lines, 暂存 then 报送, each write with its audit row; a unit sees and
changes only its own; the office and reviewers read; a change after filing needs filing again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from foodsafe.materials.models import MaterialFiling
from foodsafe.materials.selectors import module_or_404
from foodsafe.materials.services import material_filing_save
from foodsafe.orgunits.models import ResponsibleUnit
from tests.evidence import files
from tests.scorecard.conftest import full_spec

from .helpers import approved

SPEC = full_spec()
URL = reverse("materials:filing", args=["foundation", "market-regulation"])


@pytest.fixture
def plan(assignment, market_user, reviewer):
    return approved(
        assignment(6, "market-regulation"), by=market_user, reviewer=reviewer, title="抽检计划"
    )


def save(user, *, unit="market-regulation", text="说明", notes=None, submit=False, upload=None):
    return material_filing_save(
        spec=SPEC,
        group=module_or_404(SPEC, "foundation"),
        unit=ResponsibleUnit.objects.get(code=unit),
        text=text,
        notes=notes or {},
        uploaded_file=upload,
        submit=submit,
        actor=user,
    )


def test_unit_saves_then_files_with_audit_rows(client, market_user, plan):
    client.force_login(market_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "抽检计划" in page.content.decode()  # its approved file is on the catalogue
    response = client.post(
        URL,
        {"self_check_text": "已完成。", f"note-{plan.pk}": "原件在档案室", "action": "save",
         "self_check_file": files.upload(files.pdf(), "说明.pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    filing = MaterialFiling.objects.get()
    assert (filing.status, filing.catalogue_notes) == ("draft", {str(plan.pk): "原件在档案室"})
    assert filing.self_check_file_name == "说明.pdf"
    client.post(
        URL, {"self_check_text": "已完成。", f"note-{plan.pk}": "原件在档案室", "action": "submit"}
    )
    filing.refresh_from_db()
    assert filing.status == "submitted" and filing.submitted_by == market_user
    # Two writes, two audit rows, each with the acting user.
    history = list(filing.history.order_by("history_date"))
    assert [(h.history_type, h.status, h.history_user) for h in history] == [
        ("+", "draft", market_user),
        ("~", "submitted", market_user),
    ]
    # The attachment downloads with its name for the unit.
    download = client.get(
        reverse("materials:filing_file", args=["foundation", "market-regulation"])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.pdf()


def test_change_after_filing_goes_back_to_draft(market_user, plan):
    save(market_user, text="第一版", submit=True)
    assert MaterialFiling.objects.get().status == "submitted"
    save(market_user, text="第一版")  # nothing changed: still filed
    assert MaterialFiling.objects.get().status == "submitted"
    save(market_user, text="第二版")
    assert MaterialFiling.objects.get().status == "draft"


def test_refusals(market_user, education_user, office_admin, reviewer, plan):
    with pytest.raises(PermissionDenied):
        save(education_user)  # another unit's filing
    with pytest.raises(PermissionDenied):
        save(office_admin)  # the office reads, the unit files
    with pytest.raises(ValidationError, match="报送前请填写自查说明"):
        save(market_user, text="  ", submit=True)
    with pytest.raises(ValidationError, match="清单中没有这份材料"):
        save(market_user, notes={"999999": "x"})
    with pytest.raises(ValidationError, match="不是可接受的类型"):
        save(market_user, upload=files.upload(b"MZ\x90\x00not a pdf", "x.pdf"))
    assert not MaterialFiling.objects.exists()


def test_who_sees_what(
    client, market_user, education_user, office_admin, reviewer, inspector, plan
):
    save(market_user, text="本单位说明", submit=True)
    client.force_login(education_user)
    assert client.get(URL).status_code == 404  # another unit's filing does not leak
    index = client.get(reverse("materials:index")).content.decode()
    assert (
        "filing-foundation-education" in index
        and "filing-foundation-market-regulation" not in index
    )
    for reader in (office_admin, reviewer):
        client.force_login(reader)
        page = client.get(URL)
        assert page.status_code == 200 and "本单位说明" in page.content.decode()
        assert 'name="action"' not in page.content.decode()  # no form to change it
        assert client.post(URL, {"self_check_text": "x", "action": "submit"}).status_code == 403
        index = client.get(reverse("materials:index")).content.decode()
        assert (
            "filing-foundation-market-regulation" in index
            and "filing-foundation-education" in index
        )
    client.force_login(inspector)
    assert client.get(reverse("materials:index")).status_code == 403
