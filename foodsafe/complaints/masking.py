"""Masking of complainants' personal data for screens and exports."""

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
