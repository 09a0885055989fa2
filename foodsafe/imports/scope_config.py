"""The import scope file (导入范围配置): which role and responsible unit may import which ledger.

The file (setting ``FOODSAFE_IMPORT_SCOPE``, default
``foodsafe/programme/specs/heping-2021.imports.yaml``) is configuration, not code: the district
decides who keeps which ledger (issue 9 point 2). ``import_scope_config()`` loads and validates it
once per path and modification time; a bad file raises ``ScopeConfigError`` naming the file and
the key, and the system check ``imports.E001`` stops start-up on it. Format: docs/import-scope.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from .ledgers import LEDGERS

_UNIT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DIVISION = re.compile(r"^\d{12}$")


class ScopeConfigError(Exception):
    """The scope file is missing or invalid; the message names the file and the key."""


@dataclass(frozen=True)
class RowRule:
    """Which rows of a ledger one unit may create or change (``ledgers.<ledger>.rows.<unit>``).

    ``business_formats``: the row's 业态 (its ``business_format`` column) and the business it
    refers to (its ``business`` column) must be of one of these formats, e.g. 区教育局 imports the
    sampling, health certificates and insurance of school canteens only. ``owned_refs``: columns
    referring to another ledger's row (a test item's batch) whose row must be the unit's own."""

    business_formats: frozenset[str] | None = None
    owned_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class LedgerScope:
    """Who may import one ledger: ``units`` (responsible-unit codes) besides the office, and
    ``owner``, the unit that owns the rows no import created; ``rows``: per unit, which rows
    it may create or change (none listed: any row in its org units)."""

    owner: str
    units: frozenset[str]
    rows: dict[str, RowRule] = field(default_factory=dict)


@dataclass(frozen=True)
class ScopeConfig:
    path: str
    ledgers: dict[str, LedgerScope]
    inspector_ledgers: frozenset[str]
    inspector_unit: str
    #: Responsible-unit code → the org-unit codes whose subtrees its rows may be in.
    org_units: dict[str, tuple[str, ...]]
    default_org_units: tuple[str, ...]

    def org_units_for(self, unit_code: str | None) -> tuple[str, ...]:
        if unit_code is None:
            return self.default_org_units
        return self.org_units.get(unit_code, self.default_org_units)


_cache: dict[tuple[str, float], ScopeConfig] = {}


def import_scope_config(path: str | Path | None = None) -> ScopeConfig:
    """The scope configuration at ``path`` (default: ``settings.FOODSAFE_IMPORT_SCOPE``)."""
    name = str(path or settings.FOODSAFE_IMPORT_SCOPE)
    try:
        stamp = Path(name).stat().st_mtime
    except OSError as exc:
        raise ScopeConfigError(f"导入范围配置 {name}：无法读取（{exc.strerror}）") from exc
    cached = _cache.get((name, stamp))
    if cached is None:
        cached = _cache[(name, stamp)] = _load(name)
    return cached


_spec_names: dict[tuple[str, float], dict[str, str]] = {}


def spec_unit_names() -> dict[str, str]:
    """Code → name of the programme spec's ``responsible_units`` (``FOODSAFE_PROGRAMME_SPEC``),
    read as plain YAML (the imports layer sits below the programme layer); {} when unreadable.
    Used to name a unit of the scope file that has no database row yet."""
    name = str(settings.FOODSAFE_PROGRAMME_SPEC)
    try:
        stamp = Path(name).stat().st_mtime
        cached = _spec_names.get((name, stamp))
        if cached is None:
            data = yaml.safe_load(Path(name).read_text(encoding="utf-8")) or {}
            units = data.get("responsible_units", []) if isinstance(data, dict) else []
            cached = _spec_names[(name, stamp)] = {
                str(u["code"]): str(u["name"])
                for u in units
                if isinstance(u, dict) and "code" in u and "name" in u
            }
    except (OSError, yaml.YAMLError):
        return {}
    return cached


