"""The dashboard: who may see it, the chart data (group status, month-end trend with target
and forecast, subdistricts side by side), ECharts from our own static files, English through
Django i18n, and query counts that do not grow with the number of subdistricts."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foodsafe.dashboard.selectors import month_ends
from foodsafe.scorecard.backend import django_backend
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import OrgUnitFactory, PopulationFactory, SamplingBatchFactory

WEB = Path(settings.BASE_DIR) / "foodsafe" / "web"
MID_JUNE = datetime(2021, 6, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def url(org: str = DISTRICT, period: str = "2021") -> str:
    return reverse("dashboard:dashboard", kwargs={"org_code": org, "period": period})


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the chart data is on the page as json_script"
    return json.loads(match.group(1))


@pytest.fixture
def ledgers(district):
    """1,000 residents in each subdistrict; batches in January and March (A), February (B)."""
    for code in (SUB_A, SUB_B):
        PopulationFactory(org_unit_id=code, resident_population=1000)
    for code, day in (
        (SUB_A, date(2021, 1, 10)),
        (SUB_B, date(2021, 2, 10)),
        (SUB_A, date(2021, 3, 10)),
    ):
        SamplingBatchFactory(org_unit_id=code, sampled_on=day, department="market_regulation")
    return district


@pytest.fixture
def frozen():
    with time_machine.travel(MID_JUNE, tick=False):
        yield


def test_month_ends():
    assert month_ends(2021, date(2021, 3, 10)) == [
        date(2021, 1, 31),
        date(2021, 2, 28),
        date(2021, 3, 10),
    ]
    assert len(month_ends(2021, date(2022, 5, 1))) == 12
    assert month_ends(2021, date(2020, 12, 31)) == []


def test_anonymous_goes_to_login(client, db):
    for path in (reverse("dashboard:home"), url()):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("persona", ["office_admin", "market_user", "inspector", "reviewer"])
def test_every_role_sees_it(client, request, persona, fake_engine, frozen):
    client.force_login(request.getfixturevalue(persona))
    home = client.get(reverse("dashboard:home"))
    assert home.status_code == 302 and home["Location"] == url(DISTRICT, "2021")
    assert client.get(url()).status_code == 200


def test_users_without_a_role_get_403(client, outsider, fake_engine):
    client.force_login(outsider)
    assert client.get(url()).status_code == 403
    assert client.get(reverse("dashboard:home")).status_code == 403


def test_404s_and_period_selector(client, office_admin, fake_engine, frozen):
    client.force_login(office_admin)
    assert client.get(url("129999000000")).status_code == 404
    assert client.get(url(DISTRICT, "2021Q5")).status_code == 404
    redirect = client.get(url(), {"period": "2021Q2"})
    assert redirect.status_code == 302 and redirect["Location"] == url(DISTRICT, "2021Q2")
    assert client.get(url(), {"period": "nonsense"}).status_code == 400


def test_chart_data(client, office_admin, ledgers, frozen):
    client.force_login(office_admin)
    response = client.get(url())
    assert response.status_code == 200
    data = chart_data(response)
    page = response.context["page"]

    # Item status by group: every item of the plan is counted once.
    groups = data["groups"]
    assert groups["categories"][:2] == ["基础工作", "能力建设"]
    assert sum(sum(v) for v in groups["series"].values()) == len(page.scorecard.items)

    # The trend: year to date as of each month end, June up to today.
    assert data["as_of"] == [
        "2021-01-31",
        "2021-02-28",
        "2021-03-31",
        "2021-04-30",
        "2021-05-31",
        "2021-06-15",
    ]
    assert data["months"][:3] == ["1月", "2月", "3月"] and len(data["months"]) == 12
    sampling = next(t for t in data["trend"] if t["code"] == "sampling_per_thousand")
    assert sampling["values"] == [0.5, 1.0, 1.5, 1.5, 1.5, 1.5]  # per 1,000 of 2,000 residents
    assert sampling["target"] == 4 and sampling["unit"] == "批次/千人"
    # Forecast at the current pace: 1.5 over 166 days → 365 days.
    assert sampling["forecast"] == pytest.approx(1.5 * 365 / 166, abs=0.01)
    rate = next(t for t in data["trend"] if t["code"] == "evaluation_pass_rate")
    assert rate["values"] == [None] * 6 and rate["forecast"] is None  # no evaluation sampling
    monitoring = next(t for t in data["trend"] if t["code"] == "inspections_per_business")
    assert monitoring["target"] is None

    # Subdistricts side by side: the key indicators, as a share of target.
    children = data["children"]
    assert [s["code"] for s in children["series"]] == [SUB_A, SUB_B]
    assert len(children["indicators"]) == 6
    assert all(len(s["achievement"]) == 6 for s in children["series"])

    html = response.content.decode()
    assert "数据看板" in html and "指标月度走势" in html and "各类别任务完成情况" in html
    assert 'class="chart chart-trend"' in html


def test_a_past_year_has_no_forecast_and_english_names(client, office_admin, ledgers):
    client.force_login(office_admin)
    with time_machine.travel(datetime(2022, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        data = chart_data(client.get(url(DISTRICT, "2021Q1"), HTTP_ACCEPT_LANGUAGE="en"))
    assert data["as_of"] == ["2021-01-31", "2021-02-28", "2021-03-31"]
    sampling = next(t for t in data["trend"] if t["code"] == "sampling_per_thousand")
    assert sampling["values"] == [0.5, 1.0, 1.5] and sampling["forecast"] is None
    # In English: the spec's English names and units.
    assert data["groups"]["categories"][0] == "Groundwork"
    assert sampling["name"].startswith("Food-safety sampling volume")
    assert sampling["unit"] == "batches/1,000 residents"


def test_echarts_is_served_from_our_static_files(client, office_admin, fake_engine, frozen):
    vendor = WEB / "static" / "vendor" / "echarts"
    assert (vendor / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (vendor / "LICENSE").read_text()
    client.force_login(office_admin)
    html = client.get(url()).content.decode()
    assert '<script src="/static/vendor/echarts/echarts.min.js" defer></script>' in html
    assert '<script src="/static/web/dashboard.js" defer></script>' in html
    # No outside address: every src and href is on this site.
    for ref in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert ref.startswith(("/", "?", "#")), ref
    for path in (
        WEB / "static" / "web" / "dashboard.js",
        WEB / "static" / "web" / "dashboard.css",
        WEB / "templates" / "web" / "dashboard.html",
    ):
        assert not re.search(r"https?://|//cdn", path.read_text()), path


def test_english(client, office_admin, fake_engine, frozen):
    client.force_login(office_admin)
    response = client.get(url(), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Dashboard" in html and "Monthly trend of each indicator" in html
    assert "Key tasks by group" in html and "Log out" in html
    assert "数据看板" not in html and "指标月度走势" not in html
    data = chart_data(response)
    assert data["labels"]["target"] == "Target" and data["months"][0] == "Jan"
    assert data["labels"]["statuses"]["not_met"] == "Not met"
    # The switcher offers the other language under its own name.
    assert ">简体中文</button>" in html
    # The language cookie that Django's set_language view sets does the same.
    client.post(reverse("set_language"), {"language": "en", "next": url()})
    assert "Monthly trend of each indicator" in client.get(url()).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url()})
    html = client.get(url()).content.decode()
    assert "指标月度走势" in html and ">English</button>" in html


def _subdistricts(n: int) -> None:
    for i in range(3, n + 1):
        code = f"120101{i:03d}000"
        OrgUnitFactory(code=code, name=f"{i}街道（测试）", parent_id=DISTRICT)
        PopulationFactory(org_unit_id=code, resident_population=1000)
        SamplingBatchFactory(
            org_unit_id=code, sampled_on=date(2021, 4, 1), department="market_regulation"
        )


def _measure(client) -> tuple[int, int, dict]:
    """(ORM queries, every SQL statement on the connection, chart data) of one request."""
    backend_statements: list[str] = []
    django_backend()
    raw = connection.connection
    if connection.vendor == "sqlite":
        raw.set_trace_callback(backend_statements.append)
    try:
        with CaptureQueriesContext(connection) as orm:
            response = client.get(url())
            assert response.status_code == 200
    finally:
        if connection.vendor == "sqlite":
            raw.set_trace_callback(None)
    return len(orm), len(backend_statements), chart_data(response)


#: The dashboard's ORM queries on 15 February: session, user, profile (the role check); child
#: units; the org units of the one pass over the year's month ends (issue 11 §4: January's and
#: February's cards, the unit's and its subdistricts', from one evaluation; before, one run for
#: the page and one per earlier month end, each reading its org units: 9, and 11 in mid-June —
#: now 8 whatever the month); the breadcrumb (1). The engine's ledger queries and its inputs
#: (approved evidence, veto findings, zero reports: scorecard/inputs.py, read by table name like
#: the ledgers) go through Ibis on the same connection and are counted separately (every SQL
#: statement, on SQLite). The menu (web.navigation) asks has_perm, which reads the user's and
#: their groups' permissions once per request (2 queries, the same for any number of units).
#: The sampling-plan card asks for the unit's plan in force (1; issue 15).
DASHBOARD_QUERIES = 11  # + the layout's unread notifications and example-data flag (2)


@pytest.fixture
def mid_february():
    with time_machine.travel(
        datetime(2021, 2, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


def test_query_counts_pinned_and_flat_in_subdistricts(
    client, office_admin, ledgers, mid_february, django_assert_num_queries
):
    client.force_login(office_admin)
    orm_two, all_two, data = _measure(client)  # also warms the spec cache
    assert len(data["children"]["series"]) == 2
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(url())
    _subdistricts(6)
    orm_six, all_six, data = _measure(client)
    assert len(data["children"]["series"]) == 6
    assert orm_six == orm_two == DASHBOARD_QUERIES
    assert all_six == all_two, "SQL statements must not grow with the number of subdistricts"


def test_data_through_is_the_last_date_the_ledgers_hold(client, office_admin, ledgers):
    """h-newuser3 N3: the ledgers' last dated row is the batch of 2021-03-10. The 2022
    dashboard is assessed as of 2022-12-31 but its data stops on 2021-03-10: it says so, not
    "数据截至 2022-12-31". 2021Q1 (as of 2021-03-31) likewise stops on 2021-03-10."""
    client.force_login(office_admin)
    with time_machine.travel(datetime(2023, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        html = client.get(url(DISTRICT, "2022")).content.decode()
    assert '<strong id="data-through">数据截至 2021-03-10</strong>' in html
    assert "评价截至 2022-12-31" in html
    assert "数据截至 2022-12-31" not in html
