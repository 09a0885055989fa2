"""``foodsafe grade``: grade every operator of a year, propose the year-end adjustment, confirm,
export the 风险等级确定表, or check a province's grading spec file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.accounts.permissions import is_office
from foodsafe.riskgrading.adjustment import adjustments_propose
from foodsafe.riskgrading.exports import grading_table_xlsx
from foodsafe.riskgrading.grading import gradings_assess
from foodsafe.riskgrading.in_force import grading_spec
from foodsafe.riskgrading.models import Grading
from foodsafe.riskgrading.services import gradings_confirm_all
from foodsafe.riskgrading.spec import GradingSpecError, load_grading_spec

STEPS = ("assess", "adjust", "confirm-grade", "confirm-next")


class Command(BaseCommand):
    help = (
        "风险分级：评定某年度全部在营经营者（assess）、提出年度调整（adjust）、按建议确认"
        "（confirm-grade / confirm-next）、导出风险等级确定表（--export），或只检查分级方案文件"
        "（--check PATH）。/ Risk grading: grade a year, propose the year-end adjustment, "
        "confirm as proposed, export the table, or check a grading spec file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度 / the year graded")
        parser.add_argument(
            "--step",
            action="append",
            choices=STEPS,
            help="按顺序执行的步骤，可重复（默认 assess） / steps in order, repeatable",
        )
        parser.add_argument("--as", dest="username", help="操作人（创城办用户） / office user")
        parser.add_argument("--export", type=Path, help="导出 .xlsx 到此路径 / write the table")
        parser.add_argument(
            "--check", type=Path, help="只检查分级方案文件 / only validate a grading spec file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            try:
                spec = load_grading_spec(options["check"])
            except GradingSpecError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"OK {spec.label} sha256 {spec.sha256}")
            for name, tag, note in spec.open_parts():
                self.stdout.write(f"  {tag} {name}：{note}")
            return
        year = options["year"]
        if not year:
            raise CommandError("--year 必填 / --year is required")
        spec = grading_spec()
        steps = options["step"] or (["assess"] if not options["export"] else [])
        actor = None
        if steps:
            if not options["username"]:
                raise CommandError("--as 必填：评定和确认由创城办用户执行 / --as USERNAME needed")
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None or not is_office(actor):
                raise CommandError(f"{options['username']!r} 不是创城办用户 / not an office user")
        for step in steps:
            if step == "assess":
                run = gradings_assess(spec=spec, year=year, actor=actor)
            elif step == "adjust":
                run = adjustments_propose(spec=spec, year=year, actor=actor)
            else:
                part = "grade" if step == "confirm-grade" else "next"
                run = gradings_confirm_all(spec=spec, year=year, part=part, actor=actor)
            seconds = (run.finished_at - run.started_at).total_seconds()
            self.stdout.write(f"{step}: {run.rows} 家 / operators, {seconds:.1f} s")
        if options["export"]:
            rows = (
                Grading.objects.filter(year=year)
                .select_related("business", "grade_confirmed_by", "next_confirmed_by")
                .order_by("business__registry_number")
            )
            options["export"].write_bytes(
                grading_table_xlsx(spec, year, rows.iterator(chunk_size=2000))
            )
            self.stdout.write(f"wrote {options['export']}")
