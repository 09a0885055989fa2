"""The vocabulary of a ledger definition: value types, columns, references and row rules.

A ledger is data: which model it fills, its columns (exact Chinese header → model field, value
type, required or not), its natural key, and the cross-field rules a row must pass. Limits that
the model already knows (text length, decimal places, choices) are read from the model field
when the ledger is bound, so each limit is stated once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from .. import parsers
from ..parsers import ParseError


def model_field(model: type[models.Model], name: str) -> models.Field:
    """The concrete field ``name`` of ``model`` (not a reverse relation)."""
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return found


#: Why a personal column's masked value (e.g. from the error report's copy) is refused.
MASKED_REASON = "这一格是打码后的个人信息（含“*”），请从原文件填入原值后再导入"


class CellError(Exception):
    """A cell's value is not acceptable; ``reason`` is in Chinese. ``shown`` replaces the cell
    in the error list when the cell may not be shown as typed (a personal ID, masked)."""

    def __init__(self, reason: str, *, shown: str | None = None):
        self.reason = reason
        self.shown = shown
        super().__init__(reason)


@dataclass(frozen=True)
class Noted:
    """A parsed value with a note on what was done to the cell (characters stripped, a time of
    day dropped); validation keeps ``value`` and shows ``note`` in the preview."""

    value: Any
    note: str


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

    def describe(self) -> str:
        """The format a cell must have, in Chinese, for a template's instructions."""
        return self.label

    def example(self) -> Any:
        """A value that parses, for a template's example row."""
        return "示例"


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
        if isinstance(raw, float) and raw.is_integer():
            _call(parsers.clean_text, raw)  # a 16+ digit number Excel has already damaged
        text = display(raw)
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(f"长度超过{self.max_length}个字符")
        if self.validator is not None:
            self.validator(text)
        return text

    def describe(self) -> str:
        return f"文本，不超过{self.max_length}个字" if self.max_length else "文本"


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

    def describe(self) -> str:
        return "整数" + _range_text(self.min_value, self.max_value)

    def example(self) -> Any:
        if self.min_value is not None and self.min_value >= 1900:
            return 2021
        return max(1, self.min_value or 0)


