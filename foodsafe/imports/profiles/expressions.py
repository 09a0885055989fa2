"""Evaluating a mapping profile's expressions on one source row: sources, templates, dates,
conditions (``holds``) and the reasons they give (``TransformError``). Used by
:mod:`foodsafe.imports.profiles.run`."""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..ledgers.base import display
from .spec import Condition, Expr, Source


class TransformError(Exception):
    """An expression cannot be evaluated on a row; ``reason`` is in Chinese, ``value`` the
    text it failed on."""

    def __init__(self, reason: str, value: Any = ""):
        self.reason = reason
        self.value = as_text(value)
        super().__init__(reason)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def as_text(value: Any) -> str:
    return display(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def holds(cond: Condition, ctx: Mapping[str, Any]) -> bool:
    """Whether ``cond`` holds for the row ``ctx`` (source columns, values, parameters)."""
    if cond.equals is not None:
        a, b = (fold(as_text(ctx.get(n))) for n in cond.equals)
        return bool(a) and a == b
    if cond.blank is not None:
        return is_blank(ctx.get(cond.blank))
    if cond.present is not None:
        return not is_blank(ctx.get(cond.present))
    if cond.contains is not None:
        text = fold(as_text(ctx.get(cond.contains.column)))
        return any(fold(k) in text for k in cond.contains.any)
    if cond.in_ is not None:
        text = fold(as_text(ctx.get(cond.in_.column)))
        return text in {fold(v) for v in cond.in_.values}
    if cond.matches is not None:
        return re.search(cond.matches.regex, as_text(ctx.get(cond.matches.column))) is not None
    if cond.not_ is not None:
        return not holds(cond.not_, ctx)
    if cond.all is not None:
        return all(holds(c, ctx) for c in cond.all)
    assert cond.any is not None
    return any(holds(c, ctx) for c in cond.any)


def render(template: str, ctx: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced by the row's text for it."""
    return template.format_map(_TextView(ctx))


class _TextView(dict):
    def __init__(self, ctx: Mapping[str, Any]):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        return as_text(self.ctx.get(key))


def evaluate(expr: Expr, ctx: Mapping[str, Any]) -> Any:
    """The value of ``expr`` for the row ``ctx``; raises ``TransformError``."""
    value = _evaluate(expr, ctx)
    if (expr.hash or expr.truncate) and not is_blank(value):
        text = as_text(value)
        if expr.hash:
            return hashlib.sha256(text.encode("utf-8")).hexdigest()[: expr.hash].upper()
        return text[: expr.truncate]
    return value


def _evaluate(expr: Expr, ctx: Mapping[str, Any]) -> Any:
    value = _source(expr, ctx)
    if isinstance(value, str) and expr.strip:
        value = value.strip()
    if is_blank(value):
        return expr.default
    if expr.date:
        return _as_date(value, expr.date)
    fallback = "otherwise" in expr.model_fields_set
    if expr.map is not None:
        text = as_text(value)
        if text in expr.map:
            return expr.map[text]
        folded = {fold(k): v for k, v in expr.map.items()}
        if fold(text) in folded:
            return folded[fold(text)]
        return expr.otherwise if fallback else value
    if expr.bands:
        try:
            number = Decimal(as_text(value).replace(",", ""))
        except InvalidOperation:
            raise TransformError(f"“{as_text(value)}”不是数字，无法按分段换算", value) from None
        for band in expr.bands:
            if Decimal(str(band.min)) <= number <= Decimal(str(band.max)):
                return band.value
        if fallback:
            return expr.otherwise
        ranges = "、".join(f"{b.min:g}–{b.max:g}" for b in expr.bands)
        raise TransformError(f"{as_text(value)} 不在任何分段内（{ranges}）", value)
    if expr.classify is not None:
        text = fold(as_text(value))
        for key, keywords in expr.classify.items():
            if any(fold(k) in text for k in keywords):
                return key
        if fallback:
            return expr.otherwise
        raise TransformError(f"“{as_text(value)}”不含任何归类关键词", value)
    return value


def _source(expr: Expr, ctx: Mapping[str, Any]) -> Any:
    if expr.column is not None:
        return ctx.get(expr.column)
    if expr.param is not None:
        return ctx.get(expr.param)
    if expr.template is not None:
        names = _template_names(expr.template)
        if any(is_blank(ctx.get(n)) for n in names):
            return None  # a key built from a blank part is no key
        return render(expr.template, ctx)
    if expr.first is not None:
        for part in expr.first:
            value = ctx.get(part) if isinstance(part, str) else evaluate(part, ctx)
            if not is_blank(value):
                return value
        return None
    if expr.case is not None:
        for arm in expr.case:
            if holds(arm.when, ctx):
                return evaluate(arm.then, ctx) if isinstance(arm.then, Expr) else arm.then
        return expr.otherwise
    return expr.value


_NAMES: dict[str, set[str]] = {}


def _template_names(template: str) -> set[str]:
    from .spec import template_names

    found = _NAMES.get(template)
    if found is None:
        found = _NAMES[template] = template_names(template)
    return found


def _as_date(value: Any, formats: list[str]) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time zone)
        except ValueError:
            continue
    raise TransformError(f"日期“{text}”不符合格式 {' 或 '.join(formats)}", text)


def _ordered_names(expr: Expr | str) -> list[str]:
    """The names an expression reads, in the order they are written."""
    if isinstance(expr, str):
        return [expr]
    found: list[str] = []
    if expr.column:
        found.append(expr.column)
    if expr.param:
        found.append(expr.param)
    if expr.template is not None:
        found += [n for _t, n, _s, _c in string.Formatter().parse(expr.template) if n]
    for part in expr.first or []:
        found += _ordered_names(part)
    for arm in expr.case or []:
        found += sorted(arm.when.names())
        if isinstance(arm.then, Expr):
            found += _ordered_names(arm.then)
    return found


def expr_sources(expr: Expr, source: Source, headers: Mapping[str, str] | None = None) -> list[str]:
    """The source columns an expression reads (through computed values too), for messages:
    as headed in the file when ``headers`` (name → header found) is given; a column the file
    lacks then reads 未找到表头“…”. An optional column whose header was renamed in the file
    is blank on every row, and "区划代码：必填项不能为空" on each row did not say why."""
    seen: list[str] = []

    def walk(names: list[str]) -> None:
        for name in names:
            if name in source.columns:
                if headers is None:
                    header = source.columns[name].header
                elif name in headers:
                    header = headers[name]
                else:
                    header = f"未找到表头“{source.columns[name].header}”"
                if header not in seen:
                    seen.append(header)
            elif name in source.values:
                walk(_ordered_names(source.values[name]))

    walk(_ordered_names(expr))
    return seen
