"""Shared by the import commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from foodsafe.imports.error_groups import group_errors
from foodsafe.imports.errors import ImportValidationError

#: Up to this many errors are printed one per line; more are printed grouped by column and
#: reason (the full list with ``-v 2`` or in the ``--errors-out`` report).
LIST_ALL_UP_TO = 20


def report_errors(
    command: BaseCommand, exc: ImportValidationError, *, verbosity: int = 1, report: str = ""
) -> None:
    """Print the errors and fail: every one (``file:sheet:row:column: value — reason``) when
    there are few, else one line per column and reason with the count and the first rows
    (8,987 rows with one reason are one problem), and the full list with ``-v 2``."""
    errors = exc.errors
    grouped = len(errors) > LIST_ALL_UP_TO
    if grouped:
        groups = group_errors(errors)
        command.stderr.write(f"错误汇总（按列和原因，共 {len(groups)} 类）：")
        for group in groups:
            command.stderr.write(f"  {group}")
    if not grouped or verbosity >= 2:
        if grouped:
            command.stderr.write("完整错误清单：")
        for error in errors:
            command.stderr.write(str(error))
    elif report:
        command.stderr.write(f"完整错误清单见错误报告 {report}")
    else:
        command.stderr.write("完整错误清单：加 -v 2 逐行列出，或用 --errors-out FILE 写出错误报告")
    raise CommandError(f"导入失败，共 {len(errors)} 处错误，未写入任何数据", returncode=1)


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
