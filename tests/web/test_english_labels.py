"""English mode (cookie django_language=en): the evidence upload form and the rectification
page show their labels and buttons in English; in Chinese they read as before."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from foodsafe.evidence.forms import FILE_HELP
from foodsafe.evidence.sniffing import ACCEPTED_TEXT
from foodsafe.rectification.services import rectification_create
from tests.evidence.fixtures import assignment, private_media, programme  # noqa: F401
from tests.rectification.helpers import unit

ITEM = 8


def page(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def upload_url(assignment, market_user):  # noqa: F811
    return reverse("evidence:assignment", args=[assignment(ITEM, "market-regulation").pk])


@pytest.fixture
def rectification_url(office_admin):
    r = rectification_create(
        actor=office_admin,
        title="学校食堂未落实陪餐制",
        owner_unit=unit("market-regulation"),
        source="self_check",
        working_days=10,
    )
    return reverse("rectification:detail", args=[r.pk])


EVIDENCE_FORM = {
    # Chinese label → its English
    "对应材料要求": "Evidence requirement",
    "其他材料（不对应材料要求）": "Other material (no evidence requirement)",
    "材料名称": "Title",
    "所属期间": "Period",
    "如 2021、2021Q1；不填为方案年度。材料只计入包含该期间的评估。": "e.g. 2021, 2021Q1; blank means",
    "所属区划代码": "Division code",
    "可上传 PDF、图片（PNG/JPEG）": "Accepted: PDF, images (PNG/JPEG)",
}


def test_evidence_form_in_english(client, market_user, upload_url):
    html = page(client, market_user, upload_url, "en")
    for zh, en in EVIDENCE_FORM.items():
        assert en in html, en
        assert zh not in html, zh


def test_evidence_form_in_chinese(client, market_user, upload_url):
    html = page(client, market_user, upload_url, "zh-hans")
    for zh in EVIDENCE_FORM:
        assert zh in html, zh


def test_file_help_names_the_accepted_types():
    # The help spells the types out for makemessages; in Chinese they must stay the sniffer's.
    with translation.override("zh-hans"):
        assert str(FILE_HELP) == f"可上传 {ACCEPTED_TEXT}；按文件内容判断类型。"


RECTIFICATION_PAGE = {
    "整改措施": "Measures",
    ">开始整改<": ">Start rectification<",  # the office's button on an open rectification
    "材料名称": "Title",
    "可上传 PDF": "Accepted: PDF",
    "<td>登记</td>": "<td>Record</td>",  # the history's creation note
}


def test_rectification_page_in_english(client, office_admin, rectification_url):
    html = page(client, office_admin, rectification_url, "en")
    for zh, en in RECTIFICATION_PAGE.items():
        assert en in html, en
        assert zh not in html, zh


def test_rectification_page_in_chinese(client, office_admin, rectification_url):
    html = page(client, office_admin, rectification_url, "zh-hans")
    for zh in RECTIFICATION_PAGE:
        assert zh in html, zh
