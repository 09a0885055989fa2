"""Shared by the import commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from foodsafe.imports.errors import ImportValidationError


def report_errors(command: BaseCommand, exc: ImportValidationError) -> None:
    """Print every error, one per line (``file:sheet:row:column: value — reason``), and fail."""
    for error in exc.errors:
        command.stderr.write(str(error))
    raise CommandError(f"导入失败，共 {len(exc.errors)} 处错误，未写入任何数据", returncode=1)


def add_scope_arguments(parser) -> None:
    """``--as USERNAME`` and ``--for-unit CODE`` (import scope, docs/import-scope.md)."""
    parser.add_argument(
        "--as",
        dest="username",
        default=None,
        help="按该用户的导入范围导入并记为导入人；不给时为系统身份，范围同创城办（不受限制）"
        " / import with this user's scope (default: the system actor, office scope)",
    )
    parser.add_argument(
        "--for-unit",
        default=None,
        metavar="CODE",
        help="代该责任单位导入，按其范围检查（如 education）/ import under this unit's scope",
    )


def scope_actor(options) -> Any:
    """The user named by ``--as``, or None (the system actor)."""
    if not options.get("username"):
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(username=options["username"]).first()
    if user is None:
        raise CommandError(f"没有用户 {options['username']}", returncode=2)
    return user