def _range_text(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"，{low}至{high}"
    if low is not None:
        return f"，不小于{low}"
    if high is not None:
        return f"，不大于{high}"
    return ""


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

    def describe(self) -> str:
        places = f"，最多{self.decimal_places}位小数" if self.decimal_places is not None else ""
        return "数字" + places + _range_text(self.min_value, None)

    def example(self) -> Any:
        return 1.5 if self.decimal_places != 0 else 1


def _call(parse: Callable[[Any], Any], raw: Any) -> Any:
    """Run a pure parser (``foodsafe.imports.parsers``), turning its error into a CellError."""
    try:
        return parse(raw)
    except ParseError as exc:
        raise CellError(exc.reason, shown=exc.shown) from exc


def _call_noted(parse: Callable[..., Any], raw: Any, **options: Any) -> Any:
    """``_call`` for a parser taking ``notes``: its value, or ``Noted`` when it noted something."""
    notes: list[str] = []
    value = _call(lambda cell: parse(cell, notes=notes, **options), raw)
    return Noted(value, "；".join(notes)) if notes else value


@dataclass(frozen=True)
class DateType(ValueType):
    """A date: a date cell, an Excel serial, or 2021-08-17, 2021/8/17, 2021.8.17, 2021年8月17日.

    See ``parsers.parse_date``. A time of day is dropped (the date in Asia/Shanghai), with a
    note. ``date1904`` reads serial numbers in the 1904 date system (set by validation from the
    workbook's flag).
    """

    label: str = "日期"
    date1904: bool = False
    #: The earliest day taken: 2000-01-01 for the programme's events (its ledgers start in
    #: the 2000s, as ``lib.params``' bounds for forms), 1949-01-01 for days that can lie
    #: decades back (a business's opening, an inspector's joining): ``OLD_DATE``.
    min_date: date = parsers.MIN_EVENT_DATE
    #: A day something happened (an inspection, a complaint received): not after today.
    #: ``False`` for days ahead (有效期至, 保险止期): ``FUTURE_DATE``.
    past: bool = True

    def parse(self, raw: Any) -> Any:  # a date, or Noted
        value = _call_noted(parsers.parse_date, raw, date1904=self.date1904, min_date=self.min_date)
        if self.past:
            self.check_not_future(value.value if isinstance(value, Noted) else value)
        return value

    def check_not_future(self, day: date) -> None:
        today = timezone.localdate()
        if day > today:
            raise CellError(
                f"日期{day.isoformat()}晚于今天（{today.isoformat()}），应填已发生的日期"
            )

    def describe(self) -> str:
        return "日期，如 2021-08-17；也可写 2021/8/17、2021.8.17、2021年8月17日"

    def example(self) -> Any:
        return date(2021, 8, 17)


TRUE_WORDS = parsers.TRUE_WORDS
FALSE_WORDS = parsers.FALSE_WORDS


@dataclass(frozen=True)
class BoolType(ValueType):
    label: str = "是/否"

    def parse(self, raw: Any) -> bool:
        return _call(parsers.parse_bool, raw)

    def describe(self) -> str:
        return "从下拉列表选择“是”或“否”（也接受 Y/N、√/×、1/0）"

    def example(self) -> Any:
        return "是"


@dataclass(frozen=True)
class Uscc(ValueType):
    """A 统一社会信用代码 (GB 32100-2015) with its check character; see ``parsers.parse_uscc``."""

    label: str = "统一社会信用代码"

    def parse(self, raw: Any) -> Any:  # a str, or Noted
        return _call_noted(parsers.parse_uscc, raw)

    def describe(self) -> str:
        return "18位统一社会信用代码（数字和大写字母，含第18位校验位）"

    def example(self) -> Any:
        return "91120101MA05K1234" + parsers.uscc_check_char("91120101MA05K1234")


@dataclass(frozen=True)
class Licence(ValueType):
    """A licence number: JY + 14 digits (食品经营) or SC + 14 digits (食品生产).

    With ``other_allowed`` a value that does not start with JY or SC is kept as text (trimmed,
    at most ``max_length``): the "three smalls" hold local registration cards whose numbers
    follow provincial rules; a ledger rule decides which rows may use them.
    """

    label: str = "许可证编号"
    other_allowed: bool = False
    max_length: int | None = None

    def bind(self, model_field: models.Field | None) -> ValueType:
        if self.max_length is None and model_field is not None and model_field.max_length:
            return replace(self, max_length=model_field.max_length)
        return self

    def parse(self, raw: Any) -> str:
        if isinstance(raw, (date, datetime)):
            raise CellError("应为许可证编号，不能是日期")
        if self.other_allowed and not parsers.is_licence_like(raw):
            text = _call(parsers.clean_text, raw)
            if self.max_length is not None and len(text) > self.max_length:
                raise CellError(f"长度超过{self.max_length}个字符")
            return text
        return _call_noted(parsers.parse_licence, raw)

    def describe(self) -> str:
        text = "JY加14位数字（食品经营许可证）或SC加14位数字（食品生产许可证），共16位"
        if self.other_allowed:
            text += "；食品小作坊、小餐饮、食品摊贩可填登记证或备案卡编号"
        return text

    def example(self) -> Any:
        return "JY11201010012345"


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
        folded = _fold(text)
        for code, label in self.choices:
            if folded == _fold(label) or folded == _fold(code):
                return code
        options = "、".join(label for _code, label in self.choices)
        raise CellError(f"不是有效的选项，可选：{options}")

    def labels(self) -> list[str]:
        return [label for _code, label in self.choices]

    def describe(self) -> str:
        return f"从下拉列表选择：{'、'.join(self.labels())}"

    def example(self) -> Any:
        return self.choices[0][1] if self.choices else ""


def _fold(text: str) -> str:
    """Text as compared for a choice: NFKC, no whitespace, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


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

    def describe(self) -> str:
        model = self.model_class()
        key = model_field(model, self.key).verbose_name
        return f"须为系统中已有的{model._meta.verbose_name}的{key}"

    def example(self) -> Any:
        return self.key_type.example()


# -- columns, lookups, rules ------------------------------------------------------------------

TEXT = Text()
INT = Int()
DECIMAL = Dec()
DATE = DateType()
#: A day that can lie decades back (开业日期, 入职日期): 1949 to today.
OLD_DATE = DateType(min_date=parsers.MIN_DATE)
#: A day that can lie ahead (有效期至, 保险止期, 延期后办案期限): 2000 to 2100.
FUTURE_DATE = DateType(past=False)
BOOL = BoolType()


@dataclass(frozen=True)
class Column:
    """One column: the exact header in the file, the field it fills, its type, required or not.

    ``field`` is a model field name, or a name starting with "_" for a value used only by a
    lookup or rule. ``unique`` columns (other than the natural key) must not repeat in the file
    nor belong to another row in the database. ``synonyms`` are other headers people write for
    the same column (matched like the header: spaces, full-width forms and "*" ignored).
    ``help`` says what the column means (for the template's instructions) and ``example`` is
    the value shown in its example row (default: the type's example). ``personal`` columns hold
    personal data (个人信息, e.g. a complainant's name): masked in the preview and its errors.
    """

    header: str
    field: str
    type: ValueType = TEXT
    required: bool = False
    unique: bool = False
    synonyms: tuple[str, ...] = ()
    help: str = ""
    example: Any = None
    personal: bool = False

    def example_value(self) -> Any:
        return self.type.example() if self.example is None else self.example

    def parser(self) -> Callable[[Any], Any]:
        """The cell parser: the type's, refusing for a ``personal`` column a masked value
        ("*" is in no name or phone number; the error report and the pages show them masked,
        and a report imported again as it is must not overwrite the real value)."""
        parse = self.type.parse
        if not self.personal:
            return parse

        def refuse_masked(cell: Any) -> Any:
            if isinstance(cell, str) and "*" in cell:
                raise CellError(MASKED_REASON, shown=cell)
            return parse(cell)

        return refuse_masked

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
