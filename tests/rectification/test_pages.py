"""Rectification pages: list with filters (a member unit sees its own only), detail (another
unit's is a 404), buttons and transitions, evidence upload, measures, create form, the
scorecard's one-click button, the export's permissions."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from foodsafe.evidence.models import Evidence
from foodsafe.rectification.models import Rectification
from tests.conftest import DISTRICT
from tests.evidence import files
from tests.evidence.fixtures import make_evidence
from tests.rectification.helpers import rectification_in, unit


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def ledger(office_admin, reviewer, market_user, education_user):
    """Four rectifications: market open (overdue), market closed, education in progress
    (overdue), education open due later."""
    return {
        "market_open": rectification_in("open", creator=office_admin, title="市场问题一"),
        "market_closed": rectification_in(
            "closed", creator=office_admin, verifier=reviewer, title="市场问题二"
        ),
        "education_doing": rectification_in(
            "in_progress", creator=office_admin, owner="education", title="教育问题一"
        ),
        "education_later": rectification_in(
            "open",
            creator=office_admin,
            owner="education",
            created_on=date(2021, 10, 15),
            title="教育问题二",
        ),
    }


def listed(response) -> set[str]:
    return {r.title for r, _ in response.context["rows"]}


# -- list ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office_admin", {"市场问题一", "市场问题二", "教育问题一", "教育问题二"}),
        ("reviewer", {"市场问题一", "市场问题二", "教育问题一", "教育问题二"}),
        ("market_user", {"市场问题一", "市场问题二"}),
        ("education_user", {"教育问题一", "教育问题二"}),
    ],
)
def test_list_scoped(client, ledger, persona, expected, request):
    response = as_user(client, request.getfixturevalue(persona)).get(reverse("rectification:list"))
    assert response.status_code == 200 and listed(response) == expected


@pytest.mark.parametrize("persona", ["inspector", "outsider"])
def test_list_and_export_refused(client, ledger, persona, request):
    client = as_user(client, request.getfixturevalue(persona))
    assert client.get(reverse("rectification:list")).status_code == 403
    assert client.get(reverse("rectification:export")).status_code == 403


def test_anonymous_goes_to_login(client, ledger):
    r = ledger["market_open"]
    for url in (
        reverse("rectification:list"),
        reverse("rectification:export"),
        reverse("rectification:create"),
        reverse("rectification:detail", args=[r.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_list_filters(client, ledger, office_admin):
    client = as_user(client, office_admin)
    url = reverse("rectification:list")
    # Today (frozen) is 2021-10-18: both created 2021-09-30 + 10 working days = 2021-10-20.
    assert listed(client.get(url, {"state": "open"})) == {"市场问题一", "教育问题二"}
    education = unit("education").pk
    assert listed(client.get(url, {"unit": education})) == {"教育问题一", "教育问题二"}
    assert listed(client.get(url, {"overdue": "on"})) == set()


def test_overdue_filter_and_badge(client, ledger, office_admin, time_machine):
    time_machine.move_to("2021-10-21T10:00+08:00", tick=False)  # the day after 2021-10-20
    response = as_user(client, office_admin).get(reverse("rectification:list"), {"overdue": "1"})
    assert listed(response) == {"市场问题一", "教育问题一"}
    assert response.content.decode().count('<span class="badge not-met">逾期</span>') == 2


def test_member_unit_cannot_filter_other_units(client, ledger, market_user):
    response = as_user(client, market_user).get(
        reverse("rectification:list"), {"unit": unit("education").pk}
    )
    assert listed(response) == {"市场问题一", "市场问题二"}  # the filter is not offered
    assert 'name="unit"' not in response.content.decode()


def test_search_within_the_scope_and_kept_in_the_page_links(
    client, ledger, office_admin, market_user
):
    """搜索 matches the number, the problem or its description, inside what the user may see:
    "问题一" is 市场问题一 and 教育问题一 for the office, only 市场问题一 for the market bureau;
    "教育" finds nothing for the market bureau (another unit's rows stay out of reach)."""
    url = reverse("rectification:list")
    office = as_user(client, office_admin)
    assert listed(office.get(url, {"q": "问题一"})) == {"市场问题一", "教育问题一"}
    number = ledger["education_later"].number
    assert listed(office.get(url, {"q": number})) == {"教育问题二"}
    response = office.get(url, {"q": "问题", "state": "open"})
    assert listed(response) == {"市场问题一", "教育问题二"}
    assert response.context["query"] == "q=%E9%97%AE%E9%A2%98&state=open"
    market = as_user(client, market_user)
    assert listed(market.get(url, {"q": "问题一"})) == {"市场问题一"}
    assert listed(market.get(url, {"q": "教育"})) == set()


# -- detail --------------------------------------------------------------------------------------


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
def test_detail_scoped(client, ledger, persona, status, request):
    r = ledger["market_open"]
    client = as_user(client, request.getfixturevalue(persona))
    assert client.get(reverse("rectification:detail", args=[r.pk])).status_code == status
    post = client.post(
        reverse("rectification:transition", args=[r.pk]), {"to_state": "in_progress"}
    )
    assert post.status_code in ({200: 302, 404: 404}[status], 403)


def test_other_units_actions_are_404(client, ledger, education_user):
    r = ledger["market_open"]
    client = as_user(client, education_user)
    for name in ("transition", "upload", "measures"):
        response = client.post(reverse(f"rectification:{name}", args=[r.pk]), {})
        assert response.status_code == 404, name
    r.refresh_from_db()
    assert r.state == "open"


def buttons(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-action="([a-z_]+)"', html))


def test_buttons_offered_per_user(client, ledger, office_admin, reviewer, market_user):
    r = ledger["market_open"]
    url = reverse("rectification:detail", args=[r.pk])
    assert buttons(as_user(client, market_user).get(url).content.decode()) == {"in_progress"}
    assert buttons(as_user(client, office_admin).get(url).content.decode()) == {"in_progress"}
    assert buttons(as_user(client, reviewer).get(url).content.decode()) == set()


def test_open_to_closed_through_the_pages(client, ledger, market_user, reviewer):
    r = ledger["market_open"]
    detail = reverse("rectification:detail", args=[r.pk])
    move = reverse("rectification:transition", args=[r.pk])
    owner = as_user(client, market_user)
    assert owner.post(move, {"to_state": "in_progress"}).status_code == 302
    # Submitting without evidence: refused with the reason on the page.
    response = owner.post(move, {"to_state": "submitted"})
    assert response.status_code == 400 and "请先上传整改佐证材料" in response.content.decode()
    upload = reverse("rectification:upload", args=[r.pk])
    response = owner.post(
        upload, {"title": "整改照片", "file": files.upload(files.jpeg(), "整改后.jpg")}
    )
    assert response.status_code == 302
    assert owner.post(move, {"to_state": "submitted"}).status_code == 302
    # The owner may not close it; the button is not there either.
    assert "closed" not in buttons(owner.get(detail).content.decode())
    assert owner.post(move, {"to_state": "closed"}).status_code == 403
    # The reviewer approves the evidence, then closes.
    evidence = Evidence.objects.get(rectification=r)
    checker = as_user(client, reviewer)
    checker.post(reverse("evidence:review", args=[evidence.pk]), {"decision": "approve"})
    assert buttons(checker.get(detail).content.decode()) == {"closed", "sent_back"}
    assert checker.post(move, {"to_state": "closed", "note": "核验属实"}).status_code == 302
    r.refresh_from_db()
    assert r.state == "closed" and r.verified_by == reviewer and r.closed_on == date(2021, 10, 18)
    html = checker.get(detail).content.decode()
    assert "已销号" in html and "核验属实" in html
    assert "整改中 → 已提交销号" in html  # the audit history: old → new


def test_upload_refused_on_a_submitted_rectification(client, office_admin, market_user):
    r = rectification_in("submitted", creator=office_admin)
    response = as_user(client, market_user).post(
        reverse("rectification:upload", args=[r.pk]),
        {"title": "补充材料", "file": files.upload(files.pdf())},
    )
    assert response.status_code == 400 and "不能再上传材料" in response.content.decode()


def test_reviewer_may_not_upload(client, ledger, reviewer):
    r = ledger["market_open"]
    response = as_user(client, reviewer).post(
        reverse("rectification:upload", args=[r.pk]),
        {"title": "材料", "file": files.upload(files.pdf())},
    )
    assert response.status_code == 403


def test_measures(client, ledger, market_user):
    r = ledger["market_open"]
    response = as_user(client, market_user).post(
        reverse("rectification:measures", args=[r.pk]), {"measures": "限期整改，专人督办"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.measures == "限期整改，专人督办"


def test_rectification_evidence_listed_with_links(client, ledger, market_user):
    r = ledger["market_open"]
    evidence = make_evidence(rectification=r, uploaded_by=market_user, title="整改报告")
    html = (
        as_user(client, market_user)
        .get(reverse("rectification:detail", args=[r.pk]))
        .content.decode()
    )
    assert reverse("evidence:download", args=[evidence.pk]) in html and "整改报告" in html


# -- create --------------------------------------------------------------------------------------


def create_data(**kw):
    data = {
        "title": "小餐饮后厨卫生不达标",
        "description": "",
        "owner_unit": unit("market-regulation").pk,
        "source": "self_check",
        "working_days": 10,
        "created_on": "",
        "item": "",
        "indicator_code": "",
        "org_unit": "",
    }
    data.update(kw)
    return data


def test_office_creates(client, office_admin, district):
    response = as_user(client, office_admin).post(
        reverse("rectification:create"), create_data(org_unit=DISTRICT, created_on="2021-09-30")
    )
    assert response.status_code == 302
    r = Rectification.objects.get()
    assert r.number == "ZG-2021-0001" and r.deadline == date(2021, 10, 20)
    assert r.source == "self_check" and r.org_unit_id == DISTRICT
    assert response["Location"] == reverse("rectification:detail", args=[r.pk])


def test_reviewer_findings_are_review(client, reviewer):
    client = as_user(client, reviewer)
    html = client.get(reverse("rectification:create")).content.decode()
    assert 'value="review"' in html and 'value="self_check"' not in html
    assert (
        client.post(reverse("rectification:create"), create_data(source="review")).status_code
        == 302
    )
    assert Rectification.objects.get().source == "review"


def test_create_form_errors(client, office_admin):
    client = as_user(client, office_admin)
    response = client.post(reverse("rectification:create"), create_data(created_on="2021-12-01"))
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    # The division is picked from a list now: a code not on it is refused as a bad choice.
    response = client.post(reverse("rectification:create"), create_data(org_unit="999999999999"))
    assert response.status_code == 400 and response.context["form"].errors["org_unit"]
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("persona", ["inspector", "outsider"])
def test_create_refused(client, persona, request):
    client = as_user(client, request.getfixturevalue(persona))
    assert client.get(reverse("rectification:create")).status_code == 403
    assert client.post(reverse("rectification:create"), create_data()).status_code == 403


# -- one click from the scorecard ----------------------------------------------------------------


def click(client, indicator="residue_sampling_per_thousand", org=DISTRICT, period="2021"):
    return client.post(
        reverse("rectification:from_indicator"),
        {"org_code": org, "period": period, "indicator": indicator},
    )


def test_scorecard_button_for_office_only(client, fake_engine, office_admin, reviewer, market_user):
    url = reverse("web:scorecard", kwargs={"org_code": DISTRICT, "period": "2021"})
    html = as_user(client, office_admin).get(url).content.decode()
    # One button per failed indicator of the example scorecard (4 not met).
    assert html.count('action="/rectifications/from-indicator/"') == 4
    assert 'data-indicator="residue_sampling_per_thousand"' in html
    assert 'data-indicator="sampling_per_thousand"' not in html  # met
    for user in (reviewer, market_user):
        assert "from-indicator" not in as_user(client, user).get(url).content.decode()


def test_one_click(client, fake_engine, programme, office_admin):
    client = as_user(client, office_admin)
    response = click(client)
    r = Rectification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rectification:detail", args=[r.pk])
    assert r.source == "scorecard" and r.owner_unit.code == "market-regulation"
    assert "还需抽检 312 批次" in r.title
    html = client.get(response["Location"]).content.decode()
    assert "已生成整改事项 ZG-2021-0001" in html
    response = click(client)  # again: the same one
    assert Rectification.objects.count() == 1
    assert "未重复生成" in client.get(response["Location"]).content.decode()


def test_one_click_refusals(client, fake_engine, programme, office_admin, reviewer):
    assert click(as_user(client, reviewer)).status_code == 403
    client = as_user(client, office_admin)
    response = click(client, indicator="sampling_per_thousand")  # met
    assert response.status_code == 302 and response["Location"] == reverse("rectification:list")
    assert "只有未达标的指标" in client.get(response["Location"]).content.decode()
    assert click(client, org="990000000000").status_code == 404
    assert click(client, period="2021X").status_code == 404
    assert click(client, indicator="../etc").status_code == 404
    assert not Rectification.objects.exists()
