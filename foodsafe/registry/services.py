"""Registry services: changes to food businesses that need more than a save.

``food_business_delete`` refuses to delete a business that other ledgers still reference
(the foreign keys are ``on_delete=PROTECT``) and says which ledgers and how many rows, so the
user knows what to deal with first. The admin's delete page shows the same summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError

from .models import FoodBusiness

#: How many referencing rows are named as examples in the admin's summary.
EXAMPLES = 3


@dataclass(frozen=True)
class Reference:
    """``count`` rows of ``ledger`` (its Chinese name) reference the business."""

    ledger: str
    model: str
    count: int
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.ledger} {self.count} 条"


class BusinessInUseError(Exception):
    """The business is still referenced; ``references`` lists by whom. Message in Chinese."""

    def __init__(self, business: FoodBusiness, references: list[Reference]):
        self.business = business
        self.references = references
        listed = "、".join(str(r) for r in references)
        super().__init__(
            f"不能删除食品生产经营者“{business.name}”（登记编号 {business.registry_number}）："
            f"仍有其他台账引用它——{listed}。请先删除或改正这些记录，再删除该经营者。"
        )


def _blocking_relations(model: type[models.Model]) -> list[Any]:
    """Reverse foreign keys into ``model`` that stop a delete (PROTECT or RESTRICT)."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.on_delete in (models.PROTECT, models.RESTRICT)
    ]


def food_business_references(*, business: FoodBusiness, examples: int = 0) -> list[Reference]:
    """Which ledgers reference ``business`` and how many rows each (only those with rows).

    With ``examples`` each reference names that many of its rows (as ``str(row)``).
    """
    found = []
    for relation in _blocking_relations(FoodBusiness):
        rows = relation.related_model._base_manager.filter(**{relation.field.name: business})
        count = rows.count()
        if count:
            shown = tuple(str(row) for row in rows[:examples]) if examples else ()
            found.append(
                Reference(
                    ledger=str(relation.related_model._meta.verbose_name),
                    model=relation.related_model._meta.label,
                    count=count,
                    examples=shown,
                )
            )
    return found


def food_business_delete(*, business: FoodBusiness, actor: Any) -> None:
    """Delete ``business``, recording ``actor`` on its history row.

    Raises ``BusinessInUseError`` naming each ledger that still references it and how many rows
    (sampling batches, inspections, cases, complaints, school canteens, self-inspection
    reports); nothing is deleted then.
    """
    references = food_business_references(business=business)
    if references:
        raise BusinessInUseError(business, references)
    try:
        with transaction.atomic():
            if getattr(actor, "pk", None) is not None:
                business._history_user = actor  # type: ignore[attr-defined]
            business.delete()
    except (ProtectedError, RestrictedError) as exc:  # a reference added meanwhile
        raise BusinessInUseError(business, food_business_references(business=business)) from exc
