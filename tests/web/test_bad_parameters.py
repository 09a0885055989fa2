"""F29/F30: a year, month, day or period in the URL that is malformed or outside 2000–2100 is a
400 whose page says which parameter and what it takes (``foodsafe.lib.params``), never a 500.
Before: ``/performance/?month=0000-01`` and ``/supervision/performance/?year=0000`` raised
``ValueError`` (``date(0, 1, 1)``, a year lookup), ``/sampling-plan/preview/?year=10000`` and
``/sampling-plan/disposals/?on=9999-12-31`` overflowed in the working-day arithmetic."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.conftest import DISTRICT

pytestmark = pytest.mark.django_db

BAD_YEARS = ["0", "0000", "10000", "9999", "1999", "2101", "abc"]
BAD_MONTHS = ["0000-01", "9999-12", "10000-01", "2021-13", "2021-00", "abc", "000001"]
BAD_DAYS = ["0001-01-01", "9999-12-31", "2021-02-30", "abc"]

PAGES = [
    ("/performance/", "month", BAD_MONTHS),
    ("/performance/export.xlsx", "month", BAD_MONTHS),
    (f"/sampling-plan/preview/?org={DISTRICT}", "year", BAD_YEARS),
    ("/sampling-plan/disposals/", "on", BAD_DAYS),
    (f"/sampling-plan/publication/?org={DISTRICT}", "month", BAD_MONTHS),
    (f"/sampling-plan/publication/export/?org={DISTRICT}", "month", BAD_MONTHS),
    ("/supervision/performance/", "year", BAD_YEARS),
    ("/supervision/performance/export.xlsx", "year", BAD_YEARS),
    ("/credit/", "month", BAD_MONTHS),
    ("/risk/", "year", BAD_YEARS),
    ("/risk/export/", "year", BAD_YEARS),
]
CASES = [(url, name, value) for url, name, values in PAGES for value in values]


@pytest.fixture
def office(office_admin, district):
    client = Client(raise_request_exception=False)
    client.force_login(office_admin)
    return client


@pytest.mark.parametrize(("url", "name", "value"), CASES)
def test_a_bad_value_is_a_400_saying_so(office, url, name, value):
    with time_machine.travel(datetime(2021, 10, 11, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        response = office.get(url, {name: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"参数 {name} 的值“{value}”无效" in page
    assert "年份在 2000 至 2100 之间" in page
    assert "请求有误" in page  # the site's 400 page, with its menu
    assert 'href="/logout/"' in page or "退出" in page


@pytest.mark.parametrize("url", ["/scorecard/120101000000/2021/", "/dashboard/120101000000/2021/"])
@pytest.mark.parametrize("value", ["0000", "10000", "2021Q5", "202113", "abc"])
def test_a_bad_period_selector_is_a_400_saying_so(office, fake_engine, url, value):
    response = office.get(url, {"period": value})
    assert response.status_code == 400
    assert f"参数 period 的值“{value}”无效：应为 2021、2021S1、2021Q3 或 202108 形式。" in (
        response.content.decode()
    )


def test_a_good_value_still_opens_the_page(office):
    with time_machine.travel(datetime(2021, 10, 11, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        assert office.get("/performance/", {"month": "2021-09"}).status_code == 200
        assert office.get("/performance/", {"month": "2021-11"}).status_code == 404  # future
        assert office.get("/supervision/performance/", {"year": "2021"}).status_code == 200
        assert office.get("/credit/", {"month": "202109"}).status_code == 200
        assert office.get("/risk/", {"year": "2021"}).status_code == 200
        assert office.get("/sampling-plan/disposals/", {"on": "2021-10-08"}).status_code == 200


def test_a_bad_date_posted_to_a_sampling_step_is_a_400_saying_so(office):
    response = office.post(
        "/sampling-plan/publication/record/",
        {"org": DISTRICT, "month": "2021-09", "kind": "results", "published_on": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "公开日期“9999-12-31”无效" in response.content.decode()
    # Missing altogether: the step's own message, as before.
    response = office.post("/sampling-plan/publication/record/", {"org": DISTRICT})
    assert response.status_code == 400
    assert "月份应为 2021-08，日期应为 2021-09-10" in response.content.decode()


def test_other_bad_requests_keep_the_plain_page(office):
    """A 400 that is not a parameter (here a disallowed host) shows no detail."""
    response = office.get("/performance/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "服务器无法理解这个请求" in page and "evil.example" not in page
