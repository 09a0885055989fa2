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


def solve(html: str) -> tuple[str, str]:
    """(token, answer) of the challenge on a page."""
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    q = re.search(r'class="question">([^<]+)<', html).group(1)
    m = re.fullmatch(r"(.+?)(加|减)(.+?)等于几？", q)
    a, b = chinese_to_int(m.group(1)), chinese_to_int(m.group(3))
    return token, str(a + b if m.group(2) == "加" else a - b)
