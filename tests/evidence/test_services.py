"""evidence_upload and evidence_review: content and size checks, private random names, who
may upload and review, and the audit row written with each change."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from foodsafe.evidence.models import Evidence
from foodsafe.evidence.services import evidence_review, evidence_upload
from tests.evidence import files
from tests.evidence.fixtures import make_evidence
from tests.scorecard.conftest import full_spec

ITEM = 8  # 集中整治: 区市场监管局, 区教育局, 公安和平分局; two evidence requirements
REQUIREMENT = full_spec().item(ITEM).evidence[0]


@pytest.fixture
def own(assignment, market_user):
    return assignment(ITEM, "market-regulation")


def upload(assignment, actor, content=None, name="检查记录.pdf", **kw):
    return evidence_upload(
        assignment=assignment,
        requirement=kw.pop("requirement", REQUIREMENT),
        title=kw.pop("title", "专项整治检查记录"),
        uploaded_file=files.upload(files.pdf() if content is None else content, name, **kw),
        actor=actor,
    )


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_stores_privately_under_a_random_name(own, market_user, private_media):
    content = files.pdf()
    evidence = upload(own, market_user, content, name="../../etc/检查记录.pdf")
    assert evidence.status == "submitted"
    assert evidence.original_name == "检查记录.pdf"  # no directory part kept
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.requirement == REQUIREMENT and evidence.uploaded_by == market_user
    [path] = stored_files(private_media)
    assert path.read_bytes() == content
    assert "检查记录" not in evidence.file.name and path.name.endswith(".pdf")
    assert len(path.stem) == 32  # secrets.token_hex(16)
    [record] = evidence.history.all()
    assert record.history_type == "+" and record.history_user == market_user


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (files.png, "现场照片.png", "image/png"),
        (files.jpeg, "现场照片.jpg", "image/jpeg"),
        (
            files.docx,
            "会议纪要.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            files.xlsx,
            "台账.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (files.doc, "会议纪要.doc", "application/msword"),
        (files.xls, "台账.xls", "application/vnd.ms-excel"),
    ],
)
def test_every_accepted_kind(own, market_user, make, name, kind):
    evidence = upload(own, market_user, make(), name=name, content_type="text/plain")
    assert evidence.content_type == kind  # what the bytes say, not what the browser said


def test_exe_renamed_pdf_is_refused_and_nothing_is_kept(own, market_user, private_media):
    with pytest.raises(ValidationError) as caught:
        upload(own, market_user, files.exe(), name="整改报告.pdf", content_type="application/pdf")
    assert caught.value.code == "unsupported"
    assert "文件内容不是可接受的类型" in caught.value.messages[0]
    assert not Evidence.objects.exists() and stored_files(private_media) == []


def test_a_pdf_named_exe_is_accepted_as_a_pdf(own, market_user):
    evidence = upload(own, market_user, files.pdf(), name="报告.exe")
    assert evidence.content_type == "application/pdf"


def test_size_limit(own, market_user, settings, private_media):
    content = files.pdf()
    settings.FOODSAFE_MAX_EVIDENCE_BYTES = len(content)
    assert upload(own, market_user, content).size == len(content)  # exactly the limit: fine
    settings.FOODSAFE_MAX_EVIDENCE_BYTES = len(content) - 1
    with pytest.raises(ValidationError) as caught:
        upload(own, market_user, content)
    assert caught.value.code == "too_large"
    assert "超过佐证材料的上限" in caught.value.messages[0]
    assert Evidence.objects.count() == 1 and len(stored_files(private_media)) == 1


def test_large_limit_message_in_megabytes(own, market_user, settings):
    settings.FOODSAFE_MAX_EVIDENCE_BYTES = 30 * 1024 * 1024
    big = files.pdf() + b"0" * (31 * 1024 * 1024)
    with pytest.raises(ValidationError, match="文件大小为 31 MB，超过佐证材料的上限 30 MB"):
        upload(own, market_user, big)


def test_empty_file_is_refused(own, market_user):
    with pytest.raises(ValidationError, match="文件是空的"):
        upload(own, market_user, b"")


def test_requirement_must_be_one_of_the_items(own, market_user):
    with pytest.raises(ValidationError, match="没有这项材料要求"):
        upload(own, market_user, requirement="随便写的要求")
    assert upload(own, market_user, requirement="").requirement == ""  # other material


def test_title_required(own, market_user):
    with pytest.raises(ValidationError, match="请填写材料名称"):
        upload(own, market_user, title="  ")


def test_who_may_upload(assignment, market_user, education_user, reviewer, inspector, office_admin):
    market = assignment(ITEM, "market-regulation")
    for user in (education_user, reviewer, inspector):
        with pytest.raises(PermissionDenied):
            upload(market, user)
    assert upload(market, office_admin).uploaded_by == office_admin
    assert (
        upload(assignment(ITEM, "education"), education_user).assignment.responsible_unit.code
        == "education"
    )


# -- review --------------------------------------------------------------------------------------


def test_reviewer_approves(own, market_user, reviewer):
    evidence = upload(own, market_user)
    reviewed = evidence_review(evidence=evidence, approve=True, reason="", actor=reviewer)
    assert reviewed.status == "approved" and reviewed.reviewed_by == reviewer
    assert reviewed.reviewed_at is not None
    latest = reviewed.history.first()
    assert latest.history_user == reviewer and latest.status == "approved"


def test_reject_needs_a_reason(own, market_user, reviewer):
    evidence = upload(own, market_user)
    with pytest.raises(ValidationError, match="须填写理由"):
        evidence_review(evidence=evidence, approve=False, reason=" ", actor=reviewer)
    evidence.refresh_from_db()
    assert evidence.status == "submitted"
    rejected = evidence_review(evidence=evidence, approve=False, reason="缺少签字", actor=reviewer)
    assert rejected.status == "rejected" and rejected.review_reason == "缺少签字"


def test_office_reviews_too(own, market_user, office_admin):
    evidence = upload(own, market_user)
    assert (
        evidence_review(evidence=evidence, approve=True, reason="", actor=office_admin).status
        == "approved"
    )


@pytest.mark.parametrize("persona", ["market_user", "education_user", "inspector", "outsider"])
def test_others_may_not_review(own, market_user, persona, request):
    evidence = upload(own, market_user)
    with pytest.raises(PermissionDenied):
        evidence_review(
            evidence=evidence, approve=True, reason="", actor=request.getfixturevalue(persona)
        )


def test_nobody_reviews_their_own_upload(own, reviewer, office_admin):
    by_reviewer = make_evidence(assignment=own, uploaded_by=reviewer)
    with pytest.raises(PermissionDenied, match="不能审核自己上传的材料"):
        evidence_review(evidence=by_reviewer, approve=True, reason="", actor=reviewer)
    by_office = upload(own, office_admin)
    with pytest.raises(PermissionDenied):
        evidence_review(evidence=by_office, approve=True, reason="", actor=office_admin)


def test_reviewed_once(own, market_user, reviewer, office_admin):
    evidence = upload(own, market_user)
    evidence_review(evidence=evidence, approve=True, reason="", actor=reviewer)
    with pytest.raises(ValidationError, match="已审核"):
        evidence_review(evidence=evidence, approve=False, reason="改主意", actor=office_admin)
