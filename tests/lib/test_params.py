"""``foodsafe.lib.params``: the one parser of ``?year=``, ``?month=`` and ``?on=`` (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import BadRequest, ValidationError

from foodsafe.lib.params import (
    PAST_DATE,
    BadDate,
    BadParameter,
    date_param,
    month_param,
    posted_date,
    validate_year_range,
    year_param,
)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_is_none(raw):
    assert year_param(raw) is None
    assert month_param(raw) is None
    assert date_param(raw) is None


def test_good_values():
    assert year_param(" 2021 ") == 2021
    assert year_param("2000") == 2000 and year_param("2100") == 2100
    assert month_param("2021-09") == date(2021, 9, 1)
    assert month_param("202109") == date(2021, 9, 1)
    assert month_param("2100-12") == date(2100, 12, 1)
    assert date_param("2021-02-28") == date(2021, 2, 28)
    assert date_param("2000-01-01") == date(2000, 1, 1)


@pytest.mark.parametrize(
    "raw", ["0", "0000", "1", "1999", "2101", "9999", "10000", "-1", "abc", "２０２１", "20x1"]
)
def test_bad_years(raw):
    with pytest.raises(BadParameter) as caught:
        year_param(raw)
    assert str(caught.value) == (
        f"参数 year 的值“{raw}”无效：应为 四位年份（如 2021），年份在 2000 至 2100 之间。"
    )
    assert isinstance(caught.value, BadRequest) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "raw",
    ["0000-01", "1999-12", "2101-01", "9999-12", "10000-01", "2021-13", "2021-00", "2021-1",
     "000001", "abc", "2021-09-01", "2021-1x"],
)  # fmt: skip
def test_bad_months(raw):
    with pytest.raises(BadParameter, match=f"参数 month 的值“{raw}”无效：应为 年月（如 2021-09）"):
        month_param(raw)


@pytest.mark.parametrize(
    "raw", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2021-02-30", "20210930", "x"]
)
def test_bad_dates_name_the_parameter(raw):
    with pytest.raises(BadParameter, match=f"参数 published_on 的值“{raw}”无效") as caught:
        date_param(raw, name="published_on")
    assert caught.value.name == "published_on"


def test_a_long_value_is_quoted_cut():
    with pytest.raises(BadParameter) as caught:
        year_param("1" * 500)
    assert f"“{'1' * 20}”" in str(caught.value)


def test_the_form_validator():
    validate_year_range(date(2021, 10, 8))
    with pytest.raises(ValidationError) as caught:
        validate_year_range(date(9999, 12, 31))
    assert caught.value.messages == ["日期 9999-12-31 超出范围：年份应在 2000 至 2100 之间。"]


TODAY = datetime(2026, 12, 7, 10, tzinfo=UTC)  # 18:00 in Asia/Shanghai: still 2026-12-07


@time_machine.travel(TODAY, tick=False)
def test_posted_date_from_2000_to_today():
    assert posted_date("2000-01-01", label="列入日期") == date(2000, 1, 1)
    assert posted_date(" 2026-12-07 ", label="列入日期") == date(2026, 12, 7)
    assert posted_date("", label="移出日期", required=False) is None
    for raw, message in [
        ("", "请填写列入日期（如 2021-09-30）。"),
        (
            "1999-12-31",
            "列入日期“1999-12-31”无效：应为日期（如 2021-09-30），年份在 2000 至 2100 之间。",
        ),
        (
            "2021-02-30",
            "列入日期“2021-02-30”无效：应为日期（如 2021-09-30），年份在 2000 至 2100 之间。",
        ),
        ("2026-12-08", "列入日期 2026-12-08 晚于今天（2026-12-07）：应填已发生的日期。"),
    ]:
        with pytest.raises(BadDate) as caught:
            posted_date(raw, label="列入日期")
        assert str(caught.value) == message
    # A day ahead where one makes sense (有效期至): to 2100.
    assert posted_date("2030-06-30", label="有效期至", future=True) == date(2030, 6, 30)


@time_machine.travel(TODAY, tick=False)
def test_past_date_validators():
    for check in PAST_DATE:
        check(date(2026, 12, 7))
    with pytest.raises(ValidationError) as caught:
        for check in PAST_DATE:
            check(date(2026, 12, 8))
    assert caught.value.code == "future"
