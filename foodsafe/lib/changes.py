"""A notice that ledger rows changed, for the apps above the ledgers that keep derived data.

The ledgers and the import machinery sit below the workflow apps (DESIGN.md Layers) and may not
import them; they send :data:`ledgers_changed` after their transaction commits, and an upper app
(the credit files, 信用档案) connects to it in its ``AppConfig.ready``. Arguments: ``ledgers``
(the import names of the ledgers written, e.g. ``["inspections"]``) and ``since`` (an aware
datetime no later than the first history row written, so a receiver can find the changed rows
by ``history_date >= since``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal

ledgers_changed = Signal()
logger = logging.getLogger(__name__)


def announce_after_commit(*, ledgers: Iterable[str], since: datetime) -> None:
    """Send :data:`ledgers_changed` once the current transaction commits (at once outside
    one). A receiver's failure is logged, never undoing the ledger write that already
    committed (the receiver's own daily run catches up)."""
    names = sorted(set(ledgers))

    def send() -> None:
        for receiver, result in ledgers_changed.send_robust(
            sender=None, ledgers=names, since=since
        ):
            if isinstance(result, Exception):
                logger.error("ledgers_changed receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
