"""Evidence pages and file serving: who sees what (another unit's evidence is a 404), upload
through the browser, review form, the download's headers."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from foodsafe.evidence.models import Evidence
from foodsafe.evidence.services import evidence_upload
from tests.evidence import files
from tests.evidence.fixtures import make_evidence
from tests.scorecard.conftest import full_spec

ITEM = 8
REQUIREMENT = full_spec().item(ITEM).evidence[0]


@pytest.fixture
def market(assignment, market_user):
    return assignment(ITEM, "market-regulation")


@pytest.fixture
def education(assignment, education_user):
    return assignment(ITEM, "education")


@pytest.fixture
def stored(market, market_user):
    """A real PDF uploaded by 区市场监管局, with a Chinese name."""
    return evidence_upload(
        assignment=market,
        requirement=REQUIREMENT,
        title="专项整治方案",
        uploaded_file=files.upload(files.pdf(), "专项整治 方案.pdf"),
        actor=market_user,
    )


def as_user(client, user):
    client.force_login(user)
    return client


# -- who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office_admin", 200),
        ("reviewer", 200),
        ("market_user", 200),
        ("education_user", 404),
        ("inspector", 404),
        ("outsider", 404),
    ],
)
def test_assignment_page(client, market, persona, status, request):
    user = request.getfixturevalue(persona)
    response = as_user(client, user).get(reverse("evidence:assignment", args=[market.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office_admin", 200),
        ("reviewer", 200),
        ("market_user", 200),
        ("education_user", 404),
        ("inspector", 404),
        ("outsider", 404),
    ],
)
def test_detail_and_download(client, stored, persona, status, request):
    client = as_user(client, request.getfixturevalue(persona))
    assert client.get(reverse("evidence:detail", args=[stored.pk])).status_code == status
    assert client.get(reverse("evidence:download", args=[stored.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office_admin", 200),
        ("reviewer", 200),
        ("market_user", 200),
        ("education_user", 200),
        ("inspector", 403),
        ("outsider", 403),
    ],
)
def test_index(client, market, persona, status, request):
    response = as_user(client, request.getfixturevalue(persona)).get(reverse("evidence:index"))
    assert response.status_code == status


def test_anonymous_goes_to_login(client, stored):
    for url in (
        reverse("evidence:index"),
        reverse("evidence:assignment", args=[stored.assignment_id]),
        reverse("evidence:detail", args=[stored.pk]),
        reverse("evidence:download", args=[stored.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(reverse("evidence:review", args=[stored.pk]), {"decision": "approve"})
    assert response.status_code == 302


def test_member_index_lists_own_assignments_only(client, market, education, market_user):
    html = as_user(client, market_user).get(reverse("evidence:index")).content.decode()
    assert reverse("evidence:assignment", args=[market.pk]) in html
    assert reverse("evidence:assignment", args=[education.pk]) not in html


def test_review_queue(client, stored, reviewer):
    html = as_user(client, reviewer).get(reverse("evidence:index")).content.decode()
    assert "待审核材料" in html and reverse("evidence:detail", args=[stored.pk]) in html


def test_rectification_evidence_of_another_unit_is_404(client, education_user, market_user):
    from tests.rectification.helpers import rectification_in

    r = rectification_in("in_progress", creator=market_user)
    evidence = make_evidence(rectification=r, uploaded_by=market_user)
    client = as_user(client, education_user)
    assert client.get(reverse("evidence:detail", args=[evidence.pk])).status_code == 404


# -- download ------------------------------------------------------------------------------------


def test_download_headers(client, stored, reviewer):
    response = as_user(client, reviewer).get(reverse("evidence:download", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('专项整治 方案.pdf')}" in disposition


def test_download_name_gets_the_real_extension(client, market, market_user):
    evidence = evidence_upload(
        assignment=market,
        requirement="",
        title="会议纪要",
        uploaded_file=files.upload(files.docx(), "会议纪要.pdf", content_type="application/pdf"),
        actor=market_user,
    )
    response = as_user(client, market_user).get(reverse("evidence:download", args=[evidence.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert quote("会议纪要.pdf.docx") in response["Content-Disposition"]


def test_missing_file_is_404(client, market, market_user):
    evidence = make_evidence(assignment=market, uploaded_by=market_user)
    response = as_user(client, market_user).get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 404


# -- upload through the page ---------------------------------------------------------------------


def post_upload(client, assignment, content, name="检查记录.pdf", **extra):
    data = {"requirement": REQUIREMENT, "title": "检查记录", "file": files.upload(content, name)}
    return client.post(reverse("evidence:assignment", args=[assignment.pk]), data, **extra)


def test_upload_form(client, market, market_user):
    client = as_user(client, market_user)
    html = client.get(reverse("evidence:assignment", args=[market.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in html and REQUIREMENT in html
    response = post_upload(client, market, files.png(), name="现场.png")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png" and evidence.uploaded_by == market_user
    html = client.get(response["Location"]).content.decode()
    assert "已上传“检查记录”，等待审核。" in html


def test_upload_refuses_an_exe(client, market, market_user):
    response = post_upload(as_user(client, market_user), market, files.exe(), name="检查记录.pdf")
    assert response.status_code == 400
    assert "文件内容不是可接受的类型" in response.content.decode()
    assert not Evidence.objects.exists()


def test_upload_body_too_large_is_refused_before_reading(client, market, market_user, settings):
    settings.FOODSAFE_MAX_EVIDENCE_BYTES = 1000
    big = files.pdf() + b"0" * (100 * 1024)
    response = post_upload(as_user(client, market_user), market, big)
    assert response.status_code == 413
    assert "超过佐证材料的上限 1000 字节" in response.content.decode()
    assert not Evidence.objects.exists()


def test_upload_just_over_the_limit_gets_the_form_error(client, market, market_user, settings):
    settings.FOODSAFE_MAX_EVIDENCE_BYTES = 1000
    response = post_upload(as_user(client, market_user), market, files.pdf() + b"0" * 1200)
    assert response.status_code == 400
    assert "超过佐证材料的上限 1000 字节" in response.content.decode()


@pytest.mark.parametrize("persona", ["reviewer", "education_user"])
def test_who_may_not_upload_through_the_page(client, market, persona, request):
    response = post_upload(as_user(client, request.getfixturevalue(persona)), market, files.pdf())
    assert response.status_code in (403, 404)
    assert not Evidence.objects.exists()


def test_reviewer_sees_no_upload_form(client, market, reviewer):
    html = (
        as_user(client, reviewer)
        .get(reverse("evidence:assignment", args=[market.pk]))
        .content.decode()
    )
    assert 'enctype="multipart/form-data"' not in html


# -- review through the page ---------------------------------------------------------------------


def test_reject_then_approve_through_the_page(client, stored, reviewer, market_user):
    client = as_user(client, reviewer)
    url = reverse("evidence:detail", args=[stored.pk])
    assert 'name="decision"' in client.get(url).content.decode()
    review = reverse("evidence:review", args=[stored.pk])
    response = client.post(review, {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and "退回材料须填写理由" in response.content.decode()
    response = client.post(review, {"decision": "reject", "reason": "缺少盖章"})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.status == "rejected" and stored.review_reason == "缺少盖章"
    html = client.get(url).content.decode()
    assert "退回" in html and "缺少盖章" in html
    assert "待审核 → 退回" in html  # the audit history: old → new
    assert 'name="decision"' not in html  # reviewed: no second review


def test_member_unit_cannot_review(client, stored, market_user):
    client = as_user(client, market_user)
    assert (
        'name="decision"'
        not in client.get(reverse("evidence:detail", args=[stored.pk])).content.decode()
    )
    response = client.post(reverse("evidence:review", args=[stored.pk]), {"decision": "approve"})
    assert response.status_code == 403
    stored.refresh_from_db()
    assert stored.status == "submitted"
