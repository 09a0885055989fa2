"""Deadline holders: apps that store a deadline counted in working days register a recompute
function here, so that loading a year's arrangement can recompute them without this bottom
package importing any domain app.

A holder is ``recompute(*, calendar, year, actor) -> (recomputed, changed)``: recompute every
stored deadline whose counting may touch ``year`` with ``calendar``, store the new date,
``deadline_provisional`` and ``deadline_calendar_revision``, write its history as ``actor``, and
say how many it recomputed and how many dates changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Recompute(Protocol):
    def __call__(self, *, calendar: Any, year: int, actor: Any) -> tuple[int, int]: ...


_holders: dict[str, Recompute] = {}


def register_deadline_holder(name: str, recompute: Recompute) -> None:
    """Register ``recompute`` under ``name`` (an app label); registering again replaces it."""
    _holders[name] = recompute


def deadline_holders() -> dict[str, Recompute]:
    return dict(_holders)


__all__ = ["Callable", "deadline_holders", "register_deadline_holder"]
