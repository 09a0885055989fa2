"""The vocabulary of a ledger definition: value types, columns, references and row rules.

A ledger is data: which model it fills, its columns (exact Chinese header → model field, value
type, required or not), its natural key, and the cross-field rules a row must pass. Limits that
the model already knows (text length, decimal places, choices) are read from the model field
when the ledger is bound, so each limit is stated once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import models


def model_field(model: type[models.Model], name: str) -> models.Field:
    """The concrete field ``name`` of ``model`` (not a reverse relation)."""
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return found


class CellError(Exception):
    """A cell's value is not acceptable; ``reason`` is in Chinese."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def display(value: Any) -> str:
    """A cell value as the user would read it in the error list."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- value types -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueType:
    """How to turn a non-blank cell into a Python value. ``bind`` reads limits from the field."""

    label: str = "文本"

    def bind(self, model_field: models.Field | None) -> ValueType:
        return self

    def parse(self, raw: Any) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(ValueType):
    """Text, trimmed; numbers typed as numbers (e.g. a code 120101000000) become their digits."""

    label: str = "文本"
    max_length: int | None = None
    validator: Callable[[str], None] | None = None

    def bind(self, model_field: models.Field | None) -> ValueType:
        if self.max_length is None and model_field is not None and model_field.max_length:
            return replace(self, max_length=model_field.max_length)
        return self

    def parse(self, raw: Any) -> str:
        if isinstance(raw, (date, datetime)):
            raise CellError("应为文本，不能是日期")
        text = display(raw)
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(f"长度超过{self.max_length}个字符")
        if self.validator is not None:
            self.validator(text)
        return text


@dataclass(frozen=True)
class Int(ValueType):
    label: str = "整数"
    min_value: int | None = None
    max_value: int | None = None

    def bind(self, model_field: models.Field | None) -> ValueType:
        positive = (models.PositiveIntegerField, models.PositiveSmallIntegerField)
        if self.min_value is None and isinstance(model_field, positive):
            return replace(self, min_value=0)
        return self

    def parse(self, raw: Any) -> int:
        if isinstance(raw, bool) or isinstance(raw, (date, datetime)):
            raise CellError("应为整数")
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float):
            if not raw.is_integer():
                raise CellError("应为整数")
            value = int(raw)
        else:
            text = str(raw).strip().replace(",", "")
            if not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
                raise CellError("应为整数")
            value = int(Decimal(text))
        if self.min_value is not None and value < self.min_value:
            raise CellError(f"不能小于{self.min_value}")
        if self.max_value is not None and value > self.max_value:
            raise CellError(f"不能大于{self.max_value}")
        return value


@dataclass(frozen=True)
class Dec(ValueType):
    """A decimal number; places and digits come from the model's DecimalField."""

    label: str = "数字"
    max_digits: int | None = None
    decimal_places: int | None = None
    min_value: Decimal | None = None

    def bind(self, model_field: models.Field | None) -> ValueType:
        if isinstance(model_field, models.DecimalField) and self.max_digits is None:
            return replace(
                self, max_digits=model_field.max_digits, decimal_places=model_field.decimal_places
            )
        return self

    def parse(self, raw: Any) -> Decimal:
        if isinstance(raw, bool) or isinstance(raw, (date, datetime)):
            raise CellError("应为数字")
        text = repr(raw) if isinstance(raw, float) else str(raw).strip().replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise CellError("应为数字") from exc
        if not value.is_finite():
            raise CellError("应为数字")
        if self.decimal_places is not None:
            exponent = value.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > self.decimal_places:
                raise CellError(f"小数位数不能超过{self.decimal_places}位")
            if self.max_digits is not None:
                whole = len(str(abs(int(value)))) if int(value) else 0
                if whole > self.max_digits - self.decimal_places:
                    raise CellError("数值过大")
        if self.min_value is not None and value < self.min_value:
            raise CellError(f"不能小于{self.min_value}")
        return value


_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


@dataclass(frozen=True)
class DateType(ValueType):
    """A date: an Excel date cell, or text YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYYMMDD.

    A time of day other than midnight is an error: these ledgers hold dates.
    """

    label: str = "日期"

    def parse(self, raw: Any) -> date:
        if isinstance(raw, datetime):
            if raw.time() != datetime.min.time():
                raise CellError("应为日期，不应带时间")
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = display(raw)
        # A text date may carry a midnight time, as some systems export "2021-09-30 00:00:00".
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        for pattern in _DATE_PATTERNS:
            match = pattern.fullmatch(text)
            if match:
                try:
                    return date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError as exc:
                    raise CellError("不是有效的日期") from exc
        raise CellError("日期格式无法识别，应为 YYYY-MM-DD 或 YYYY/M/D")


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×"}


