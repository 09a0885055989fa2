"""Masking of complainants' personal data for screens and exports."""

from __future__ import annotations

from foodsafe.lib.masking import mask_name, mask_phone, mask_text

#: Personal data (个人信息, 《个人信息保护法》) kept in the complaints ledger: never shown or
#: exported in full; only a complaint handler may reveal one record, audited
#: (``services.personal_data_reveal``).
PERSONAL_FIELDS: tuple[str, ...] = ("complainant_name", "complainant_phone", "complainant_address")


def mask_field(field: str, value: object) -> str:
    """Mask ``value`` of the complaint field ``field`` (one of :data:`PERSONAL_FIELDS`)."""
    text = "" if value is None else str(value)
    if field == "complainant_phone":
        return mask_phone(text)
    if field == "complainant_name":
        return mask_name(text)
    return mask_text(text)
