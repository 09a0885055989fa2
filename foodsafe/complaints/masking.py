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


#: Personal data (个人信息, 《个人信息保护法》) kept in the complaints ledger: never shown or
#: exported in full; only a complaint handler may reveal one record, audited
#: (``services.personal_data_reveal``).
PERSONAL_FIELDS: tuple[str, ...] = ("complainant_name", "complainant_phone")


def mask_text(value: object) -> str:
    """Mask a personal value of unknown kind, as in an import preview cell: a value of mostly
    digits (a phone number, possibly with '-' or spaces) as :func:`mask_phone`, anything else
    as :func:`mask_name`. ``None`` and empty give ""."""
    text = "" if value is None else str(value).strip()
    digits = sum(ch.isdigit() for ch in text)
    if text and digits >= max(3, len(text) // 2):
        return mask_phone(text)
    return mask_name(text)


def mask_field(field: str, value: object) -> str:
    """Mask ``value`` of the complaint field ``field`` (one of :data:`PERSONAL_FIELDS`)."""
    text = "" if value is None else str(value)
    if field == "complainant_phone":
        return mask_phone(text)
    if field == "complainant_name":
        return mask_name(text)
    return mask_text(text)
