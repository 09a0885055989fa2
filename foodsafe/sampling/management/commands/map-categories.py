"""``foodsafe map-categories``: give old sampling batches their food-category code."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from foodsafe.sampling.services import CategoryMapError, batch_categories_map


class Command(BaseCommand):
    help = (
        "给尚无食品分类编码的抽检批次按其“食品大类”名称补上编码（全部成功才写入；"
        "不认识的名称逐一列出） / map old batches' free-text categories onto the category tree"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = batch_categories_map(actor=None)
        except CategoryMapError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已补编码 {result.mapped} 批")
