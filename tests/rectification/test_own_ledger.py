"""A unit's own 排查台账 (issue 17 point 2; 实施方案 四（二）4): a member unit registers its own
findings (always 自查, always its own unit), cannot close them itself (销号 needs someone outside
the unit), picks indicator and division from lists, and downloads its 阶段性自查说明 with its
问题清单 and 整改措施 as Word."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from foodsafe.rectification import rules
from foodsafe.rectification.models import Rectification
from foodsafe.rectification.services import rectification_create
from tests.conftest import DISTRICT
from tests.rectification.helpers import frozen, rectification_in, unit

NEW = reverse("rectification:create")
SELF_CHECK = reverse("rectification:self_check")


def form(**kw):
    data = {
        "title": "后厨排水沟未加盖",
        "description": "",
        "owner_unit": unit("market-regulation").pk,
        "source": "self_check",
        "working_days": "10",
        "created_on": "",
        "item": "",
        "indicator_code": "",
        "org_unit": "",
    }
    data.update(kw)
    return data


@frozen(date(2021, 9, 30))
def test_member_unit_registers_its_own_finding(client, market_user, district):
    client.force_login(market_user)
    page = client.get(NEW).content.decode()
    # The indicator and the division come as lists (names, not codes to type).
    assert "第 5 项" in page and 'name="indicator_code"' in page and "<select" in page
    assert 'value="self_check"' in page and 'value="review"' not in page
    # A posted "review" source is not on its list: refused; with 自查 it goes through.
    assert client.post(NEW, form(source="review")).status_code == 400
    indicator = "complaint_on_time_rate"  # 投诉举报按时办结率, listed by name
    assert f'value="{indicator}"' in page
    response = client.post(NEW, form(indicator_code=indicator, org_unit=DISTRICT))
    assert response.status_code == 302
    r = Rectification.objects.get()
    assert (r.owner_unit.code, r.source, r.created_by) == (
        "market-regulation",
        "self_check",
        market_user,
    )
    assert r.indicator_code == indicator and r.org_unit_id == DISTRICT
    # 2021-09-30 + 10 working days (National Day 1–7 Oct off, Sat 9 Oct worked) = 2021-10-20
    assert r.deadline == date(2021, 10, 20)


@frozen(date(2021, 9, 30))
def test_member_unit_cannot_register_for_another_unit(client, market_user, education_user):
    client.force_login(market_user)
    # Another unit's id is not among the choices: the form refuses it.
    assert client.post(NEW, form(owner_unit=unit("education").pk)).status_code == 400
    with pytest.raises(PermissionDenied):
        rectification_create(
            title="x",
            owner_unit=unit("education"),
            source="self_check",
            working_days=5,
            actor=market_user,
        )
    assert not Rectification.objects.exists()


def test_an_indicator_not_in_the_programme_is_refused(client, office_admin):
    client.force_login(office_admin)
    with frozen(date(2021, 9, 30)):
        response = client.post(NEW, form(indicator_code="no_such_indicator"))
    assert response.status_code == 400 and response.context["form"].errors["indicator_code"]


def test_the_unit_cannot_close_its_own_finding(market_user, reviewer, office_admin):
    r = rectification_in("submitted", creator=market_user)
    assert rules.may_transition(market_user, r, "closed") is False
    assert rules.may_transition(reviewer, r, "closed") is True


@pytest.fixture
def statement_ledger(office_admin, market_user, reviewer):
    """Market-regulation problems of the 市级评审阶段 (2021-09-01 … 09-30) and one outside it."""
    in_phase = [
        # due 2021-09-15 (10 working days from 09-01), closed 09-10: on time
        rectification_in(
            "closed",
            creator=market_user,
            created_on=date(2021, 9, 1),
            closed_on=date(2021, 9, 10),
            verifier=reviewer,
            title="冷库温度记录缺失",
        ),
        # due 2021-09-15, closed 09-20: late
        rectification_in(
            "closed",
            creator=market_user,
            created_on=date(2021, 9, 1),
            closed_on=date(2021, 9, 20),
            verifier=reviewer,
            title="从业人员健康证过期",
        ),
        # due 2021-09-15, still in progress: overdue on 09-30
        rectification_in(
            "in_progress",
            creator=market_user,
            created_on=date(2021, 9, 1),
            title="餐具消毒间未分区",
        ),
        # due 2021-10-20 (created 09-30 + 10 working days): open, not overdue
        rectification_in(
            "open", creator=market_user, created_on=date(2021, 9, 30), title="后厨排水沟未加盖"
        ),
    ]
    in_phase[2].measures = "9月底前完成消毒间隔断改造"
    in_phase[2].save()
    rectification_in("open", creator=market_user, created_on=date(2021, 8, 2), title="八月的问题")
    rectification_in(
        "open",
        creator=office_admin,
        owner="education",
        created_on=date(2021, 9, 2),
        title="教育局的问题",
    )
    return in_phase


def _docx(response):
    return docx.Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


@frozen(date(2021, 10, 18))
def test_statement_of_a_phase(client, market_user, statement_ledger):
    client.force_login(market_user)
    # The unit named in the URL is ignored for a member unit: its own statement is made.
    response = client.get(SELF_CHECK, {"phase": "city_review", "unit": unit("education").pk})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "self-check-market-regulation-city_review.docx" in disposition
    assert "%E8%87%AA%E6%9F%A5%E8%AF%B4%E6%98%8E.docx" in disposition  # …自查说明.docx, UTF-8
    doc = _docx(response)
    text = "\n".join(p.text for p in doc.paragraphs)
    # As of the phase's last day (2021-09-30): 4 problems registered in the phase, all found
    # by the unit itself (自查); closed 2 (1 on time: 09-10 ≤ 09-15; 09-20 > 09-15 late);
    # 2 not closed, of which 1 overdue (due 09-15 < 09-30; the other is due 10-20).
    assert (
        "本阶段登记问题 4 个（其中本单位自查发现 4 个），已销号 2 个（按期 1 个），未销号 2 个，其中逾期 1 个。"
        in text
    )
    table = doc.tables[0]
    titles = [row.cells[2].text for row in table.rows[1:]]
    assert titles == [
        "冷库温度记录缺失",
        "从业人员健康证过期",
        "餐具消毒间未分区",
        "后厨排水沟未加盖",
    ]
    assert "八月的问题" not in text and "教育局的问题" not in titles
    assert "9月底前完成消毒间隔断改造" in text and "（尚未填写整改措施）" in text


@frozen(date(2021, 10, 18))
def test_office_picks_the_unit(client, office_admin, statement_ledger):
    client.force_login(office_admin)
    response = client.get(SELF_CHECK, {"phase": "city_review", "unit": unit("education").pk})
    titles = [row.cells[2].text for row in _docx(response).tables[0].rows[1:]]
    assert titles == ["教育局的问题"]
    assert (
        client.get(SELF_CHECK, {"phase": "no_phase", "unit": unit("education").pk}).status_code
        == 404
    )


@frozen(date(2021, 9, 30))
def test_indicator_must_be_the_items_and_division_the_districts(
    client, education_user, programme, district
):
    """New-user N8: 区教育局's 自查 stored item 29 with ``sampling_per_thousand`` — an
    indicator of item 13 (spec heping-2021: ``item: 13``) — and a finding placed in 天津市
    120000000000. The indicator must belong to the chosen item; the division must be in the
    programme's district 120101000000 (its subtree prefix ``120101``): 天津市 and 市辖区
    120100000000 are above it, so neither is offered nor accepted."""
    from foodsafe.programme.models import TaskItem

    client.force_login(education_user)
    item_29 = TaskItem.objects.get(programme=programme, number=29)
    item_13 = TaskItem.objects.get(programme=programme, number=13)
    mine = form(owner_unit=unit("education").pk)
    page = client.get(NEW).content.decode()
    assert 'value="120000000000"' not in page and 'value="120100000000"' not in page
    assert f'value="{DISTRICT}"' in page and 'value="120101001000"' in page
    # Another item's indicator: refused, nothing stored.
    wrong = client.post(
        NEW, {**mine, "item": item_29.pk, "indicator_code": "sampling_per_thousand"}
    )
    assert wrong.status_code == 400 and "属于第 13 项" in wrong.content.decode()
    # A division above the district (posted by hand): refused by the service too.
    with pytest.raises(ValidationError):
        rectification_create(
            title="t", owner_unit=unit("education"), source="self_check", working_days=10,
            actor=education_user, org_unit=district.parent.parent,
        )  # fmt: skip
    assert not Rectification.objects.exists()
    # The item's own indicator and a 街道 of the district go through.
    ok = client.post(
        NEW,
        {**mine, "item": item_13.pk, "indicator_code": "sampling_per_thousand",
         "org_unit": "120101001000"},
    )  # fmt: skip
    assert ok.status_code == 302
    r = Rectification.objects.get()
    assert (r.item.number, r.indicator_code, r.org_unit_id) == (
        13,
        "sampling_per_thousand",
        "120101001000",
    )


# -- backdating (new-user test: a unit entered 登记日期 2000-01-01 and moved 2000's figures) ---
#
# The programme has no closed period (nothing is stored as issued or locked), so the guard is:
# 登记日期 from 1 January of the programme's year (2021) minus FOODSAFE_RECORD_LOOKBACK_YEARS
# (3, the vetoes' look-back) = 2018-01-01, to today; dated in an earlier month than today's,
# the history says 补登往期 with the day entered.


def test_a_unit_cannot_backdate_before_the_lookback(client, market_user):
    client.force_login(market_user)
    with frozen(date(2021, 10, 15)):
        for day in ("2000-01-01", "2017-12-31"):
            response = client.post(NEW, form(created_on=day))
            assert response.status_code == 400
            assert (
                "登记日期不能早于 2018-01-01（方案年度前 3 年，与否决项的追溯期相同）。"
                in response.content.decode()
            )
        assert not Rectification.objects.exists()
        r = rectification_create(
            title="往年问题",
            owner_unit=unit("market-regulation"),
            source="self_check",
            working_days=10,
            actor=market_user,
            created_on=date(2018, 1, 1),
        )
    assert r.created_on == date(2018, 1, 1)


def test_the_lookback_is_configuration(market_user, settings):
    settings.FOODSAFE_RECORD_LOOKBACK_YEARS = 0  # 2021 − 0: from 2021-01-01
    with frozen(date(2021, 10, 15)), pytest.raises(Exception, match="不能早于 2021-01-01"):
        rectification_create(
            title="x",
            owner_unit=unit("market-regulation"),
            source="self_check",
            working_days=10,
            actor=market_user,
            created_on=date(2020, 12, 31),
        )


def test_a_record_for_a_past_month_is_marked_in_its_history(market_user):
    def make(day: date) -> Rectification:
        return rectification_create(
            title=f"问题 {day}",
            owner_unit=unit("market-regulation"),
            source="self_check",
            working_days=10,
            actor=market_user,
            created_on=day,
        )

    with frozen(date(2021, 10, 15)):
        past, this_month = make(date(2021, 9, 30)), make(date(2021, 10, 1))
    [record] = past.history.all()
    assert record.history_user == market_user
    assert record.history_change_reason == "补登往期：登记日期 2021-09-30，录入于 2021-10-15"
    [record] = this_month.history.all()
    assert record.history_change_reason is None  # this month's: an ordinary entry
