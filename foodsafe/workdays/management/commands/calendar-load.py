"""``foodsafe calendar-load FILE --user NAME``: load a year's holiday arrangement from the sheet
and recompute the stored deadlines it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.workdays.services import arrangement_load
from foodsafe.workdays.sheets import arrangement_read


class Command(BaseCommand):
    help = (
        "载入节假日安排表（calendar-template 生成的模板），替换该年的安排并重算受影响的期限 / "
        "Load a year's holiday arrangement and recompute the deadlines it changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--user", default=None, help="记为载入人的用户名 / recorded as loaded by"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有用户 {options['user']!r} / no such user")
        try:
            with path.open("rb") as stream:
                sheet = arrangement_read(stream, filename=path.name)
            result = arrangement_load(
                year=sheet.year, days=sheet.days, source=sheet.source, actor=actor
            )
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror}") from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"已载入 {result.year} 年节假日安排：放假 {result.holidays} 天，调休上班 "
            f"{result.workdays} 天；日历版本 {result.revision}；重算期限 {result.recomputed} 项，"
            f"其中变化 {result.changed} 项 / loaded"
        )
