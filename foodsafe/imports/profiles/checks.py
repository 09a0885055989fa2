"""Cross-references of a mapping profile, checked after its shape: every name used exists,
every ledger and ledger column exists, every required ledger column is filled, the checks
name columns the step fills. Each problem raises ``ProfileError`` naming the file and key."""

from __future__ import annotations

from pathlib import Path

from .spec import Profile, ProfileError, template_names


def check_references(profile: Profile, path: str | Path) -> None:
    """Names used by expressions, filters and steps exist; ledger columns exist."""
    from ..ledgers import LEDGERS
    from ..ledgers.base import Ref

    params = set(profile.parameters)
    for src_name, source in profile.sources.items():
        where = f"sources.{src_name}"
        # ``row_number``: the row's number in the file, for a key when the file has none.
        known = set(source.columns) | params | {"row_number"}
        clash = set(source.columns) & params
        if clash:
            raise ProfileError(path, f"{where}.columns", f"列名与参数同名：{', '.join(clash)}")
        for name, expr in source.values.items():
            _check_names(path, f"{where}.values.{name}", expr.names(), known)
            if name in known:
                raise ProfileError(path, f"{where}.values.{name}", "与列名、参数或前面的值同名")
            known.add(name)
        for i, flt in enumerate(source.filters):
            _check_names(path, f"{where}.filters[{i}].when", flt.when.names(), known)
            _check_template(path, f"{where}.filters[{i}].reason", flt.reason, known)
        for i, step in enumerate(source.steps):
            here = f"{where}.steps[{i}]"
            ledger = LEDGERS.get(step.ledger)
            if ledger is None:
                raise ProfileError(
                    path, f"{here}.ledger", f"未知台账 {step.ledger!r}；可用：{', '.join(LEDGERS)}"
                )
            names = set(known)
            if step.split is not None:
                _check_names(path, f"{here}.split.column", {step.split.column}, known)
                clash = set(step.split.names) & known
                if clash:
                    raise ProfileError(
                        path, f"{here}.split.names", f"与列名或值同名：{', '.join(clash)}"
                    )
                names |= set(step.split.names)
            columns = {c.field: c for c in ledger.columns}
            by_header = {c.header: c.field for c in ledger.columns}
            filled: set[str] = set()
            for target, expr in step.fields.items():
                field = by_header.get(target, target)
                if field not in columns:
                    choices = "、".join(f"{c.field}（{c.header}）" for c in ledger.columns)
                    raise ProfileError(
                        path,
                        f"{here}.fields.{target}",
                        f"台账“{ledger.title}”没有这一列；可用：{choices}",
                    )
                if field in filled:
                    raise ProfileError(path, f"{here}.fields.{target}", "同一列写了两次")
                filled.add(field)
                _check_names(path, f"{here}.fields.{target}", expr.names(), names)
            missing = [c.header for c in ledger.columns if c.required and c.field not in filled]
            if missing:
                raise ProfileError(
                    path,
                    f"{here}.fields",
                    f"缺少台账“{ledger.title}”的必填列：{'、'.join(missing)}",
                )

            def step_field(
                key: str,
                value: str,
                here: str = here,
                by_header: dict[str, str] = by_header,
                filled: set[str] = filled,
            ) -> str:
                field = by_header.get(value, value)
                if field not in filled:
                    raise ProfileError(path, f"{here}.{key}", f"{value!r} 不是本步骤填写的列")
                return field

            for j, flt in enumerate(step.filters):
                _check_names(path, f"{here}.filters[{j}].when", flt.when.names(), names)
                _check_template(path, f"{here}.filters[{j}].reason", flt.reason, names)
            for j, existing in enumerate(step.require_existing):
                field = step_field(f"require_existing[{j}].field", existing.field)
                if not isinstance(columns[field].type, Ref):
                    raise ProfileError(
                        path, f"{here}.require_existing[{j}].field", "只能用于引用其他台账的列"
                    )
                _check_template(
                    path, f"{here}.require_existing[{j}].reason", existing.reason, names
                )
            if step.drop_repeats is not None:
                for j, name in enumerate(step.drop_repeats.fields):
                    step_field(f"drop_repeats.fields[{j}]", name)
                _check_template(
                    path,
                    f"{here}.drop_repeats.reason",
                    step.drop_repeats.reason,
                    names | {"first_row", "kept_row"},
                )
                by = step.drop_repeats.by
                if by is not None and by_header.get(by, by) not in filled and by not in names:
                    raise ProfileError(
                        path,
                        f"{here}.drop_repeats.by",
                        f"{by!r} 既不是本步骤填写的列，也不是来源的列或值",
                    )
            if step.number_repeats is not None:
                step_field("number_repeats.field", step.number_repeats.field)
                try:
                    bad = template_names(step.number_repeats.format) - {"value", "n"}
                except ValueError as exc:
                    raise ProfileError(path, f"{here}.number_repeats.format", str(exc)) from None
                if bad:
                    raise ProfileError(
                        path, f"{here}.number_repeats.format", "只能使用 {value} 和 {n}"
                    )


def _check_names(path: str | Path, key: str, used: set[str], known: set[str]) -> None:
    unknown = sorted(used - known)
    if unknown:
        raise ProfileError(
            path, key, f"未定义的名称：{', '.join(unknown)}（可用：{', '.join(sorted(known))}）"
        )


def _check_template(path: str | Path, key: str, template: str, known: set[str]) -> None:
    try:
        used = template_names(template)
    except ValueError as exc:
        raise ProfileError(path, key, str(exc)) from None
    _check_names(path, key, used, known)
