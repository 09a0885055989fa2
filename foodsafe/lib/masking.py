"""Masking of personal data (个人信息, 《个人信息保护法》) for screens, exports and history."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """Mask a phone number, keeping the first 3 and last 4 digits: 13812345678 → 138****5678.

    Numbers of 7 digits or fewer keep only their last 2 digits. Empty stays empty.
    """
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) <= 7:
        return "*" * (len(digits) - 2) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """Mask a personal name, keeping the first character: 张三丰 → 张**."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_text(value: object) -> str:
    """Mask a personal value of unknown kind, as in an import preview cell: a value of mostly
    digits (a phone number, possibly with '-' or spaces) as :func:`mask_phone`, anything else
    as :func:`mask_name`. ``None`` and empty give ""."""
    text = "" if value is None else str(value).strip()
    digits = sum(ch.isdigit() for ch in text)
    if text and digits >= max(3, len(text) // 2):
        return mask_phone(text)
    return mask_name(text)
