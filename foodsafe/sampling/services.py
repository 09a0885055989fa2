"""Writes of the sampling ledger outside imports: giving old rows their category code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .categories import UnknownCategory, category_tree
from .models import SamplingBatch


class CategoryMapError(ValueError):
    """Some rows' category names are not in the tree; nothing was written."""

    def __init__(self, unknown: dict[str, list[str]]):
        self.unknown = unknown
        lines = [
            f"“{name}”（{len(numbers)} 批，如 {'、'.join(numbers[:3])}）"
            for name, numbers in sorted(unknown.items())
        ]
        super().__init__(
            "以下食品大类名称不在食品分类中，未作任何修改；请在导入文件中改为分类中的名称，"
            "或在 food-categories.yaml 中为其添加别名：" + "；".join(lines)
        )


@dataclass
class CategoryMapResult:
    mapped: int = 0
    by_code: dict[str, int] = field(default_factory=dict)


def batch_categories_map(*, actor: Any) -> CategoryMapResult:
    """Give every batch without a category code the code its free-text 食品大类 (and 样品名称)
    stands for in the category tree. All or nothing: one unknown name and nothing is written.

    Raises :class:`CategoryMapError` listing each unknown name with some sample numbers.
    """
    tree = category_tree()
    rows = list(
        SamplingBatch.objects.filter(category_code__isnull=True).only(
            "pk", "sample_number", "food_category", "food_name"
        )
    )
    unknown: dict[str, list[str]] = {}
    changes: list[SamplingBatch] = []
    for row in rows:
        try:
            row.category_code = tree.resolve(row.food_category, row.food_name).code
        except UnknownCategory:
            unknown.setdefault(row.food_category, []).append(row.sample_number)
            continue
        changes.append(row)
    if unknown:
        raise CategoryMapError(unknown)
    result = CategoryMapResult(mapped=len(changes))
    with transaction.atomic():
        for row in changes:
            row._history_user = actor  # type: ignore[attr-defined]
            row.save(update_fields=["category_code"])
            result.by_code[row.category_code or ""] = (
                result.by_code.get(row.category_code or "", 0) + 1
            )
    return result
