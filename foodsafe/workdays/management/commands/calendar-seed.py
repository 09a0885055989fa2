"""``foodsafe calendar-seed``: load the years chinese-calendar covers that are not loaded yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from foodsafe.workdays.services import calendar_seed


class Command(BaseCommand):
    help = (
        "从 chinesecalendar 软件包载入尚未载入的年份的节假日安排（仅作初始数据来源） / "
        "Seed the holiday arrangements chinese-calendar covers that are not loaded yet."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        results = calendar_seed()
        for r in results:
            self.stdout.write(f"已载入 {r.year} 年：放假 {r.holidays} 天，调休上班 {r.workdays} 天")
        self.stdout.write(f"共载入 {len(results)} 年 / {len(results)} years seeded")
