"""Import scope (导入范围): may this importer import this ledger, and touch these rows?

Issue 9 point 2: "each unit imports only its own data". The rules are configuration
(``scope_config``, ``FOODSAFE_IMPORT_SCOPE``); this module applies them:

- ``import_scope(actor=…, for_unit=…)`` says what one importer may do. The programme office (a
  superuser; staff or a holder of ``imports.add_importlog`` without a role; the command line
  without ``--as``) is unrestricted; a member unit acts
  for its responsible unit; an inspector acts for the unit the file names (``acts_for``).
- ``ledger_allowed`` refuses a ledger the importer may not import, before any row is read.
- ``RowGuard`` checks each chunk about to be written: a row whose org unit is outside the
  importer's subtrees, or an existing row another unit owns (created by another unit's import,
  or, with no import behind it, owned by the ledger's ``owner``), is an error naming the row and
  column. The caller refuses the whole file on any error (all-or-nothing).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import (
    can_import_ledgers,
    member_unit,
    user_division,
    user_role,
)
from foodsafe.orgunits.models import ResponsibleUnit, subtree_prefix

from .errors import ImportValidationError, RowError
from .ledgers import LEDGERS
from .ledgers.base import Enum, Ledger, Ref, display
from .scope_config import import_scope_config, spec_unit_names


class ImportScopeError(ImportValidationError):
    """The importer may not import this ledger; the file was not read."""


@dataclass(frozen=True)
class ImportScope:
    """What one importer may import. ``unit`` is the responsible unit acted for (None: the
    office, unrestricted); ``ledgers`` the ledgers allowed (None: all)."""

    label: str
    unit: ResponsibleUnit | None = None
    ledgers: frozenset[str] | None = None
    org_prefixes: tuple[str, ...] = ()
    #: A 街道 user's division (N7): its rows must lie in it, and a ledger without a division
    #: column cannot be imported by it.
    division: str | None = None

    @property
    def unrestricted(self) -> bool:
        return self.unit is None and self.ledgers is None


OFFICE = ImportScope(label="创城办")


def import_scope(*, actor: Any, for_unit: str | None = None) -> ImportScope:
    """The scope of ``actor`` (a user, or None for the command line's system actor).

    ``for_unit`` (a responsible-unit code) narrows the office's scope to that unit's, so the
    office can import a file on a unit's behalf under the unit's rules; a member unit may only
    name its own unit.
    """
    config = import_scope_config()
    role = user_role(actor) if actor is not None else Role.OFFICE_ADMIN
    if role is None and can_import_ledgers(actor):
        # Staff and holders of imports.add_importlog without a role import as the office did
        # before scopes existed (accounts.permissions.can_import_ledgers).
        role = Role.OFFICE_ADMIN
    if role == Role.OFFICE_ADMIN:
        if for_unit is None:
            return OFFICE
        return _unit_scope(config, _unit(for_unit))
    unit = member_unit(actor) if actor is not None else None
    if role == Role.MEMBER_UNIT and unit is not None:
        if for_unit is not None and for_unit != unit.code:
            raise ImportScopeError(
                [
                    RowError(
                        "",
                        "",
                        0,
                        "",
                        "",
                        f"{unit.name}的用户只能为本单位导入，"
                        f"不能代{unit_labels([for_unit])[for_unit]}导入",
                    )
                ]
            )
        scope = _unit_scope(config, unit)
        division = user_division(actor)
        if division:
            return _division_scope(scope, division)
        return scope
    if role == Role.INSPECTOR:
        unit = _unit(config.inspector_unit)
        return ImportScope(
            label=f"监管人员（{unit.name}）",
            unit=unit,
            ledgers=config.inspector_ledgers,
            org_prefixes=_prefixes(config.org_units_for(unit.code)),
        )
    return ImportScope(label="无导入权限的用户", unit=None, ledgers=frozenset())


def _unit(code: str) -> ResponsibleUnit:
    unit = ResponsibleUnit.objects.filter(code=code).first()
    if unit is None:
        raise ImportScopeError(
            [RowError("", "", 0, "", "", f"无法按该单位的范围导入：{unit_labels([code])[code]}")]
        )
    return unit


def unit_labels(codes: Iterable[str]) -> dict[str, str]:
    """Responsible-unit code → the name people read, for refusal messages.

    The name comes from the database; a code of the scope file with no database row is named
    from the programme spec's ``responsible_units`` (the plan was not loaded yet) and the
    message says so; a code found in neither is shown as the code, saying it is unknown.
    """
    codes = list(codes)
    names = dict(ResponsibleUnit.objects.filter(code__in=codes).values_list("code", "name"))
    labels: dict[str, str] = {}
    spec: dict[str, str] | None = None
    for code in codes:
        if code in names:
            labels[code] = names[code]
            continue
        if spec is None:
            spec = spec_unit_names()
        if code in spec:
            labels[code] = (
                f"{spec[code]}（{code}，该单位尚未载入数据库，请先运行 foodsafe loadprogramme）"
            )
        else:
            labels[code] = (
                f"责任单位代码 {code}（数据库和方案规格中都没有这个单位，请检查导入范围配置）"
            )
    return labels


def _unit_scope(config, unit: ResponsibleUnit) -> ImportScope:
    allowed = frozenset(name for name, entry in config.ledgers.items() if unit.code in entry.units)
    return ImportScope(
        label=unit.name,
        unit=unit,
        ledgers=allowed,
        org_prefixes=_prefixes(config.org_units_for(unit.code)),
    )


def _division_scope(scope: ImportScope, division: str) -> ImportScope:
    """``scope`` narrowed to one 街道 (N7): its rows only in the 街道's subtree, and nothing
    at all if the unit may not import there."""
    prefix = subtree_prefix(division)
    inside = not scope.org_prefixes or prefix.startswith(scope.org_prefixes)
    return ImportScope(
        label=f"{scope.label}（{division}）",
        unit=scope.unit,
        ledgers=scope.ledgers if inside else frozenset(),
        org_prefixes=(prefix,),
        division=division,
    )


class _Owners:
    """Which unit owns each row of a ledger: the unit of the (not undone) import that created
    it, else the ledger's ``owner``. Loaded once from the import log's created-id ranges, so a
    look-up is one ``bisect``."""

    def __init__(self, ledger: str, default: str) -> None:
        from .models import ImportLog

        self.default = default
        ranges: list[tuple[int, int, str]] = []
        logs = ImportLog.objects.filter(
            ledger=ledger, rolled_back_at__isnull=True, unit__isnull=False
        ).values_list("created_ranges", "unit__code")
        for created, code in logs:
            ranges.extend((lo, hi, code) for lo, hi in created or [])
        ranges.sort()
        self.starts = [lo for lo, _hi, _code in ranges]
        self.ranges = ranges

    def owner(self, pk: int) -> str:
        i = bisect_right(self.starts, pk) - 1
        if i >= 0:
            lo, hi, code = self.ranges[i]
            if lo <= pk <= hi:
                return code
        return self.default


def _prefixes(codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(subtree_prefix(code) for code in codes)


def ledger_allowed(scope: ImportScope, ledger: Ledger, *, file_name: str) -> None:
    """Raise ``ImportScopeError`` unless ``scope`` may import ``ledger`` (checked before the
    file is read, so a refused file is never parsed)."""
    if scope.ledgers is None or ledger.name in scope.ledgers:
        return
    config = import_scope_config()
    entry = config.ledgers[ledger.name]
    names = unit_labels(sorted(entry.units))
    who = "、".join(["创城办", *names.values()])
    raise ImportScopeError(
        [
            RowError(
                file_name,
                "",
                0,
                "",
                "",
                f"{scope.label}无权导入“{ledger.title}”台账（可导入的单位：{who}；"
                f"见导入范围配置 {Path(config.path).name}），文件未读取",
            )
        ]
    )


class RowGuard:
    """Checks the rows of one import against ``scope`` before they are written.

    Ownership of an existing row: the unit of the (not undone) import that created it, else the
    ledger's ``owner``. Loaded once per import from the import log's created-id ranges, so a
    chunk costs one ``bisect`` per changed row and one prefix test per row.
    """

    def __init__(self, scope: ImportScope, ledger: Ledger, *, file: str, sheet: str):

        assert scope.unit is not None
        self.scope = scope
        self.unit_code = scope.unit.code
        self.ledger = ledger
        self.file, self.sheet = file, sheet
        self.headers = ledger.headers()
        # An enumeration's stored code shown as the label the file used (不合格, not the code).
        self.labels = {
            c.field: dict(c.type.choices)
            for c in ledger.bound_columns()
            if isinstance(c.type, Enum) and c.type.choices
        }
        config = import_scope_config()
        self.default_owner = config.ledgers[ledger.name].owner
        self.org_field = "org_unit" if any(c.field == "org_unit" for c in ledger.columns) else None
        if ledger.name == "orgunits":
            self.org_field = "code"
        self.owners = _Owners(ledger.name, self.default_owner)
        self.unit_names: dict[str, str] = {}
        self.rule = config.ledgers[ledger.name].rows.get(self.unit_code)
        self.rule_key = f"ledgers.{ledger.name}.rows.{self.unit_code}"
        # The owners of the rows that ``owned_refs`` columns refer to, by the referred ledger.
        self.ref_owners: dict[str, _Owners] = {}
        if self.rule is not None:
            columns = {c.field: c for c in ledger.columns}
            for ref in self.rule.owned_refs:
                model = getattr(columns[ref].type, "model", "")
                other = next(name for name, led in LEDGERS.items() if led.model == model)
                self.ref_owners[ref] = _Owners(other, config.ledgers[other].owner)

    def owner(self, pk: int) -> str:
        return self.owners.owner(pk)

    def errors(
        self,
        create: Sequence[Any],
        update: Sequence[tuple[Any, Any, tuple[Any, ...]]],
        fields: Sequence[str],
    ) -> list[RowError]:
        """Errors for rows to create (``ValidRow``) and to change ((pk, ValidRow, current))."""
        found: list[RowError] = []
        prefixes = self.scope.org_prefixes
        if self.scope.division and self.org_field is None and (create or update):
            # No division column: the rows cannot be placed in the 街道, so none is taken.
            first = next(iter(create), None) or update[0][1]
            found.append(
                self._error(first.row, "", "", f"该台账没有区划列，{self.scope.label}不能导入")
            )
            return found
        if self.org_field is not None and prefixes:
            for row in [*create, *(row for _pk, row, _current in update)]:
                code = row.values.get(self.org_field)
                if code and not str(code).startswith(prefixes):
                    found.append(
                        self._error(
                            row.row,
                            self.org_field,
                            code,
                            f"该行的区划不在{self.scope.label}可导入的范围内，不能新增或修改",
                        )
                    )
        if self.rule is not None:
            found.extend(self._rule_errors([*create, *(row for _pk, row, _current in update)]))
        for pk, row, current in update:
            owner = self.owner(pk)
            if owner == self.unit_code:
                continue
            changed = next(
                (
                    name
                    for i, name in enumerate(fields)
                    if name in row.values and row.values[name] != current[i]
                ),
                fields[0],
            )
            key = "、".join(display(v) for v in row.key)
            if owner not in self.unit_names:
                self.unit_names.update(unit_labels([owner]))
            found.append(
                self._error(
                    row.row,
                    changed,
                    row.values.get(changed),
                    f"该记录（{key}）属于{self.unit_names[owner]}，"
                    f"{self.scope.label}不能修改；整份文件未导入",
                )
            )
        return found

    def _rule_errors(self, rows: Sequence[Any]) -> list[RowError]:
        """Rows outside the unit's ``rows`` rule of the scope file (``RowRule``)."""
        from foodsafe.registry.models import BusinessFormat, FoodBusiness

        rule = self.rule
        assert rule is not None
        found: list[RowError] = []
        formats = rule.business_formats
        if formats is not None:
            allowed = "、".join(str(BusinessFormat(code).label) for code in sorted(formats))
            ids = {row.values["business"] for row in rows if row.values.get("business")}
            format_of = dict(
                FoodBusiness.objects.filter(pk__in=ids).values_list("pk", "business_format")
            )
            labels = dict(BusinessFormat.choices)
            for row in rows:
                own = row.values.get("business_format")
                if own is not None and own not in formats:
                    found.append(
                        self._error(
                            row.row,
                            "business_format",
                            own,
                            f"{self.scope.label}只能导入业态为{allowed}的记录"
                            f"（导入范围配置 {self.rule_key}）；整份文件未导入",
                        )
                    )
                    continue
                business = row.values.get("business")
                if business and format_of.get(business) not in formats:
                    found.append(
                        self._error(
                            row.row,
                            "business",
                            self._natural_key("business", business),
                            f"该经营者的业态为“{labels.get(format_of.get(business) or '', '未知')}”，"
                            f"{self.scope.label}只能导入{allowed}的记录"
                            f"（导入范围配置 {self.rule_key}）；整份文件未导入",
                        )
                    )
        for ref, owners in self.ref_owners.items():
            for row in rows:
                target = row.values.get(ref)
                if target is None:
                    continue
                owner = owners.owner(target)
                if owner == self.unit_code:
                    continue
                if owner not in self.unit_names:
                    self.unit_names.update(unit_labels([owner]))
                found.append(
                    self._error(
                        row.row,
                        ref,
                        self._natural_key(ref, target),
                        f"所引用的记录属于{self.unit_names[owner]}，{self.scope.label}"
                        f"只能为本单位导入的记录导入（导入范围配置 {self.rule_key}）；整份文件未导入",
                    )
                )
        return found

    def _natural_key(self, field: str, pk: Any) -> Any:
        """The value the file wrote for a reference column (登记编号, 抽样单编号), not its pk."""
        ref = next(c.type for c in self.ledger.columns if c.field == field)
        assert isinstance(ref, Ref)
        model = ref.model_class()
        found = model._default_manager.filter(pk=pk).values_list(ref.key, flat=True).first()
        return pk if found is None else found

    def _error(self, row: int, field: str, value: Any, reason: str) -> RowError:
        value = self.labels.get(field, {}).get(value, value)
        return RowError(
            self.file, self.sheet, row, self.headers.get(field, field), display(value), reason
        )
