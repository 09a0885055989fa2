"""Mapping profiles (映射配置) as data: how a file in a layout we do not control becomes ledgers.

A profile is a YAML file (see docs/import-profiles.md). It names its **sources** (the kinds of
file it reads: the columns each has, by header and synonyms, and the text encoding of a CSV),
**parameters** given at import time (an org-unit code), computed **values**, row **filters**
that set a row aside with a stated reason, and **steps**: for each ledger it fills, an
expression per ledger column. An expression takes one source (a column, a constant, a template,
a parameter, the first non-blank of several, or a case list) and then optional transforms
(a date format, a value map, score bands, a keyword classification). A step may split one
column into several child rows (the ║-joined 不合格项目 of a sampling notice).

:func:`load_profile` reads and validates a profile; every problem raises :class:`ProfileError`
naming the file and the key (e.g. ``sources.notice.steps[1].fields.category.classify``), in the
style of the programme spec loader. No code is written per profile.
"""

from __future__ import annotations

import hashlib
import re
import string
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

#: Where the profiles shipped with foodsafe live; ``load_profile("sf_health")`` reads one.
PROFILE_DIR = Path(__file__).resolve().parent

_NAME = r"^[a-z][a-z0-9_]*$"


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the key."""

    def __init__(self, path: str | Path, key: str, message: str) -> None:
        self.path, self.key, self.message = str(path), key, message
        super().__init__(f"{path}: {key}: {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# -- conditions ------------------------------------------------------------------------------


class Contains(_Strict):
    """The column's text contains any of ``any`` (case-folded)."""

    column: str
    any: list[str] = Field(min_length=1)


class InList(_Strict):
    """The column's text is one of ``values`` (case-folded, spaces trimmed)."""

    column: str
    values: list[str] = Field(min_length=1)


class Matches(_Strict):
    """The column's text matches the regular expression ``regex`` (``re.search``)."""

    column: str
    regex: str

    @model_validator(mode="after")
    def _compiles(self) -> Matches:
        try:
            re.compile(self.regex)
        except re.error as exc:
            raise ValueError(f"正则表达式无效：{exc}") from None
        return self


class Condition(_Strict):
    """Exactly one test: ``equals`` (two names with the same text), ``blank``, ``present``,
    ``contains``, ``in``, ``matches``, or ``not``/``all``/``any`` of other conditions."""

    equals: list[str] | None = Field(default=None, min_length=2, max_length=2)
    blank: str | None = None
    present: str | None = None
    contains: Contains | None = None
    in_: InList | None = Field(default=None, alias="in")
    matches: Matches | None = None
    not_: Condition | None = Field(default=None, alias="not")
    all: list[Condition] | None = None
    any: list[Condition] | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        given = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "条件须且只须写一种：equals、blank、present、contains、in、matches、not、all、any"
            )
        return self

    def names(self) -> set[str]:
        """The column/value names the condition reads."""
        found: set[str] = set()
        if self.equals:
            found.update(self.equals)
        for name in (self.blank, self.present):
            if name:
                found.add(name)
        for test in (self.contains, self.in_, self.matches):
            if test is not None:
                found.add(test.column)
        for inner in [self.not_] + list(self.all or []) + list(self.any or []):
            if inner is not None:
                found |= inner.names()
        return found


# -- expressions -----------------------------------------------------------------------------


class Band(_Strict):
    """A closed range of numbers ``min``..``max`` that maps to ``value``; ``label`` is a note."""

    min: float
    max: float
    value: Any
    label: str = ""


class Arm(_Strict):
    """One arm of a ``case`` list: when ``when`` holds, the result is ``then``."""

    when: Condition
    then: Expr | str | int | float | bool


