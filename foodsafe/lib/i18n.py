"""Texts the programme spec gives in two languages (``name`` / ``name_en``, ``title`` /
``title_en``, a gap's ``text_zh`` / ``text_en``): the one place that picks the English when
the page is in English and an English text exists, the Chinese otherwise.

The Chinese path returns the Chinese attribute untouched, so Chinese pages stay as they were.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english() -> bool:
    """The active language is English (``en``, ``en-us`` …)."""
    return (get_language() or "").lower().startswith("en")


def pick(zh: str, en: str | None) -> str:
    """``en`` when the page is in English and ``en`` is not empty, else ``zh``."""
    return en if en and english() else zh


def chinese_of(obj: Any, field: str) -> str:
    """``obj.field``, or ``obj.field_zh`` where the Chinese carries the suffix (a gap's text)."""
    if hasattr(obj, field):
        return str(getattr(obj, field))
    return str(getattr(obj, f"{field}_zh"))


def in_language(obj: Any, field: str, english_text: str | None = None) -> str:
    """``obj.field`` in the page's language: ``obj.field_en`` (or ``english_text``, for an
    object that carries no English copy of its own) when the page is in English and that is
    not empty; the Chinese otherwise."""
    zh = chinese_of(obj, field)
    if not english():
        return zh
    en = getattr(obj, f"{field}_en", None) if english_text is None else english_text
    return pick(zh, en)
