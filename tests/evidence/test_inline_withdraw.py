"""Reviewers see a PDF or image inline (issue 17): ``Content-Disposition: inline`` only for the
types found from the file's bytes (PDF, PNG, JPEG), with a locked-down CSP and ``nosniff``;
anything else is download-only. An uploader withdraws (撤回) a file nobody reviewed yet."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from foodsafe.evidence.models import Evidence, private_storage
from foodsafe.evidence.services import evidence_review, evidence_upload, evidence_withdraw
from tests.evidence import files
from tests.scorecard.conftest import full_spec

ITEM = 8
REQUIREMENT = full_spec().item(ITEM).evidence[0]


@pytest.fixture
def market(assignment, market_user):
    return assignment(ITEM, "market-regulation")


def upload(market, user, content: bytes, name: str) -> Evidence:
    return evidence_upload(
        assignment=market,
        requirement=REQUIREMENT,
        title="现场照片",
        uploaded_file=files.upload(content, name),
        actor=user,
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type", "sandboxed"),
    [
        (files.pdf(), "方案.pdf", "application/pdf", False),
        (files.png(), "照片.png", "image/png", True),
        (files.jpeg(), "照片.jpg", "image/jpeg", True),
    ],
)
def test_inline_types(
    client, market, market_user, reviewer, content, name, content_type, sandboxed
):
    evidence = upload(market, market_user, content, name)
    client.force_login(reviewer)
    response = client.get(reverse("evidence:view", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'") and "frame-ancestors 'self'" in csp
    assert ("sandbox" in csp) is sandboxed  # Chromium's PDF viewer does not run sandboxed
    assert "script-src" not in csp  # nothing may run
    assert b"".join(response.streaming_content) == content
    page = client.get(reverse("evidence:detail", args=[evidence.pk])).content.decode()
    assert 'id="view-inline"' in page


def test_word_file_is_download_only(client, market, market_user, reviewer):
    # A .docx named .pdf is stored as what its bytes are (Word): never shown inline.
    evidence = upload(market, market_user, files.docx(), "伪装.pdf")
    assert evidence.content_type.endswith("wordprocessingml.document")
    client.force_login(reviewer)
    assert client.get(reverse("evidence:view", args=[evidence.pk])).status_code == 404
    page = client.get(reverse("evidence:detail", args=[evidence.pk])).content.decode()
    assert 'id="view-inline"' not in page


def test_another_unit_cannot_view(client, market, market_user, education_user):
    evidence = upload(market, market_user, files.png(), "照片.png")
    client.force_login(education_user)
    assert client.get(reverse("evidence:view", args=[evidence.pk])).status_code == 404


def test_uploader_withdraws_before_review(
    client, market, market_user, django_capture_on_commit_callbacks
):
    evidence = upload(market, market_user, files.pdf(), "传错了.pdf")
    stored = evidence.file.name
    assert private_storage.exists(stored)
    client.force_login(market_user)
    page = client.get(reverse("evidence:detail", args=[evidence.pk])).content.decode()
    assert 'id="withdraw-form"' in page
    # Without the button's confirm=1 nothing is withdrawn.
    assert client.post(reverse("evidence:withdraw", args=[evidence.pk])).status_code == 400
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        response = client.post(reverse("evidence:withdraw", args=[evidence.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:assignment", args=[market.pk])
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not private_storage.exists(stored)
    # The audit keeps the upload and the withdrawal, with who did it.
    records = Evidence.history.filter(id=evidence.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", market_user),
        ("-", market_user),
    ]


def test_no_withdrawal_after_review_or_by_others(market, market_user, reviewer, office_admin):
    evidence = upload(market, market_user, files.pdf(), "方案.pdf")
    with pytest.raises(PermissionDenied):
        evidence_withdraw(evidence=evidence, actor=office_admin)  # not the uploader
    evidence_review(evidence=evidence, approve=True, reason="", actor=reviewer)
    with pytest.raises(ValidationError, match="已审核"):
        evidence_withdraw(evidence=evidence, actor=market_user)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
