"""``{{ obj|in_language:"name" }}``: a programme text (an indicator's name or reading, an item's
or group's title, a phase's name) in the page's language — the spec's English where the page is
in English and the spec has one, the Chinese otherwise (foodsafe.lib.i18n).

The scorecard's results carry an English copy of some texts only (an indicator's ``name_en``, a
gap's ``text_en``); for the others (an item's or group's title, an indicator's reading) the
English is read from the programme spec in force, by the result's number or code.
"""

from __future__ import annotations

from typing import Any

from django import template

from foodsafe.lib import i18n
from foodsafe.programme.in_force import programme_spec
from foodsafe.scorecard.results import GroupResult, IndicatorResult, ItemResult

register = template.Library()


def _spec_source(obj: Any) -> Any:
    """The spec entry a scorecard result was computed from, or ``None``."""
    spec = programme_spec()
    if isinstance(obj, ItemResult):
        return next((i for i in spec.items if i.number == obj.number), None)
    if isinstance(obj, GroupResult):
        return next((g for g in spec.groups if g.code == obj.code), None)
    if isinstance(obj, IndicatorResult):
        return next((i for i in spec.indicators if i.code == obj.code), None)
    return None


@register.filter
def in_language(obj: Any, field: str) -> str:
    if obj is None:
        return ""
    if not i18n.english() or hasattr(obj, f"{field}_en"):
        return i18n.in_language(obj, field)
    source = _spec_source(obj)
    return i18n.in_language(obj, field, getattr(source, f"{field}_en", "") if source else "")
