"""Parsers of typed ledger values: examples with their exact reasons, then property tests."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from foodsafe.imports.parsers import (
    MAX_DATE,
    MIN_DATE,
    PROVINCE_CODES,
    USCC_ALPHABET,
    ParseError,
    from_excel_serial,
    parse_bool,
    parse_business_licence,
    parse_date,
    parse_licence,
    parse_production_licence,
    parse_uscc,
    to_excel_serial,
    uscc_check_char,
)


def reason(parse, value) -> str:
    with pytest.raises(ParseError) as excinfo:
        parse(value)
    return excinfo.value.reason


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2021-08-17",
        "2021-8-17",
        "2021/8/17",
        "2021/08/17",
        "2021.8.17",
        "2021年8月17日",
        "2021年08月17日",
        "2021 年 8 月 17 日",
        "２０２１年８月１７日",
        "2021年8月17号",
        "2021年8月17號",
        "20210817",
        "2021-08-17 00:00:00",
        "44425",
        44425,
        44425.0,
        20210817,
        date(2021, 8, 17),
        datetime(2021, 8, 17),
    ],
)
def test_date_forms(value):
    assert parse_date(value) == date(2021, 8, 17)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-02-30", "不是有效的日期"),
        ("2021/13/1", "不是有效的日期"),
        ("2021年2月29日", "不是有效的日期"),
        ("6/5/2021", "日期格式无法识别，应写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日"),
        ("21-8-17", "日期格式无法识别，应写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日"),
        ("2021-8/17", "日期格式无法识别，应写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日"),
        ("下周一", "日期格式无法识别，应写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日"),
        (True, "应为日期"),
        ("1900-01-05", "日期1900-01-05超出合理范围（1949年至2100年）"),
        (
            "2021",
            "“2021”按 Excel 日期序号是1905-07-13，超出合理范围（1949年至2100年）；请填写完整日期，如 2021-08-17",
        ),
        (60, "不是有效的日期（Excel 序号60是不存在的1900年2月29日）"),
        (-3, "不是有效的日期（Excel 日期序号超出范围）"),
    ],
)
def test_date_rejections(value, expected):
    assert reason(parse_date, value) == expected


def test_excel_serials_around_the_1900_leap_bug():
    assert from_excel_serial(1) == date(1900, 1, 1)
    assert from_excel_serial(59) == date(1900, 2, 28)
    assert from_excel_serial(61) == date(1900, 3, 1)
    assert from_excel_serial(44197) == date(2021, 1, 1)
    assert to_excel_serial(date(2021, 1, 1)) == 44197


DATES = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)


def five_ways(day: date) -> list[object]:
    return [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        to_excel_serial(day),
    ]


@given(DATES)
def test_any_date_written_five_ways_parses_back(day):
    for written in five_ways(day):
        assert parse_date(written) == day, written
    assert parse_date(str(to_excel_serial(day))) == day
    assert parse_date(datetime.combine(day, datetime.min.time())) == day


@given(st.dates(min_value=date(1900, 3, 1)))
def test_excel_serial_round_trip(day):
    assert from_excel_serial(to_excel_serial(day)) == day


@given(st.integers(1949, 2100), st.integers(1, 12), st.integers(29, 31))
def test_impossible_days_are_rejected_not_shifted(year, month, day):
    try:
        date(year, month, day)
    except ValueError:
        for written in (f"{year}-{month}-{day}", f"{year}年{month}月{day}日"):
            assert reason(parse_date, written) == "不是有效的日期"
    else:
        assert parse_date(f"{year}-{month}-{day}") == date(year, month, day)


# -- USCC -----------------------------------------------------------------------------------


GOOD = "91110000600037341L"  # python-stdnum's own example


def test_uscc_normalised_and_checked():
    assert parse_uscc(GOOD) == GOOD
    assert parse_uscc(" 9111 0000 6000 3734 1l ") == GOOD
    assert parse_uscc("９１１１００００６０００３７３４１Ｌ") == GOOD
    # GB 32100: the registering authority may be a letter (Y = 其他); stdnum's validate refuses
    # it, the check character still holds.
    other = "Y1110000MA0000001" + uscc_check_char("Y1110000MA0000001")
    assert not stdnum_uscc.is_valid(other)
    assert parse_uscc(other) == other


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("91110000600037341M", "统一社会信用代码校验位（第18位）不正确，请核对是否有字符抄错"),
        ("9111000060003734", "统一社会信用代码应为18位，这里是16位"),
        (
            "91110000600O37341L",
            "统一社会信用代码含有不允许的字符“O”（只用数字和大写字母，不用I、O、Z、S、V）"
            "（字母O应为数字0？）",
        ),
        ("911100A0600037341L", "统一社会信用代码第3-8位（登记管理机关行政区划码）应为数字"),
        (
            9.111000060003734e17,
            "该单元格是超过15位的数字，Excel已把末几位变成0；请把该列设为“文本”格式后重新录入",
        ),
    ],
)
def test_uscc_rejections(value, expected):
    assert reason(parse_uscc, value) == expected


USCC_BODIES = st.tuples(
    st.sampled_from("159ANY"),
    st.sampled_from("1239"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(USCC_BODIES)
def test_uscc_with_its_check_char_validates(body):
    code = body + uscc_check_char(body)
    assert parse_uscc(code) == code
    assert parse_uscc(code.lower()) == code
    if body[:2].isdigit():
        assert stdnum_uscc.is_valid(code)


@given(USCC_BODIES, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_changing_one_character_breaks_the_uscc(body, position, replacement):
    code = body + uscc_check_char(body)
    assume(code[position] != replacement)
    assume(not (2 <= position < 8 and not replacement.isdigit()))
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ParseError):
        parse_uscc(changed)


@given(USCC_BODIES, st.integers(0, 15))
def test_swapping_two_neighbours_breaks_the_uscc(body, position):
    """ISO 7064 MOD 31-3 catches every swap of two different neighbours among the 17."""
    code = body + uscc_check_char(body)
    assume(code[position] != code[position + 1])
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(ParseError):
        parse_uscc(swapped)


# -- licence numbers ------------------------------------------------------------------------


def test_licences():
    assert parse_licence("JY11201010001019") == "JY11201010001019"
    assert parse_licence("jy1 1201 0100 0101 9") == "JY11201010001019"
    assert parse_licence("ＳＣ10612010100017") == "SC10612010100017"
    assert parse_business_licence("JY31201010001019") == "JY31201010001019"
    assert parse_production_licence("SC20112010100017") == "SC20112010100017"


JY_TAIL = (
    "；14位依次为：主体业态代码1位（1食品销售经营者、2餐饮服务经营者、3单位食堂）、省2位、市2位、"
    "县2位、顺序码6位、校验码1位（食品经营许可管理办法）"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "QS1201 0601 0001",
            "许可证编号应为JY开头（食品经营许可证）或SC开头（食品生产许可证），后加14位数字",
        ),
        # One message names the digit count and the whole structure, the 主体业态 digit too,
        # so a fix of the length does not meet a second rejection for that digit.
        (
            "JY1120101000101",
            "食品经营许可证编号应为JY加14位数字，这里JY后是“1120101000101”（13位数字）" + JY_TAIL,
        ),
        (
            "JY112010100010199",
            "食品经营许可证编号应为JY加14位数字，这里JY后是“112010100010199”（15位数字）" + JY_TAIL,
        ),
        (
            "JY11201010O01019",
            "食品经营许可证编号应为JY加14位数字，这里JY后是“11201010O01019”（14个字符，含非数字字符）"
            + JY_TAIL,
        ),
        (
            "SC1061201010017",
            "食品生产许可证编号应为SC加14位数字，这里SC后是“1061201010017”（13位数字）；14位依次为："
            "食品类别编码3位（1开头为食品、2开头为食品添加剂）、省2位、市2位、县2位、顺序码4位、"
            "校验码1位（食品生产许可管理办法）",
        ),
        (
            "JY41201010001019",
            "食品经营许可证编号第3位（主体业态代码）应为1（食品销售经营者）、2（餐饮服务经营者）、"
            "3（单位食堂），这里是4",
        ),
        ("JY19901010001019", "许可证编号中的省级代码“99”不是有效的省（自治区、直辖市）代码"),
        ("SC30612010100017", "食品生产许可证编号第3位应为1（食品）或2（食品添加剂），这里是3"),
        ("SC13312010100017", "食品生产许可证编号第4-5位（类别编号）应在01至32之间，这里是33"),
        ("SC20412010100017", "食品生产许可证编号第4-5位（类别编号）应在01至03之间，这里是04"),
        ("SC10020010100017", "食品生产许可证编号第4-5位（类别编号）应在01至32之间，这里是00"),
    ],
)
def test_licence_rejections(value, expected):
    assert reason(parse_licence, value) == expected


PROVINCES = st.sampled_from(sorted(PROVINCE_CODES))
DIGITS = st.text("0123456789", min_size=1, max_size=1)


@st.composite
def jy_numbers(draw):
    return (
        "JY"
        + draw(st.sampled_from("123"))
        + draw(PROVINCES)
        + draw(st.text("0123456789", min_size=10, max_size=10))
        + draw(DIGITS)
    )


@st.composite
def sc_numbers(draw):
    kind = draw(st.sampled_from("12"))
    category = draw(st.integers(1, 32 if kind == "1" else 3))
    return (
        f"SC{kind}{category:02d}"
        + draw(PROVINCES)
        + draw(st.text("0123456789", min_size=8, max_size=8))
        + draw(DIGITS)
    )


@given(st.one_of(jy_numbers(), sc_numbers()))
def test_well_formed_licences_parse_to_themselves(number):
    assert len(number) == 16
    assert parse_licence(number) == number
    assert parse_licence(" ".join([number[:6], number[6:].lower()])) == number


@given(st.one_of(jy_numbers(), sc_numbers()), st.integers(2, 15))
def test_dropping_or_doubling_a_digit_breaks_a_licence(number, position):
    dropped = number[:position] + number[position + 1 :]
    doubled = number[:position] + number[position] + number[position:]
    for broken in (dropped, doubled):
        with pytest.raises(ParseError):
            parse_licence(broken)


@given(jy_numbers())
def test_a_letter_in_a_licence_breaks_it(number):
    with pytest.raises(ParseError):
        parse_licence(number[:9] + "O" + number[10:])


# -- yes/no ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["是", "Y", "y", "yes", "TRUE", "true", "1", 1, 1.0, True, "√", "✓", "有", "Ｙ"]
)
def test_yes(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["否", "N", "no", "False", "0", 0, 0.0, False, "×", "无"])
def test_no(value):
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", ["可能", "2", 2, "是的吧"])
def test_neither_yes_nor_no(value):
    assert reason(parse_bool, value) == "应填“是”或“否”"


def test_a_date_typed_with_a_time_gives_the_date_and_says_so():
    # The time of day is dropped (the ledgers hold dates); the note tells the user.
    notes: list[str] = []
    assert parse_date("2021/08/17 10:30", notes=notes) == date(2021, 8, 17)
    assert notes == ["日期带有时间 10:30，已只取日期 2021-08-17（北京时间）"]
