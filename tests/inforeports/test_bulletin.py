"""工作简报 (issue 17 point 7): the office picks reports into the year's next issue (期号) and
downloads it as Word in the official-document layout; who may do what."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from foodsafe.inforeports.models import Bulletin
from foodsafe.inforeports.services import (
    bulletin_compile,
    info_report_submit,
    report_schedule_create,
)

from .test_schedule import at


@pytest.fixture
def reports(office_admin, market_user, education_user):
    with at(date(2021, 7, 1)):
        schedule = report_schedule_create(
            name="月报", frequency="monthly", due_workday=5, starts_on=date(2021, 7, 1),
            ends_on=None, actor=office_admin,
        )  # fmt: skip
    out = []
    for user, title in (
        (market_user, "市场监管局开展夜市专项检查"),
        (education_user, "学校食堂陪餐制全覆盖"),
    ):
        with at(date(2021, 10, 8)):
            out.append(info_report_submit(
                schedule=schedule, period_start=date(2021, 9, 1), title=title,
                body=f"{title}。\n第二段。", files=[], actor=user,
            ))  # fmt: skip
    return out


def test_compile_numbers_and_word(client, office_admin, reviewer, market_user, reports):
    first = bulletin_compile(
        issued_on=date(2021, 10, 15), report_ids=[reports[1].pk, reports[0].pk], actor=office_admin
    )
    second = bulletin_compile(
        issued_on=date(2021, 11, 1), report_ids=[reports[0].pk], actor=office_admin
    )
    assert (first.number, second.number) == (1, 2)  # 期号 counts per year
    assert [h.history_user for h in first.history.all()] == [office_admin]
    with pytest.raises(ValidationError, match="已编发"):
        bulletin_compile(
            issued_on=date(2021, 12, 1), report_ids=[reports[0].pk], number=1, actor=office_admin
        )
    with pytest.raises(ValidationError, match="至少选择"):
        bulletin_compile(issued_on=date(2021, 12, 1), report_ids=[], actor=office_admin)
    with pytest.raises(PermissionDenied):
        bulletin_compile(issued_on=date(2021, 12, 1), report_ids=[reports[0].pk], actor=market_user)
    for user in (office_admin, reviewer, market_user):
        client.force_login(user)
        response = client.get(reverse("inforeports:bulletin_docx", args=[first.pk]))
        assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "创建国家食品安全示范城市工作简报" and texts[1] == "2021年第1期"
    assert texts[2] == "区创城办\t2021年10月15日"
    # The chosen order: 区教育局's report first.
    headings = [t for t in texts if t.startswith(("一、", "二、"))]
    assert headings == ["一、学校食堂陪餐制全覆盖", "二、市场监管局开展夜市专项检查"]
    assert "（区教育局）" in texts and "第二段。" in texts
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_compile_from_the_page(client, office_admin, reports):
    client.force_login(office_admin)
    response = client.post(
        reverse("inforeports:bulletin_create"),
        {"issued_on": "2021-10-15", "report": [str(reports[0].pk)]},
    )
    assert response.status_code == 302
    assert Bulletin.objects.get().items.get().report == reports[0]
