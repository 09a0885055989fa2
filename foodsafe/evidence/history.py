"""The audit trail of an object (django-simple-history) as rows people read on its page:
who, when, and for each tracked field old value → new value.

Used by the evidence and rectification pages until a shared audit partial exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import models

KINDS = {"+": "创建", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    user: str
    kind: str
    changes: tuple[Change, ...]


def _display(field: models.Field[Any, Any], value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[arg-type]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def history_rows(
    records: Iterable[Any], *, model: type[models.Model], fields: Sequence[str]
) -> list[HistoryRow]:
    """Rows newest first from ``records`` (historical records of ``model``, any order, with
    ``history_user`` joined); ``fields``: the tracked fields, whose changes each row lists."""
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    meta = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    rows: list[HistoryRow] = []
    previous: Any = None
    for record in ordered:
        changes = []
        for field in meta:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is None or old != new:
                changes.append(
                    Change(
                        str(field.verbose_name),
                        _display(field, old) if previous is not None else "—",
                        _display(field, new),
                    )
                )
        user = record.history_user
        rows.append(
            HistoryRow(
                at=record.history_date,
                user=(user.get_full_name() or user.get_username()) if user else "（系统）",
                kind=KINDS.get(record.history_type, record.history_type),
                changes=tuple(changes),
            )
        )
        previous = record
    rows.reverse()
    return rows
