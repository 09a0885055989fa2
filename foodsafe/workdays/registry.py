"""Deadline holders: apps that store a deadline counted in working days register a recompute
function here, so that loading a year's arrangement can recompute them without this bottom
package importing any domain app.

A holder is ``recompute(*, calendar, year, actor) -> (recomputed, changed)``: recompute every
stored deadline whose counting may touch ``year`` with ``calendar``, store the new date,
``deadline_provisional`` and ``deadline_calendar_revision``, write its history as ``actor``, and
say how many it recomputed and how many dates changed.

A holder may also register ``preview(*, calendar, year) -> list[DeadlineChange]``: the same
selection and counting, writing nothing, returning each stored deadline whose date or 暂定 mark
would change. The office's calendar page shows them before a year's arrangement is confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol


class Recompute(Protocol):
    def __call__(self, *, calendar: Any, year: int, actor: Any) -> tuple[int, int]: ...


@dataclass(frozen=True)
class DeadlineChange:
    """One stored deadline a calendar change would move (or confirm): old → new."""

    kind: str  # what holds it, e.g. 整改事项, 投诉举报
    number: str  # its number (never personal data)
    deadline: str  # which deadline, e.g. 整改期限, 受理决定期限
    old: date | None
    old_provisional: bool
    new: date | None
    new_provisional: bool


class Preview(Protocol):
    def __call__(self, *, calendar: Any, year: int) -> list[DeadlineChange]: ...


_holders: dict[str, Recompute] = {}
_previews: dict[str, Preview] = {}


def register_deadline_holder(
    name: str, recompute: Recompute, preview: Preview | None = None
) -> None:
    """Register ``recompute`` (and its dry run ``preview``) under ``name`` (an app label);
    registering again replaces it."""
    _holders[name] = recompute
    if preview is not None:
        _previews[name] = preview
    else:
        _previews.pop(name, None)


def deadline_holders() -> dict[str, Recompute]:
    return dict(_holders)


def deadline_previews() -> dict[str, Preview]:
    return dict(_previews)


__all__ = [
    "Callable",
    "DeadlineChange",
    "deadline_holders",
    "deadline_previews",
    "register_deadline_holder",
]