def _load(name: str) -> ScopeConfig:
    def fail(key: str, reason: str) -> ScopeConfigError:
        return ScopeConfigError(f"导入范围配置 {name}，键 {key}：{reason}")

    try:
        data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScopeConfigError(f"导入范围配置 {name}：无法读取（{exc.strerror}）") from exc
    except yaml.YAMLError as exc:
        raise ScopeConfigError(f"导入范围配置 {name}：不是有效的 YAML（{exc}）") from exc
    if not isinstance(data, dict):
        raise fail("(根)", "应为映射（mapping）")
    unknown = set(data) - {"version", "roles", "org_units", "ledgers"}
    if unknown:
        raise fail(sorted(unknown)[0], "未知的键")
    if data.get("version") != 1:
        raise fail("version", "应为 1")

    ledgers_raw = _mapping(data.get("ledgers"), "ledgers", fail)
    ledgers: dict[str, LedgerScope] = {}
    for ledger, entry in ledgers_raw.items():
        key = f"ledgers.{ledger}"
        if ledger not in LEDGERS:
            raise fail(key, f"未知台账，可选：{', '.join(LEDGERS)}")
        entry = _mapping(entry, key, fail)
        if set(entry) - {"owner", "units", "rows"}:
            raise fail(f"{key}.{sorted(set(entry) - {'owner', 'units', 'rows'})[0]}", "未知的键")
        owner = _unit_code(entry.get("owner"), f"{key}.owner", fail)
        units = _codes(entry.get("units", []), f"{key}.units", fail)
        rows = {
            unit: _row_rule(ledger, rule, f"{key}.rows.{unit}", fail)
            for unit, rule in _mapping(entry.get("rows", {}), f"{key}.rows", fail).items()
        }
        for unit in rows:
            if unit not in units:
                raise fail(f"{key}.rows.{unit}", "该单位不在 units 中，不能导入这个台账")
        ledgers[ledger] = LedgerScope(owner=owner, units=frozenset(units), rows=rows)
    missing = [name for name in LEDGERS if name not in ledgers]
    if missing:
        raise fail(f"ledgers.{missing[0]}", "缺少该台账的导入范围（每个台账都要写明）")

    roles = _mapping(data.get("roles", {}), "roles", fail)
    if set(roles) - {"inspector"}:
        raise fail(
            f"roles.{sorted(set(roles) - {'inspector'})[0]}", "未知角色（只可配置 inspector）"
        )
    inspector = _mapping(roles.get("inspector", {}), "roles.inspector", fail)
    inspector_ledgers = inspector.get("ledgers", [])
    if not isinstance(inspector_ledgers, list):
        raise fail("roles.inspector.ledgers", "应为台账名列表")
    for ledger in inspector_ledgers:
        if ledger not in LEDGERS:
            raise fail("roles.inspector.ledgers", f"未知台账 {ledger!r}")
    acts_for = _unit_code(
        inspector.get("acts_for", "market-regulation"), "roles.inspector.acts_for", fail
    )

    org_raw = _mapping(data.get("org_units", {}), "org_units", fail)
    org_units: dict[str, tuple[str, ...]] = {}
    for unit, codes in org_raw.items():
        key = f"org_units.{unit}"
        if not isinstance(codes, list) or not codes:
            raise fail(key, "应为非空的12位区划代码列表")
        for code in codes:
            if not isinstance(code, str) or not _DIVISION.match(code):
                raise fail(key, f"{code!r} 不是12位区划代码（请加引号写成字符串）")
        if unit != "default":
            _unit_code(unit, key, fail)
        org_units[unit] = tuple(codes)
    default = org_units.pop("default", ())
    return ScopeConfig(
        path=name,
        ledgers=ledgers,
        inspector_ledgers=frozenset(inspector_ledgers),
        inspector_unit=acts_for,
        org_units=org_units,
        default_org_units=default,
    )


def _row_rule(ledger: str, value: Any, key: str, fail) -> RowRule:
    from foodsafe.registry.models import BusinessFormat

    rule = _mapping(value, key, fail)
    if set(rule) - {"business_formats", "owned_refs"}:
        raise fail(f"{key}.{sorted(set(rule) - {'business_formats', 'owned_refs'})[0]}", "未知的键")
    fields = {c.field: c for c in LEDGERS[ledger].columns}
    formats = None
    if "business_formats" in rule:
        formats = rule["business_formats"]
        if not isinstance(formats, list) or not formats:
            raise fail(f"{key}.business_formats", "应为非空的业态代码列表")
        for code in formats:
            if code not in BusinessFormat.values:
                raise fail(
                    f"{key}.business_formats",
                    f"{code!r} 不是业态代码，可选：{', '.join(BusinessFormat.values)}",
                )
        if "business" not in fields and "business_format" not in fields:
            raise fail(f"{key}.business_formats", "该台账没有登记编号或业态列")
        formats = frozenset(formats)
    refs = rule.get("owned_refs", [])
    if not isinstance(refs, list):
        raise fail(f"{key}.owned_refs", "应为列名列表")
    for ref in refs:
        model = getattr(fields[ref].type, "model", None) if ref in fields else None
        if not any(other.model == model for other in LEDGERS.values()):
            raise fail(f"{key}.owned_refs", f"{ref!r} 不是引用其他台账记录的列")
    return RowRule(business_formats=formats, owned_refs=tuple(refs))


def _mapping(value: Any, key: str, fail) -> dict[str, Any]:
    if value is None:
        raise fail(key, "缺少该键")
    if not isinstance(value, dict):
        raise fail(key, "应为映射（mapping）")
    return value


def _unit_code(value: Any, key: str, fail) -> str:
    if not isinstance(value, str) or not _UNIT_CODE.match(value):
        raise fail(key, f"{value!r} 不是责任单位代码（如 market-regulation）")
    return value


def _codes(value: Any, key: str, fail) -> list[str]:
    if not isinstance(value, list):
        raise fail(key, "应为责任单位代码列表")
    return [_unit_code(v, key, fail) for v in value]
