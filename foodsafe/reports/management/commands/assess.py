"""``foodsafe assess --org CODE --period PERIOD``: the scorecard of an org unit for a period.

Prints a Chinese table (``--format table``, default) or the scorecard's JSON (``--format json``);
``--out DIR`` also writes ``scorecard-<org>-<period>.xlsx``, ``self-evaluation-<org>-<period>.docx``
and ``scorecard-<org>-<period>.json`` and prints their paths (to stderr with ``--format json``,
so stdout stays valid JSON). The period, date, org unit and spec are checked before anything is
computed or written; a bad one exits with status 2 and a one-line message.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.spec import ProgrammeSpec, ProgrammeSpecError, load_programme_spec
from foodsafe.reports.docx import scorecard_to_docx
from foodsafe.reports.text import scorecard_to_text
from foodsafe.reports.xlsx import scorecard_to_xlsx
from foodsafe.scorecard import engine
from foodsafe.scorecard.periods import PeriodError, parse_period
from foodsafe.scorecard.registry import known_metrics
from foodsafe.scorecard.results import Scorecard


def report_paths(out_dir: Path, org: str, period: str) -> dict[str, Path]:
    """The three files ``--out`` writes, by kind."""
    return {
        "xlsx": out_dir / f"scorecard-{org}-{period}.xlsx",
        "docx": out_dir / f"self-evaluation-{org}-{period}.docx",
        "json": out_dir / f"scorecard-{org}-{period}.json",
    }


def scorecard_json(scorecard: Scorecard) -> str:
    return json.dumps(scorecard.to_json(), ensure_ascii=False, indent=2)


def write_reports(scorecard: Scorecard, out_dir: Path, spec: ProgrammeSpec | None) -> list[Path]:
    """Write the workbook, the Word report and the JSON into ``out_dir`` (created if missing).

    Each file is written under a temporary name and renamed, so a failure never leaves a
    half-written report under the final name.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = report_paths(out_dir, scorecard.org_unit.code, scorecard.period.code)
    writers = {
        "xlsx": lambda p: scorecard_to_xlsx(scorecard, p),
        "docx": lambda p: scorecard_to_docx(scorecard, p, spec=spec),
        "json": lambda p: p.write_text(scorecard_json(scorecard) + "\n", encoding="utf-8"),
    }
    written = []
    for kind, path in paths.items():
        partial = path.with_name(f".{path.name}.part")
        try:
            writers[kind](partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        written.append(path)
    return written


class Command(BaseCommand):
    help = (
        "评价一个区划在一个期间的指标（计分卡）。Evaluate the programme's scorecard for an org "
        "unit (its whole subtree) and a period: 2021, 2021S1, 2021Q3 or 202108."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="12位统计用区划代码, e.g. 120101000000")
        parser.add_argument("--period", required=True, help="期间: 2021, 2021S1, 2021Q3, 202108")
        parser.add_argument("--out", default=None, help="写出 xlsx/docx/json 报告的目录")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument(
            "--as-of", default=None, help="数据截至日期 YYYY-MM-DD (default: period end or today)"
        )
        parser.add_argument(
            "--spec", default=None, help="方案规格 YAML (default: settings.FOODSAFE_PROGRAMME_SPEC)"
        )

    def handle(self, *args, **options):
        # Everything the user typed is checked first: nothing is computed or written before.
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(
                    f"无效的日期 {options['as_of']!r}：应为 YYYY-MM-DD (invalid --as-of date)",
                    returncode=2,
                ) from exc
        org = (options["org"] or "").strip()
        if not OrgUnit.objects.filter(code=org).exists():
            raise CommandError(str(engine.UnknownOrgUnit(org)), returncode=2)
        try:
            if options["spec"]:
                spec = load_programme_spec(options["spec"], known_metrics=known_metrics())
            else:
                spec = programme_spec()
        except ProgrammeSpecError as exc:
            raise CommandError(
                f"方案规格无效 (invalid programme spec): {exc}", returncode=2
            ) from exc

        try:
            scorecard = engine.evaluate_scorecard(
                spec=spec, org_unit=org, period=period, as_of=as_of
            )
        except engine.UnknownOrgUnit as exc:
            raise CommandError(str(exc), returncode=2) from exc

        if options["format"] == "json":
            self.stdout.write(scorecard_json(scorecard))
        else:
            self.stdout.write(scorecard_to_text(scorecard), ending="")
        if options["out"]:
            written = write_reports(scorecard, Path(options["out"]), spec)
            stream = self.stderr if options["format"] == "json" else self.stdout
            stream.write("已写入 / Written:")
            for path in written:
                stream.write(f"  {path}")
