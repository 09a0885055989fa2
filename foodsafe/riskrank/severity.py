"""Severity of an inspection finding (检查发现问题的严重程度): high, moderate or low.

The ledgers hold no severity; ``severity.yaml`` ([I], our reading) lists the phrases that make a
finding high or moderate, everything else is low. ``FOODSAFE_RISKRANK_SEVERITY`` names another
file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

DEFAULT_SEVERITY_FILE = Path(__file__).with_name("severity.yaml")


class SeveritySpecError(ValueError):
    """The severity file is malformed; the message names the file and key."""


@dataclass(frozen=True)
class SeveritySpec:
    high: tuple[str, ...]
    moderate: tuple[str, ...]

    def classify(self, description: str, category: str = "") -> str:
        """'high', 'moderate' or 'low' for one finding (first match, high before moderate)."""
        text = f"{description} {category}".casefold()
        if any(p in text for p in self.high):
            return "high"
        if any(p in text for p in self.moderate):
            return "moderate"
        return "low"


def parse_severity(data: object, *, source: str) -> SeveritySpec:
    """Check and build a spec from the YAML's data; ``SeveritySpecError`` names file and key."""
    if not isinstance(data, dict):
        raise SeveritySpecError(f"{source}: the file must be a mapping with keys high, moderate")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("high", "moderate"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
            raise SeveritySpecError(f"{source}: key '{key}' must be a list of non-empty phrases")
        lists[key] = tuple(p.casefold() for p in value)
    return SeveritySpec(high=lists["high"], moderate=lists["moderate"])


@cache
def _load(path: str) -> SeveritySpec:
    with open(path, encoding="utf-8") as f:
        return parse_severity(yaml.safe_load(f), source=path)


def severity_spec() -> SeveritySpec:
    """The spec in force (``FOODSAFE_RISKRANK_SEVERITY`` or the shipped ``severity.yaml``)."""
    path = getattr(settings, "FOODSAFE_RISKRANK_SEVERITY", "") or str(DEFAULT_SEVERITY_FILE)
    return _load(str(path))
