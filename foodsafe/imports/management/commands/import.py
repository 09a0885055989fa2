"""``foodsafe import LEDGER FILE [--dry-run] [--sheet NAME] [--errors-out FILE]``: one ledger file.

With ``--profile NAME [--param KEY=VALUE …]`` the file is in a foreign layout and is mapped by
that profile (foodsafe/imports/profiles/, docs/import-profiles.md) into LEDGER and the ledgers
the profile fills from the same file (a sampling notice gives batches and test items).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.imports.error_report import error_workbook
from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.services import FileTooLargeError, check_file_size, ledger_import

from ._common import add_scope_arguments, report_errors, scope_actor
from ._progress import ProgressBar


class Command(BaseCommand):
    help = (
        "导入一个台账文件（.xlsx/.xls/.csv）：先校验全部行，有任何错误则逐行列出并不写入。"
        " / Import one ledger file; all rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger", choices=sorted(LEDGERS), help="台账名 / ledger name")
        parser.add_argument("file", type=Path, help="文件路径 / file to import")
        parser.add_argument("--sheet", default=None, help="工作表名（默认第一个）/ worksheet name")
        parser.add_argument(
            "--dry-run", action="store_true", help="只校验和计数，不写入 / validate and count only"
        )
        parser.add_argument(
            "--profile",
            default=None,
            help="映射配置名或 YAML 路径（如 sampling_notice）/ mapping profile for a foreign layout",
        )
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="映射配置参数，可多次给出 / a profile parameter (repeatable)",
        )
        add_scope_arguments(parser)
        parser.add_argument(
            "--errors-out",
            type=Path,
            default=None,
            help="有错误时写出标注错误单元格的 .xlsx / on errors, write the marked-up file here",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        progress = ProgressBar(self.stderr)
        started = time.monotonic()
        try:
            # The size is checked before the file is read (FOODSAFE_MAX_UPLOAD_BYTES).
            check_file_size(name=path.name, size=path.stat().st_size)
            actor = scope_actor(options)
            if options["profile"]:
                return self._profile_import(options)
            result = ledger_import(
                ledger=options["ledger"],
                path=path,
                dry_run=options["dry_run"],
                sheet=options["sheet"],
                progress=progress,
                actor=actor,
                for_unit=options["for_unit"],
            )
        except KeyboardInterrupt:
            progress.close()
            # The import's transaction was rolled back as the interrupt left it.
            raise CommandError(
                "已中断，未写入任何数据 / interrupted, nothing written", returncode=130
            ) from None
        except FileTooLargeError as exc:
            raise CommandError(exc.errors[0].reason, returncode=1) from exc
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}", returncode=1) from exc
        except ImportValidationError as exc:
            progress.close()
            report = ""
            if options["errors_out"] is not None:
                self._write_error_report(options, exc)
                report = str(options["errors_out"])
            report_errors(self, exc, verbosity=options["verbosity"], report=report)
        progress.close()
        if result.notes:
            self.stdout.write("读取说明 / reading notes:")
            for note in result.notes:
                self.stdout.write(f"  {note}")
        self.stdout.write(result.summary())
        seconds = time.monotonic() - started
        self.stdout.write(
            f"用时 {seconds:.1f} 秒（{result.rows / max(seconds, 1e-6):,.0f} 行/秒）"
            + (f"，导入日志 #{result.log_id}" if result.log_id else "")
        )

    def _profile_import(self, options) -> None:
        """The file through a mapping profile: per step what was imported and what the
        profile's rules set aside and why; ``--errors-out`` gets the errors or, on success,
        every set-aside row (the full lists; the terminal shows them grouped)."""
        from foodsafe.imports.profiles import ProfileError, ProfileUsageError, profile_import

        params = dict(p.partition("=")[::2] for p in options["param"])
        if any(not key.strip() for key in params):
            raise CommandError("--param 应写作 KEY=VALUE", returncode=2)
        started = time.monotonic()
        try:
            result = profile_import(
                profile=options["profile"],
                ledger=options["ledger"],
                path=options["file"],
                params=params,
                dry_run=options["dry_run"],
                sheet=options["sheet"],
                actor=scope_actor(options),
                for_unit=options["for_unit"],
            )
        except (ProfileError, ProfileUsageError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except ImportValidationError as exc:
            report = ""
            if options["errors_out"] is not None:
                self._write_error_report(options, exc)
                report = str(options["errors_out"])
            report_errors(self, exc, verbosity=options["verbosity"], report=report)
        for line in result.step_lines():
            self.stdout.write(line)
        if options["verbosity"] >= 2:
            for rejected in result.rejected:
                self.stdout.write(f"另列 {rejected}")
        if options["errors_out"] is not None and result.rejected:
            data = options["file"].read_bytes()
            workbook = error_workbook(
                data, [], set_aside=result.rejected, steps=result.step_lines()
            )
            options["errors_out"].write_bytes(workbook)
            self.stdout.write(f"另列的行已逐行写入 {options['errors_out']}")
        elif result.rejected and options["verbosity"] < 2:  # with -v 2 they are listed above
            self.stdout.write("逐行清单：加 -v 2 列出，或用 --errors-out FILE 写入报告")
        self.stdout.write(result.summary())
        seconds = time.monotonic() - started
        self.stdout.write(
            f"用时 {seconds:.1f} 秒（读取 {result.rows_read / max(seconds, 1e-6):,.0f} 行/秒）"
        )

    def _write_error_report(self, options, exc: ImportValidationError) -> None:
        try:
            data = options["file"].read_bytes()
        except OSError:
            data = b""
        # A profile's errors name the original file's columns, not the ledger's.
        ledger = None if options["profile"] else options["ledger"]
        report = error_workbook(data, exc.errors, ledger=ledger)
        options["errors_out"].write_bytes(report)
        self.stdout.write(f"错误报告已写入 / error report written to {options['errors_out']}")