class Expr(_Strict):
    """One value computed from a source row.

    Source (exactly one): ``column`` (a source column or computed value), ``value`` (a
    constant), ``template`` (``"SF-{business_id}"``: names in braces are columns, values and
    parameters), ``param``, ``first`` (the first non-blank of several names or expressions),
    ``case`` (the first arm whose condition holds; ``otherwise`` if none).

    Then, for a non-blank result, in this order: ``date`` (strptime formats, first that fits),
    ``map`` (exact text, then case-folded; unmatched text is kept unless ``otherwise`` is
    set), ``bands`` (a number to the band it falls in; outside every band is an error unless
    ``otherwise``), ``classify`` (the first key whose keywords occur in the text; ``otherwise``
    when none does, else an error). A blank result becomes ``default`` (else stays blank).
    """

    column: str | None = None
    value: str | int | float | bool | None = None
    template: str | None = None
    param: str | None = None
    first: list[str | Expr] | None = Field(default=None, min_length=1)
    case: list[Arm] | None = Field(default=None, min_length=1)

    strip: bool = True
    date: list[str] | None = None
    map: dict[str, Any] | None = None
    bands: list[Band] | None = Field(default=None, min_length=1)
    classify: dict[str, list[str]] | None = None
    otherwise: Any = None
    default: Any = None
    #: Keys longer than a ledger allows (issue 18 point 4), applied last to a non-blank text:
    #: ``hash: N`` → the first N hex digits of its SHA-256 (the same text, the same key);
    #: ``truncate: N`` → its first N characters (two keys that share them then collide).
    hash: int | None = Field(default=None, ge=8, le=64)
    truncate: int | None = Field(default=None, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("date"), str):
            data = {**data, "date": [data["date"]]}
        return data

    @model_validator(mode="after")
    def _one_source(self) -> Expr:
        sources = [
            k
            for k in ("column", "template", "param", "first", "case")
            if getattr(self, k) is not None
        ]
        if "value" in self.model_fields_set:
            sources.append("value")
        if len(sources) != 1:
            raise ValueError(
                "表达式须且只须有一个来源：column、value、template、param、first、case"
                f"（实际：{', '.join(sources) or '无'}）"
            )
        transforms = [k for k in ("date", "map", "bands", "classify") if getattr(self, k)]
        if len(transforms) > 1:
            raise ValueError(f"一个表达式只能用一种转换，实际有：{', '.join(transforms)}")
        if self.hash is not None and self.truncate is not None:
            raise ValueError("hash 和 truncate 只能用一个")
        if transforms and self.case is not None:
            raise ValueError("case 不能再加转换：在各分支的 then 里写转换")
        if self.template is not None:
            template_names(self.template)
        for band in self.bands or []:
            if band.min > band.max:
                raise ValueError(f"分段 {band.min}–{band.max} 的下限大于上限")
        return self

    def names(self) -> set[str]:
        """Columns, values and parameters the expression reads."""
        found: set[str] = set()
        if self.column:
            found.add(self.column)
        if self.param:
            found.add(self.param)
        if self.template is not None:
            found |= template_names(self.template)
        for part in self.first or []:
            found |= {part} if isinstance(part, str) else part.names()
        for arm in self.case or []:
            found |= arm.when.names()
            if isinstance(arm.then, Expr):
                found |= arm.then.names()
        return found


def template_names(template: str) -> set[str]:
    """The names in a template's braces; only plain names are allowed (no ``.attr``/``[i]``)."""
    names = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"模板 {template!r} 无效：{exc}") from None
    for _text, name, spec, conversion in parsed:
        if name is None:
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or spec or conversion:
            raise ValueError(
                f"模板 {template!r} 中的 {{{name}}} 无效：只能写 {{列名}}，不能带格式或下标"
            )
        names.add(name)
    return names


# -- sources and steps -----------------------------------------------------------------------


class SourceColumn(_Strict):
    """A column of the source file: its header, other headers for it, required or not."""

    header: str
    synonyms: list[str] = Field(default_factory=list)
    required: bool = False


class Filter(_Strict):
    """Rows for which ``when`` holds are set aside, listed with ``reason`` (a template)."""

    when: Condition
    reason: str


class Split(_Strict):
    """Split a column into child rows: one per item between any of the ``items`` separators;
    each item split again on any of the ``parts`` separators into the names ``names``
    (missing parts are blank; surplus parts stay joined in the last name).

    With ``count: true`` the column holds a number n instead (a count of violations with no
    text): n child rows, the one name numbering them 1..n (at most ``MAX_COUNT``)."""

    column: str
    items: list[str] = Field(default_factory=list)
    parts: list[str] | None = None
    names: list[str] = Field(min_length=1)
    count: bool = False

    @model_validator(mode="before")
    @classmethod
    def _one_separator(cls, data: Any) -> Any:
        for key in ("items", "parts"):
            if isinstance(data, dict) and isinstance(data.get(key), str):
                data = {**data, key: [data[key]]}
        return data

    @model_validator(mode="after")
    def _parts(self) -> Split:
        if self.count:
            if self.items or self.parts or len(self.names) != 1:
                raise ValueError("count: true 时不写 items 和 parts，names 只写一个（序号）")
            return self
        if not self.items:
            raise ValueError("须写 items 分隔符（或用 count: true 按数量拆分）")
        if self.parts is None and len(self.names) != 1:
            raise ValueError("没有 parts 分隔符时 names 只能有一个")
        if any(not s for s in self.items + (self.parts or [])):
            raise ValueError("分隔符不能是空字符串")
        return self


class Existing(_Strict):
    """Rows whose ``field`` (a reference column) names no row in the database are set aside
    with ``reason`` (a template), instead of failing the import."""

    field: str
    reason: str


class Repeats(_Strict):
    """Rows sharing the values of ``fields``: one is kept, the others are set aside with
    ``reason`` (``{first_row}``/``{kept_row}``: the row kept). ``keep``: ``first`` (in file
    order, the default), ``last``, or ``latest`` by the value of ``by`` (a field the step
    fills or a column/value of the row; dates and numbers compare as such, a blank is the
    oldest; on a tie the later row in the file wins)."""

    fields: list[str] = Field(min_length=1)
    reason: str
    keep: str = Field(default="first", pattern=r"^(first|last|latest)$")
    by: str | None = None

    @model_validator(mode="after")
    def _by(self) -> Repeats:
        if (self.keep == "latest") != (self.by is not None):
            raise ValueError("keep: latest 须写 by（按哪一列取最新），其他 keep 不写 by")
        return self


