"""Derived data that must follow a ledger write in the same transaction.

The survey weights (后分层权重) are computed from the survey answers and the population
figures; an import (or its rollback) of either reweights every wave before it commits, so the
scorecard never reads new answers with the default weight 1 under the label 后分层加权
(h-recompute D3). Data that may lag (the credit files) follows after commit instead
(``lib.changes.announce_after_commit``).
"""

from __future__ import annotations

from collections.abc import Iterable

from foodsafe.surveys.services import survey_weights_refresh

#: Ledgers whose rows the survey weights are computed from.
SURVEY_WEIGHT_INPUTS = frozenset({"surveys", "census_cells", "population"})


def refresh_after_write(*, ledgers: Iterable[str]) -> None:
    """Recompute what the written ``ledgers`` feed, inside the caller's transaction."""
    if SURVEY_WEIGHT_INPUTS.intersection(ledgers):
        survey_weights_refresh()
