"""Shared by the import commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from foodsafe.imports.errors import ImportValidationError


def report_errors(command: BaseCommand, exc: ImportValidationError) -> None:
    """Print every error, one per line (``file:sheet:row:column: value — reason``), and fail."""
    for error in exc.errors:
        command.stderr.write(str(error))
    raise CommandError(f"导入失败，共 {len(exc.errors)} 处错误，未写入任何数据", returncode=1)
