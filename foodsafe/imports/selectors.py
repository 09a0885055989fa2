"""Reads for the import pages: the ledgers with their templates, the import log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from foodsafe.accounts.permissions import is_member_unit, is_office, user_unit_id

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


def import_logs_for(user: Any) -> QuerySet[ImportLog]:
    """The import log entries ``user`` may see (issue 9 point 2): the office (and staff, who
    may import for anyone) every entry; a member unit its own unit's imports; anyone else the
    files they imported themselves."""
    logs = ImportLog.objects.select_related("imported_by", "unit", "rolled_back_by")
    if is_office(user) or user.is_staff:
        return logs
    unit_id = user_unit_id(user)
    if is_member_unit(user) and unit_id is not None:
        return logs.filter(unit_id=unit_id)
    return logs.filter(imported_by=user)


def import_log_page(*, user: Any, page: int | str | None, q: str = "", ledger: str = "") -> Page:
    """One page of the import log ``user`` may see, newest first, with who imported each file;
    ``q`` in the file name, the importer's login or the unit's name; ``ledger`` one ledger."""
    logs = import_logs_for(user).order_by("-imported_at", "-pk")
    if q:
        logs = logs.filter(
            Q(file_name__icontains=q)
            | Q(imported_by__username__icontains=q)
            | Q(unit__name__icontains=q)
        )
    if ledger:
        logs = logs.filter(ledger=ledger)
    return Paginator(logs, LOG_PAGE_SIZE).get_page(page)


def ledger_title(name: str) -> str:
    ledger = LEDGERS.get(name)
    return ledger.title if ledger else name
