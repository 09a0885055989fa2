"""Header names as compared: what a header cell and a ledger column's name reduce to.

A header copied from a web page or another system carries characters nobody sees: a
zero-width space (U+200B), a byte-order mark (U+FEFF; a CSV file joined from two UTF-8 files
with BOM has one before its second header, and some exports put one in every cell), a word
joiner (U+2060). They are stripped like the whitespace, so "\\u200b统一社会信用代码" is the
column 统一社会信用代码, the same characters ``codes.clean_code`` strips from a code.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .codes import INVISIBLE

_HEADER_NOTE = re.compile(r"\((必填|必填项|选填|可选|非必填)\)$")
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE, None))


def normalize_header(cell: Any) -> str:
    """A header cell as compared: NFKC, no whitespace or invisible characters, no "*" marks
    or "(必填)" note, casefolded.

    "＊统一社会信用代码（必填）", " 统一社会　信用代码" and "\\ufeff统一社会信用代码\\u200b" all
    become "统一社会信用代码".
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = unicodedata.normalize("NFKC", str(cell)).translate(_INVISIBLE)
    text = "".join(text.split())
    text = text.strip("*※")
    text = _HEADER_NOTE.sub("", text)
    return text.casefold()