class Numbering(_Strict):
    """Repeats of ``field``'s value get ``format`` (``{value}``, ``{n}``) from the 2nd on."""

    field: str
    format: str = "{value}-{n}"


class Step(_Strict):
    """One ledger filled from a source: ``fields`` maps ledger columns to expressions."""

    ledger: str
    fields: dict[str, Expr]
    split: Split | None = None
    #: Rows of this step only (after ``split``) set aside, each with its reason; the
    #: source's ``filters`` apply to every step.
    filters: list[Filter] = Field(default_factory=list)
    require_existing: list[Existing] = Field(default_factory=list)
    drop_repeats: Repeats | None = None
    number_repeats: Numbering | None = None

    @model_validator(mode="before")
    @classmethod
    def _constants(cls, data: Any) -> Any:
        return _constant_fields(data)


class Source(_Strict):
    """One kind of input file: its columns, computed values, filters and steps."""

    title: str = ""
    file: str = ""
    encoding: str | None = None
    sheet: str | None = None
    columns: dict[str, SourceColumn] = Field(min_length=1)
    values: dict[str, Expr] = Field(default_factory=dict)
    filters: list[Filter] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _constants(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("columns"), dict):
            columns = {
                k: {"header": v} if isinstance(v, str) else v for k, v in data["columns"].items()
            }
            data = {**data, "columns": columns}
        if isinstance(data, dict) and isinstance(data.get("values"), dict):
            data = {**data, "values": _constant_fields({"fields": data["values"]})["fields"]}
        return data


class Parameter(_Strict):
    """A value given at import time (``--param NAME=VALUE``), or its default."""

    help: str = ""
    default: str | None = None
    required: bool = False


class Profile(_Strict):
    """A whole mapping profile; cross-references are checked by :func:`parse_profile`."""

    profile: str = Field(pattern=_NAME)
    version: str
    title: str
    description: str = ""
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    sources: dict[str, Source] = Field(min_length=1)

    # Filled in by the loader, not by the YAML.
    path: str = ""
    sha256: str = ""

    def source_for(self, ledger: str) -> str | None:
        """The name of the source with a step for ``ledger`` (the first such), or None."""
        for name, source in self.sources.items():
            if any(step.ledger == ledger for step in source.steps):
                return name
        return None

    def ledgers(self) -> list[str]:
        return [step.ledger for source in self.sources.values() for step in source.steps]


def _constant_fields(data: Any) -> Any:
    """``field: 餐饮服务`` (a scalar) is shorthand for ``field: {value: 餐饮服务}``."""
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        return data
    fields = {k: v if isinstance(v, dict) else {"value": v} for k, v in data["fields"].items()}
    return {**data, "fields": fields}


Condition.model_rebuild()
Arm.model_rebuild()
Expr.model_rebuild()


# -- loading ---------------------------------------------------------------------------------


def _key_path(loc: Any) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after[_one_source()]", "function-after[_one()]"):
            continue
        elif str(part).startswith(("function-", "union[", "str", "int", "float", "bool")):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"


def parse_profile(data: Any, *, path: str | Path = "<profile>") -> Profile:
    """Validate a profile given as plain data (the parsed YAML).

    Raises :class:`ProfileError` naming ``path`` and the first bad key.
    """
    if not isinstance(data, dict):
        raise ProfileError(path, "(root)", "顶层应为映射 (mapping expected)")
    for key in ("path", "sha256"):
        if key in data:
            raise ProfileError(path, key, "由加载程序填写，不能写在配置文件中 (set by the loader)")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ProfileError(path, _key_path(err["loc"]), err["msg"]) from None
    from .checks import check_references

    check_references(profile, path)
    return profile


def profile_path(name: str | Path) -> Path:
    """The file of a profile: a path to a .yaml file, or the name of a shipped profile."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate
    return PROFILE_DIR / f"{name}.yaml"


def available_profiles() -> list[str]:
    """Names of the profiles shipped with foodsafe."""
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def load_profile(name: str | Path) -> Profile:
    """Read and validate a profile: a shipped one by name (``sf_health``) or a YAML file path.

    Returns a frozen :class:`Profile` with ``path`` and ``sha256`` set. Raises
    :class:`ProfileError` (unknown name, unreadable file, bad YAML, bad key) naming the file
    and the key.
    """
    path = profile_path(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        if path.parent == PROFILE_DIR and not path.exists():
            known = ", ".join(available_profiles())
            raise ProfileError(
                path, "(file)", f"没有名为 {name!s} 的映射配置；可用：{known}"
            ) from None
        raise ProfileError(path, "(file)", f"无法读取: {exc.strerror}") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(yaml)"
        raise ProfileError(path, where, f"YAML 语法错误: {getattr(exc, 'problem', exc)}") from None
    profile = parse_profile(data, path=path)
    return profile.model_copy(update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
