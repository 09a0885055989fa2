"""Reading and answering the public forms' challenge as a person would (tests, load test)."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"


def chinese_to_int(text: str) -> int:
    """三十七 → 37, 十五 → 15, 四十 → 40, 七 → 7."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(units) if units else 0)
    return DIGITS.index(text)


ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}  # fmt: skip


def english_to_int(text: str) -> int:
    """thirty-seven → 37, fifteen → 15, forty → 40, seven → 7."""
    if text in ONES:
        return ONES.index(text)
    tens, _, units = text.partition("-")
    return TENS[tens] + (ONES.index(units) if units else 0)


def solve(html: str) -> tuple[str, str]:
    """(token, answer) of the challenge on a page, in Chinese or in English."""
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    q = re.search(r'class="question">([^<]+)<', html).group(1)
    m = re.fullmatch(r"(.+?)(加|减)(.+?)等于几？", q)
    if m is None:
        e = re.fullmatch(r"What is ([a-z-]+) (plus|minus) ([a-z-]+)\?", q)
        a, b = english_to_int(e.group(1)), english_to_int(e.group(3))
        return token, str(a + b if e.group(2) == "plus" else a - b)
    a, b = chinese_to_int(m.group(1)), chinese_to_int(m.group(3))
    return token, str(a + b if m.group(2) == "加" else a - b)
