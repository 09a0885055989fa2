"""``foodsafe calendar-template YEAR [--output FILE]``: the holiday-arrangement sheet to fill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.workdays.sheets import arrangement_template


class Command(BaseCommand):
    help = (
        "生成某年的节假日安排表模板（已预填法定节假日），按国务院通知补充调休放假和调休上班日后"
        "用 calendar-load 载入 / Write the holiday-arrangement template for YEAR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--output", "-o", default=None, help="默认 节假日安排-YEAR.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("年份应为 2000–2100 / year must be 2000–2100")
        path = Path(options["output"] or f"节假日安排-{year}.xlsx")
        try:
            path.write_bytes(arrangement_template(year))
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror}") from exc
        self.stdout.write(f"已生成 {path} / written")