@dataclass(frozen=True)
class BoolType(ValueType):
    label: str = "是/否"

    def parse(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        word = display(raw).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError("应填“是”或“否”")


@dataclass(frozen=True)
class Enum(ValueType):
    """One of a set of choices, written as the Chinese label (食品生产) or the code (production)."""

    label: str = "选项"
    choices: tuple[tuple[str, str], ...] = ()

    def bind(self, model_field: models.Field | None) -> ValueType:
        if not self.choices and model_field is not None and model_field.choices:
            return replace(
                self, choices=tuple((str(c), str(lbl)) for c, lbl in model_field.choices)
            )
        return self

    def parse(self, raw: Any) -> str:
        text = display(raw)
        for code, label in self.choices:
            if text == label or text == code:
                return code
        folded = text.lower()
        for code, _label in self.choices:
            if folded == code.lower():
                return code
        options = "、".join(label for _code, label in self.choices)
        raise CellError(f"不是有效的选项，可选：{options}")


def enum(choices: type[models.Choices]) -> Enum:
    """An enum type from a Django choices class."""
    return Enum(choices=tuple((str(c), str(lbl)) for c, lbl in choices.choices))


@dataclass(frozen=True)
class Ref(ValueType):
    """A reference to a row of another ledger by its natural key (e.g. a business by 登记编号).

    The cell is parsed as ``key_type`` and resolved against a lookup map loaded once per
    import; the row's field gets the referenced row's target value (its pk, or the code for an
    org unit).
    """

    label: str = "引用"
    model: str = ""
    key: str = ""
    key_type: ValueType = field(default_factory=Text)

    def parse(self, raw: Any) -> Any:
        return self.key_type.parse(raw)

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


# -- columns, lookups, rules ------------------------------------------------------------------

TEXT = Text()
INT = Int()
DECIMAL = Dec()
DATE = DateType()
BOOL = BoolType()


@dataclass(frozen=True)
class Column:
    """One column: the exact header in the file, the field it fills, its type, required or not.

    ``field`` is a model field name, or a name starting with "_" for a value used only by a
    lookup or rule. ``unique`` columns (other than the natural key) must not repeat in the file
    nor belong to another row in the database. ``synonyms`` is reserved for header matching.
    """

    header: str
    field: str
    type: ValueType = TEXT
    required: bool = False
    unique: bool = False
    synonyms: tuple[str, ...] = ()

    @property
    def virtual(self) -> bool:
        return self.field.startswith("_")


@dataclass(frozen=True)
class Lookup:
    """A reference by a composite natural key spread over several columns.

    ``sources`` are the row values (field names of columns, usually virtual) matched in order to
    ``keys`` of ``model``; the result goes to ``field``. E.g. a grain-monitoring row finds its
    stock by (库点编号, 库存年度).
    """

    field: str
    model: str
    keys: tuple[str, ...]
    sources: tuple[str, ...]

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


class RuleError(Exception):
    """A row-level rule failed on ``field`` (reported under that field's column)."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(reason)


#: A rule gets the row's values (by field name) and the ledger's headers (by field name) and
#: yields (field, reason) pairs for the problems it finds.
Rule = Callable[[Mapping[str, Any], Mapping[str, str]], list[tuple[str, str]]]
#: A derivation computes further field values from a valid row, or raises ``RuleError``.
Derive = Callable[[Mapping[str, Any]], dict[str, Any]]


def not_before(later: str, earlier: str) -> Rule:
    """Rule: ``later`` is not before ``earlier`` when both are set (mirrors a CheckConstraint)."""

    def rule(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
        a, b = values.get(later), values.get(earlier)
        if a is not None and b is not None and a < b:
            return [(later, f"{headers[later]}不能早于{headers[earlier]}（{display(b)}）")]
        return []

    return rule


def requires(field_name: str, other: str) -> Rule:
    """Rule: when ``field_name`` is set, ``other`` must be set too."""

    def rule(values: Mapping[str, Any], headers: Mapping[str, str]) -> list[tuple[str, str]]:
        if values.get(field_name) is not None and values.get(other) is None:
            return [(field_name, f"填写了{headers[field_name]}，{headers[other]}不能为空")]
        return []

    return rule


@dataclass(frozen=True)
class Ledger:
    """A ledger (台账) definition: the file layout and how its rows land in ``model``.

    ``key`` lists the fields of the natural key rows are upserted by. ``derived`` names the
    fields ``derive`` fills (they count when deciding whether a row changed). ``sort`` orders
    rows before writing (e.g. parents before children).
    """

    name: str
    title: str
    model: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    lookups: tuple[Lookup, ...] = ()
    rules: tuple[Rule, ...] = ()
    derive: Derive | None = None
    derived: tuple[str, ...] = ()
    sort: Callable[[Mapping[str, Any]], Any] | None = None

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def headers(self) -> dict[str, str]:
        """Field name → header, for columns and for lookup targets (their first source)."""
        result = {c.field: c.header for c in self.columns}
        for lookup in self.lookups:
            result.setdefault(lookup.field, result.get(lookup.sources[0], lookup.field))
        return result

    def bound_columns(self) -> tuple[Column, ...]:
        """The columns with types bound to their model fields (limits, choices)."""
        model = self.model_class()
        bound = []
        for column in self.columns:
            target = None if column.virtual else model_field(model, column.field)
            bound.append(replace(column, type=column.type.bind(target)))
        return tuple(bound)

    def written_fields(self) -> list[str]:
        """Model field names this ledger writes (columns that are not virtual, lookups, derived)."""
        names = [c.field for c in self.columns if not c.virtual]
        names += [lk.field for lk in self.lookups]
        names += list(self.derived)
        return names
