"""``foodsafe zero-report LEDGER --org CODE --period P --as USER [--note TEXT]``: record a zero
report (零报告) — ``CODE`` had nothing to enter in ``LEDGER`` for period ``P``.

``--as`` names the user it is recorded for (the office, or a user of a unit that reports the
ledger per the spec's ``reporting`` section); refusals and bad input exit with status 1 and a
one-line message.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.completeness.services import zero_report_record
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.spec import ProgrammeSpecError


class Command(BaseCommand):
    help = "填报零报告：某区划某期间某台账无数据可报 / record a zero report"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger", nargs="?", help="台账名，如 incidents / ledger name")
        parser.add_argument("--org", help="12 位区划代码 / org unit code")
        parser.add_argument("--period", help="期间，如 2021、2021Q1 / period")
        parser.add_argument(
            "--file",
            type=Path,
            help="CSV（ledger,org_unit,period,note），逐行填报；已填报的跳过 / one report a row",
        )
        parser.add_argument("--as", dest="user", required=True, help="填报人用户名 / username")
        parser.add_argument("--note", default="", help="说明 / note")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"未知用户 {options['user']!r} / unknown user", returncode=1)
        if options["file"] is not None:
            return self._from_file(options["file"], user)
        if not (options["ledger"] and options["org"] and options["period"]):
            raise CommandError("须给出 LEDGER --org --period，或 --file", returncode=2)
        try:
            report = zero_report_record(
                spec=programme_spec(),
                ledger=options["ledger"],
                org_unit=options["org"],
                period=options["period"],
                note=options["note"],
                actor=user,
            )
        except (PermissionDenied, ValidationError, ProgrammeSpecError) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message, returncode=1) from exc
        self.stdout.write(
            f"已记录零报告：{report.ledger} {report.org_unit_id} {report.period}"
            f"（{user.get_username()}，{report.reported_at:%Y-%m-%d %H:%M}）"
        )

    def _from_file(self, path: Path, user: Any) -> None:
        """Record every row of ``path``; rows already recorded are skipped (a re-run of the
        demo), any other refusal stops with the row number."""
        spec = programme_spec()
        recorded = skipped = 0
        try:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}", returncode=1) from exc
        for number, row in enumerate(rows, start=2):
            try:
                zero_report_record(
                    spec=spec,
                    ledger=row.get("ledger", ""),
                    org_unit=row.get("org_unit", ""),
                    period=row.get("period", ""),
                    note=row.get("note", ""),
                    actor=user,
                )
                recorded += 1
            except ValidationError as exc:
                if exc.code == "duplicate":
                    skipped += 1
                    continue
                raise CommandError(
                    f"{path}:{number}: {'；'.join(exc.messages)}", returncode=1
                ) from exc
            except PermissionDenied as exc:
                raise CommandError(f"{path}:{number}: {exc}", returncode=1) from exc
        self.stdout.write(f"已记录零报告 {recorded} 条，已存在跳过 {skipped} 条（{path}）")
