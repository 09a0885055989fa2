"""Codes as typed into real files: 统一社会信用代码, licence numbers, ID-like codes.

A code copied from a web page or a chat message carries characters nobody sees: a zero-width
space (U+200B) from a web page, a byte-order mark (U+FEFF) at the start of a pasted cell, the
apostrophe Excel users type to keep a long number as text, a tab or a no-break space from a
PDF. ``clean_code`` strips those and says which it stripped; any other character a code may not
hold is refused by ``refuse_odd`` naming the character, its code point and its position, so
that the user can find it (the bare "应为18位，这里是19位" did not).

An 18-digit personal ID number (居民身份证号码, GB 11643-1999: 6-digit region, birth date
YYYYMMDD, 3-digit sequence, ISO 7064 MOD 11-2 check digit, verified with python-stdnum's
``cn.ric``) typed where a USCC belongs is refused as 疑似身份证号; the number is shown only
masked (``mask_id``), as PIPL asks of personal data.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from stdnum.cn import ric

#: Characters stripped from a code anywhere in it, with the name a note gives them.
INVISIBLE = {
    "\u200b": "U+200B 零宽空格",
    "\u200c": "U+200C 零宽非连接符",
    "\u200d": "U+200D 零宽连接符",
    "\u2060": "U+2060 零宽不换行空格",
    "\ufeff": "U+FEFF 字节顺序标记（BOM）",
    "\u00a0": "U+00A0 不换行空格",
    "\u3000": "U+3000 全角空格",
    "\t": "制表符",
    "\r": "回车符",
    "\n": "换行符",
}
APOSTROPHE_NOTE = "开头的单引号（'）"
_APOSTROPHES = "'\u2018\u2019"
_STRIP_TABLE = str.maketrans(dict.fromkeys(INVISIBLE, None))


def clean_code(value: str) -> tuple[str, list[str]]:
    """``value`` without invisible characters and a leading apostrophe, and what was stripped.

    "\\u200b91120101MA05K1234B" → ("91120101MA05K1234B", ["U+200B 零宽空格"]). Spaces are left
    to the caller (codes are compared without them anyway).
    """
    stripped = [name for char, name in INVISIBLE.items() if char in value]
    text = value.translate(_STRIP_TABLE) if stripped else value
    bare = text.strip(" ")
    if bare[:1] in _APOSTROPHES and bare[:1]:
        text = bare[1:]
        stripped.append(APOSTROPHE_NOTE)
    return text, stripped


def stripped_note(what: str, stripped: list[str]) -> str:
    """The note for the characters ``clean_code`` stripped from a ``what``."""
    return f"{what}中的不可见字符已去除：{'、'.join(stripped)}"


def describe_char(char: str) -> str:
    """A character as a user can find it: "“·”（U+00B7 MIDDLE DOT）"."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    shown = char if char.isprintable() and not char.isspace() else ""
    return f"“{shown}”（{code}{' ' + name if name else ''}）" if shown else f"（{code} {name}）"


def refuse_odd(text: str, allowed: str) -> tuple[int, str] | None:
    """The 1-based position and description of the first character of ``text`` not in
    ``allowed``, or None."""
    for position, char in enumerate(text, start=1):
        if char not in allowed:
            return position, describe_char(char)
    return None


def is_personal_id(text: str) -> bool:
    """Whether ``text`` is a valid 18-digit 居民身份证号码 (birth date and check digit)."""
    return len(text) == 18 and text[:17].isdigit() and ric.is_valid(text)


def mask_id(text: Any) -> str:
    """An ID-like number with all but its first and last 4 characters hidden:
    120101199003071234 → 1201**********1234."""
    text = str(text)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_if_id(text: str) -> str:
    """``text`` masked when it is a personal ID number once cleaned, else as it is."""
    bare = "".join(clean_code(text)[0].split()).upper()
    return mask_id(bare) if is_personal_id(bare) else text
