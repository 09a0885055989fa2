"""Ledger definitions (台账定义): one per importable ledger, keyed by its name.

``LEDGERS`` is in dependency order: a ledger only references ledgers before it, which is the
order a directory of files must be imported in.
"""

from __future__ import annotations

from ..errors import UnknownLedgerError
from .base import Column, Ledger, Lookup, Ref
from .capacity import (
    CENSUS_CELLS,
    GRAIN_MONITORING,
    GRAIN_STOCKS,
    SCHOOL_CANTEENS,
    STAFF,
    SURVEYS,
    TRAININGS,
)
from .monitoring import (
    DISEASE_EVENTS,
    DRILLS,
    PLAN_REVISIONS,
    SENTINEL_INSTITUTIONS,
    SENTINEL_REPORTS,
)
from .operators import FOOD_HANDLERS, INSURANCE_POLICIES, SYSTEM_CERTIFICATES
from .places import BUSINESSES, ORGUNITS, POPULATION
from .public import COMPLAINTS, INCIDENTS, SELF_INSPECTIONS
from .supervision import CASES, FINDINGS, INSPECTIONS, SAMPLING, TEST_ITEMS

LEDGERS: dict[str, Ledger] = {
    ledger.name: ledger
    for ledger in (
        ORGUNITS,
        POPULATION,
        BUSINESSES,
        INSPECTIONS,
        FINDINGS,
        SAMPLING,
        TEST_ITEMS,
        CASES,
        COMPLAINTS,
        STAFF,
        TRAININGS,
        SCHOOL_CANTEENS,
        GRAIN_STOCKS,
        GRAIN_MONITORING,
        SELF_INSPECTIONS,
        SURVEYS,
        CENSUS_CELLS,
        INCIDENTS,
        INSURANCE_POLICIES,
        FOOD_HANDLERS,
        SYSTEM_CERTIFICATES,
        PLAN_REVISIONS,
        DRILLS,
        SENTINEL_INSTITUTIONS,
        SENTINEL_REPORTS,
        DISEASE_EVENTS,
    )
}


def get_ledger(name: str) -> Ledger:
    """The ledger called ``name``; raises ``UnknownLedgerError`` listing the known names."""
    try:
        return LEDGERS[name]
    except KeyError:
        known = ", ".join(LEDGERS)
        raise UnknownLedgerError(f"未知台账 / unknown ledger {name!r}; known: {known}") from None


__all__ = ["LEDGERS", "Column", "Ledger", "Lookup", "Ref", "get_ledger"]
