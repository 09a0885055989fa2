"""Reads for the import pages: the ledgers with their templates, the import log."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from .ledgers import LEDGERS
from .models import ImportLog

LOG_PAGE_SIZE = 50


@dataclass(frozen=True)
class LedgerEntry:
    name: str
    title: str
    required: str
    optional: str


def ledger_entries() -> list[LedgerEntry]:
    """Every importable ledger with its required and optional column headers."""
    return [
        LedgerEntry(
            name=name,
            title=ledger.title,
            required="、".join(c.header for c in ledger.columns if c.required),
            optional="、".join(c.header for c in ledger.columns if not c.required),
        )
        for name, ledger in LEDGERS.items()
    ]


def templates_available() -> bool:
    """Whether ``foodsafe.imports.templates.ledger_template`` can be offered."""
    try:
        from .templates import ledger_template  # noqa: F401
    except ImportError:
        return False
    return True


def import_log_page(*, page: int | str | None) -> Page:
    """One page of the import log, newest first, with who imported each file."""
    logs = ImportLog.objects.select_related("imported_by").order_by("-imported_at", "-pk")
    return Paginator(logs, LOG_PAGE_SIZE).get_page(page)


def ledger_title(name: str) -> str:
    ledger = LEDGERS.get(name)
    return ledger.title if ledger else name
