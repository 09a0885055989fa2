"""Parsers for the values people type into ledgers: dates, codes, licence numbers, yes/no.

Pure functions without Django: each takes a cell as read from the file (text, number, bool,
date or datetime) and returns the value, or raises ``ParseError`` whose ``reason`` is in Chinese
and says what is wrong, so that the person who typed it can fix it.

Sources of the formats:

* Dates: ISO 8601 (2021-08-17), the forms Chinese Excel users type (2021/8/17, 2021.8.17,
  2021年8月17日), YYYYMMDD, and Excel serial day numbers (1900 date system, as Excel on Windows
  stores them; serial 60 is Excel's non-existent 1900-02-29; or the 1904 date system of a
  workbook flagged date1904, ECMA-376 Part 1 §18.17.4.1: serial 0 is 1904-01-01). A date with a
  time of day ("2026-04-01 07:30", a datetime cell, an aware ISO datetime) gives its date in
  Asia/Shanghai, with a note saying the time was dropped.

Parsers that clean a value (codes, dates with a time) take ``notes``, a list they append a
sentence to saying what they did, so the preview can tell the user.
* 统一社会信用代码: GB 32100-2015 (with amendment No. 1, 2016). 18 characters from
  "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, Z, S, V): 1 登记管理部门码, 1 机构类别码,
  6 登记管理机关行政区划码 (digits, GB/T 2260), 9 主体标识码 (GB 11714 organisation code),
  1 check character (GB/T 17710, ISO 7064 MOD 31-3), computed with python-stdnum
  (``stdnum.cn.uscc.calc_check_digit``). python-stdnum's own ``validate`` also demands digits in
  positions 1-2, which GB 32100 does not (登记管理部门码 "Y" = 其他 is a letter), so the
  structure is checked here and only the check character is delegated.
* 食品经营许可证编号 (食品经营许可管理办法 2015 第二十七条; 食品经营许可和备案管理办法 2023
  keeps it): "JY" + 14 digits = 1 主体业态 (1 食品销售经营者, 2 餐饮服务经营者, 3 单位食堂),
  2 province, 2 city, 2 county (GB/T 2260), 6 sequence, 1 check digit. 16 characters.
* 食品生产许可证编号 (食品生产许可管理办法 2015 第二十九条, 2020 第三十条): "SC" + 14 digits =
  3 food category (1 食品 + 01-32, or 2 食品添加剂 + 01-03), 2 province, 2 city, 2 county,
  4 sequence, 1 check digit. 16 characters.
  The check-digit algorithm of both licence numbers is not published, so it is not verified;
  the province code is checked against the GB/T 2260 province list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.cn import uscc as stdnum_uscc

from . import codes

#: The range of dates a ledger may hold. Dates outside it are typing errors in practice.
MIN_DATE = date(1949, 1, 1)
#: The earliest day of an event in the programme's ledgers (as ``lib.params.YEAR_MIN``).
MIN_EVENT_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
#: Day 0 of Excel's 1900 date system, for serials after Excel's phantom 1900-02-29 (serial 60).
EXCEL_EPOCH = date(1899, 12, 30)
#: Day 0 of Excel's 1904 date system (ECMA-376 Part 1 §18.17.4.1).
EXCEL_EPOCH_1904 = date(1904, 1, 1)
#: The time zone a date with a time of day is read in: the district's.
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB/T 2260 province-level codes (incl. 71 台湾, 81 香港, 82 澳门).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)
#: 食品经营许可证 主体业态代码.
JY_FORMATS = {"1": "食品销售经营者", "2": "餐饮服务经营者", "3": "单位食堂"}
#: 食品生产许可证 食品类别编码: first digit → allowed category numbers.
SC_CATEGORIES = {"1": range(1, 33), "2": range(1, 4)}

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "错", "无"})

#: Excel keeps 15 significant digits: a longer number typed into a General cell is damaged.
EXCEL_DIGITS = 15


class ParseError(ValueError):
    """A value cannot be read; ``reason`` is in Chinese."""

    def __init__(self, reason: str, *, shown: str | None = None):
        self.reason = reason
        #: The cell as an error may show it, when not as typed (a personal ID, masked).
        self.shown = shown
        super().__init__(reason)


def clean_text(value: Any) -> str:
    """A cell as text: NFKC (full-width digits, letters and punctuation become half-width), trimmed.

    An integral float (Excel stores every number as one) loses its ".0". A number too long for
    Excel to keep exactly (16+ digits, e.g. an 18-digit code typed into a General cell) raises
    ``ParseError``: its last digits are already lost.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 10**EXCEL_DIGITS:
                raise ParseError(
                    "该单元格是超过15位的数字，Excel已把末几位变成0；"
                    "请把该列设为“文本”格式后重新录入"
                )
            return str(int(value))
        return repr(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact(value: Any) -> str:
    """``clean_text`` without any whitespace or hyphens, upper case: how codes are compared."""
    return re.sub(r"[\s\-]", "", clean_text(value)).upper()


# -- dates ----------------------------------------------------------------------------------

_DATE_TEXT = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号號]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MIDNIGHT = re.compile(r"[ T]0{1,2}:00(:00(\.0+)?)?$")
DATE_FORMAT_REASON = "日期格式无法识别，应写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日"
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")
#: A date followed by a time of day, and optionally a UTC offset ("Z", "+08:00").
_WITH_TIME = re.compile(
    r"(?P<day>.+?)[ T]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)


def parse_date(
    value: Any,
    *,
    min_date: date = MIN_DATE,
    max_date: date = MAX_DATE,
    date1904: bool = False,
    notes: list[str] | None = None,
) -> date:
    """A date from a cell: a date or datetime cell, an Excel serial number, or text.

    Text may be 2021-08-17, 2021/8/17, 2021.8.17, 2021年8月17日 (also …17号 or 號, or without 日),
    20210817, or a serial such as 44425; full-width digits and spaces are tolerated, and a
    trailing midnight time ("2021-08-17 00:00:00") is dropped. A time of day (a datetime cell,
    "2026-04-01 07:30", a serial with a fraction) is dropped with a note in ``notes``: the date is
    taken in Asia/Shanghai (an aware datetime, or text with "Z"/"+08:00", is converted first).
    A serial counts from 1904-01-01 when ``date1904`` (the workbook's date system). Raises
    ``ParseError`` for an unknown format, an impossible date (2021-02-30), or a date outside
    [``min_date``, ``max_date``].
    """
    if isinstance(value, bool):
        raise ParseError("应为日期")
    if isinstance(value, datetime):
        return _in_range(_date_of(value, notes), min_date, max_date)
    if isinstance(value, date):
        return _in_range(value, min_date, max_date)
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 10_000_000 <= value <= 99_999_999:
            return parse_date(str(int(value)), min_date=min_date, max_date=max_date)
        return _serial_in_range(value, min_date, max_date, date1904, notes)
    text = "".join(_MIDNIGHT.sub("", clean_text(value)).split())
    if re.fullmatch(r"\d{1,6}(\.0+)?", text):
        return _serial_in_range(float(text), min_date, max_date, date1904, notes)
    day = _text_date(text)
    if day is not None:
        return _in_range(day, min_date, max_date)
    timed = _WITH_TIME.fullmatch(clean_text(value))
    if timed is not None:
        day = _text_date("".join(timed["day"].split()))
        if day is not None:
            return _in_range(_timed_text(day, timed, notes), min_date, max_date)
    if _TIME_OF_DAY.search(text):
        raise ParseError("应为日期，不应带时间")
    raise ParseError(DATE_FORMAT_REASON)


def _text_date(text: str) -> date | None:
    for pattern in _DATE_TEXT:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError as exc:
                raise ParseError("不是有效的日期") from exc
    return None


def _timed_text(day: date, timed: re.Match[str], notes: list[str] | None) -> date:
    """The date of text typed with a time, in Asia/Shanghai."""
    zone = timed["zone"]
    offset = ("+00:00" if zone == "Z" else zone) if zone else ""
    clock = f"{int(timed['h']):02d}:{timed['m']}:{timed['s'] or '00'}"
    try:
        moment = datetime.fromisoformat(f"{day.isoformat()}T{clock}{offset}")
    except ValueError as exc:
        raise ParseError("日期后的时间无效") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return _date_of(moment, notes)


def _date_of(moment: datetime, notes: list[str] | None) -> date:
    """The date of a datetime in Asia/Shanghai; a time other than midnight is noted."""
    if moment.tzinfo is not None:
        local = moment.astimezone(LOCAL_ZONE)
        if notes is not None and local.date() != moment.date():
            notes.append(
                f"带时区的时间 {moment.isoformat()} 已换算为北京时间 "
                f"{local.strftime('%Y-%m-%d %H:%M')}"
            )
        moment = local.replace(tzinfo=None)
    if moment.time() != datetime.min.time() and notes is not None:
        notes.append(
            f"日期带有时间 {moment.strftime('%H:%M')}，已只取日期 {moment.date().isoformat()}"
            "（北京时间）"
        )
    return moment.date()


def from_excel_serial(serial: float, *, date1904: bool = False) -> date:
    """The date of an Excel serial day number (1900 date system, or 1904 when ``date1904``).

    1900 system: serial 1 is 1900-01-01; Excel counts a 1900-02-29 that never was (serial 60),
    so serials from 61 on are days since 1899-12-30. 1904 system: days since 1904-01-01. A
    fraction (a time of day) is dropped. Raises ``ParseError`` for serial 60 (1900 system), or a
    serial below 1 (0 in 1904) or after 9999-12-31.
    """
    days = math.floor(serial)
    if date1904:
        if days < 0 or days > 2_957_003:
            raise ParseError("不是有效的日期（Excel 日期序号超出范围）")
        return EXCEL_EPOCH_1904 + timedelta(days=days)
    if days == 60:
        raise ParseError("不是有效的日期（Excel 序号60是不存在的1900年2月29日）")
    if days < 1 or days > 2_958_465:
        raise ParseError("不是有效的日期（Excel 日期序号超出范围）")
    return EXCEL_EPOCH + timedelta(days=days + 1 if days < 60 else days)


def to_excel_serial(day: date) -> int:
    """The Excel serial number of ``day`` (inverse of ``from_excel_serial``)."""
    days = (day - EXCEL_EPOCH).days
    return days - 1 if days <= 60 else days


def _serial_in_range(
    serial: float, min_date: date, max_date: date, date1904: bool, notes: list[str] | None
) -> date:
    day = from_excel_serial(serial, date1904=date1904)
    if not float(serial).is_integer() and notes is not None:
        notes.append(f"日期序号 {serial} 带有时间，已只取日期 {day.isoformat()}")
    if not min_date <= day <= max_date:
        shown = int(serial) if float(serial).is_integer() else serial
        raise ParseError(
            f"“{shown}”按 Excel 日期序号是{day.isoformat()}，超出合理范围"
            f"（{min_date.year}年至{max_date.year}年）；请填写完整日期，如 2021-08-17"
        )
    return day


def _in_range(day: date, min_date: date, max_date: date) -> date:
    if not min_date <= day <= max_date:
        raise ParseError(
            f"日期{day.isoformat()}超出合理范围（{min_date.year}年至{max_date.year}年）"
        )
    return day


# -- unified social credit code -------------------------------------------------------------


def uscc_check_char(first17: str) -> str:
    """The check character (18th) of a USCC from its first 17 characters (GB 32100-2015)."""
    return str(stdnum_uscc.calc_check_digit(first17))


def code_text(value: Any, what: str, notes: list[str] | None = None) -> str:
    """A code cell as ``compact`` gives it, invisible characters stripped (and noted in
    ``notes``, see ``codes.clean_code``); ``ParseError`` naming any other character a code may
    not hold (only digits and letters), with its position."""
    if isinstance(value, str):
        value, stripped = codes.clean_code(value)
        if stripped and notes is not None:
            notes.append(codes.stripped_note(what, stripped))
    text = compact(value)
    odd = codes.refuse_odd(text, _CODE_CHARS)
    if odd is not None:
        position, char = odd
        raise ParseError(f"{what}第{position}位是{char}，{what}只能由数字和字母组成")
    return text


def parse_uscc(value: Any, notes: list[str] | None = None) -> str:
    """A 统一社会信用代码, upper case without spaces, or ``ParseError`` saying what is wrong.

    Invisible characters are stripped (``code_text``). The check character is verified but the
    expected one is not revealed: a wrong character elsewhere also breaks the check, and
    telling the "right" check character would let a mistyped code pass. An 18-digit personal
    ID number is refused as 疑似身份证号 and shown masked only.
    """
    text = code_text(value, "统一社会信用代码", notes)
    if codes.is_personal_id(text):
        masked = codes.mask_id(text)
        raise ParseError(
            f"疑似身份证号（{masked}）：这一格应填单位的统一社会信用代码，不是个人身份证号码",
            shown=masked,
        )
    if len(text) != 18:
        raise ParseError(f"统一社会信用代码应为18位，这里是{len(text)}位")
    bad = [c for c in text if c not in USCC_ALPHABET]
    if bad:
        hint = {"O": "（字母O应为数字0？）", "I": "（字母I应为数字1？）"}.get(bad[0], "")
        raise ParseError(
            f"统一社会信用代码含有不允许的字符“{bad[0]}”（只用数字和大写字母，"
            f"不用I、O、Z、S、V）{hint}"
        )
    if not text[2:8].isdigit():
        raise ParseError("统一社会信用代码第3-8位（登记管理机关行政区划码）应为数字")
    if uscc_check_char(text[:17]) != text[17]:
        raise ParseError("统一社会信用代码校验位（第18位）不正确，请核对是否有字符抄错")
    return text


# -- licence numbers ------------------------------------------------------------------------

_JY = re.compile(r"JY(\d)(\d{2})(\d{2})(\d{2})(\d{6})(\d)")
_SC = re.compile(r"SC(\d)(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})(\d)")


def is_licence_like(value: Any) -> bool:
    """Whether a cell looks like a JY/SC licence number (starts with JY or SC)."""
    try:
        if isinstance(value, str):
            value = codes.clean_code(value)[0]
        return compact(value).startswith(("JY", "SC"))
    except ParseError:
        return False


def parse_business_licence(value: Any, notes: list[str] | None = None) -> str:
    """A 食品经营许可证编号 "JY" + 14 digits, normalized (upper case, no spaces)."""
    text = code_text(value, "许可证编号", notes)
    if not text.startswith("JY"):
        raise ParseError("食品经营许可证编号应以JY开头")
    match = _JY.fullmatch(text)
    if match is None:
        raise ParseError(
            f"食品经营许可证编号应为JY加14位数字，这里JY后是“{text[2:]}”（{_count(text[2:])}）；"
            f"14位依次为：主体业态代码1位（{_JY_KINDS}）、省2位、市2位、县2位、顺序码6位、"
            "校验码1位（食品经营许可管理办法）"
        )
    kind, province = match[1], match[2]
    if kind not in JY_FORMATS:
        options = "、".join(f"{k}（{v}）" for k, v in JY_FORMATS.items())
        raise ParseError(f"食品经营许可证编号第3位（主体业态代码）应为{options}，这里是{kind}")
    _check_province(province)
    return text


def parse_production_licence(value: Any, notes: list[str] | None = None) -> str:
    """A 食品生产许可证编号 "SC" + 14 digits, normalized (upper case, no spaces)."""
    text = code_text(value, "许可证编号", notes)
    if not text.startswith("SC"):
        raise ParseError("食品生产许可证编号应以SC开头")
    match = _SC.fullmatch(text)
    if match is None:
        raise ParseError(
            f"食品生产许可证编号应为SC加14位数字，这里SC后是“{text[2:]}”（{_count(text[2:])}）；"
            "14位依次为：食品类别编码3位（1开头为食品、2开头为食品添加剂）、省2位、市2位、"
            "县2位、顺序码4位、校验码1位（食品生产许可管理办法）"
        )
    kind, category, province = match[1], int(match[2]), match[3]
    if kind not in SC_CATEGORIES:
        raise ParseError(f"食品生产许可证编号第3位应为1（食品）或2（食品添加剂），这里是{kind}")
    allowed = SC_CATEGORIES[kind]
    if category not in allowed:
        raise ParseError(
            f"食品生产许可证编号第4-5位（类别编号）应在{allowed.start:02d}至"
            f"{allowed.stop - 1:02d}之间，这里是{category:02d}"
        )
    _check_province(province)
    return text


_JY_KINDS = "、".join(f"{k}{v}" for k, v in JY_FORMATS.items())


def _count(rest: str) -> str:
    """How the part after JY/SC falls short: "13位数字" or "含非数字字符"."""
    if rest.isdigit():
        return f"{len(rest)}位数字"
    return f"{len(rest)}个字符，含非数字字符"


def parse_licence(value: Any, notes: list[str] | None = None) -> str:
    """A JY (食品经营) or SC (食品生产) licence number, normalized; ``ParseError`` otherwise."""
    text = code_text(value, "许可证编号", notes)
    if text.startswith("JY"):
        return parse_business_licence(text)
    if text.startswith("SC"):
        return parse_production_licence(text)
    raise ParseError(
        "许可证编号应为JY开头（食品经营许可证）或SC开头（食品生产许可证），后加14位数字"
    )


def _check_province(code: str) -> None:
    if code not in PROVINCE_CODES:
        raise ParseError(f"许可证编号中的省级代码“{code}”不是有效的省（自治区、直辖市）代码")


# -- yes/no ---------------------------------------------------------------------------------


def parse_bool(value: Any) -> bool:
    """是/否 from a cell: a TRUE/FALSE cell, 1/0, or 是/否, Y/N, yes/no, true/false, √/×, 有/无."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = clean_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ParseError("应填“是”或“否”")
