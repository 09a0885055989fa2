"""System check ``imports.E001``: the import scope file (FOODSAFE_IMPORT_SCOPE) must be valid, so
a bad file stops start-up instead of refusing every import at run time."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from .scope_config import ScopeConfigError, import_scope_config


@register()
def import_scope_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        import_scope_config()
    except ScopeConfigError as exc:
        return [
            Error(
                str(exc),
                hint="改正该文件，或把 FOODSAFE_IMPORT_SCOPE 指向有效的导入范围配置"
                "（docs/import-scope.md）",
                id="imports.E001",
            )
        ]
    return []
