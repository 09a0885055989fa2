"""The field reference for profile writers (字段参考), generated from the ledger definitions.

``field_reference(ledgers)`` renders, for each ledger, the names a mapping profile's step may
fill (field name or Chinese header), their type and format with the limits read from the model
(text length, choices), whether required, the key rows are matched by, the headers accepted as
synonyms, and what the ledger references. ``docs/import-fields.md`` is this text for every
ledger; ``foodsafe import-fields [LEDGER] [--write FILE | --check FILE]`` prints, writes or
checks it, and a test fails when the file differs from the definitions, so it cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable

from .ledgers import LEDGERS
from .ledgers.base import Column, Enum, Ledger, Ref

DOC_PATH = "docs/import-fields.md"

HEAD = """# 台账字段参考 (ledger field reference)

<!-- Generated from foodsafe/imports/ledgers by `foodsafe import-fields --write {path}`.
     Do not edit by hand: tests/imports/test_field_reference.py fails when it drifts. -->

Every ledger the importer and the mapping profiles fill, with its columns as a profile's step
names them: by **field** name (`registry_number`) or by the Chinese **表头** (`登记编号`).
Limits (text length, choices) are read from the database model, so they are the ones the
import enforces. A **required** (必填) column must be filled by every step for that ledger.
The **key** (匹配键) is what a row is matched by: importing a row whose key exists updates
that row. A reference column (引用) must name a row that exists, or be set aside with
`require_existing`. How to write a profile: [import-profiles.md](import-profiles.md).

| ledger | 台账 | key 匹配键 |
|---|---|---|
"""


def _type_text(column: Column) -> str:
    kind = column.type
    if isinstance(kind, Enum):
        return "选项：" + "、".join(kind.labels())
    if isinstance(kind, Ref):
        return f"引用：{kind.describe()}"
    return kind.describe()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _key_text(ledger: Ledger) -> str:
    headers = ledger.headers()
    return " + ".join(f"`{k}`（{headers.get(k, k)}）" for k in ledger.key)


def ledger_reference(ledger: Ledger) -> str:
    """The section for one ledger: key, then one table row per column."""
    lines = [
        f"## `{ledger.name}` {ledger.title}",
        "",
        f"Key 匹配键：{_key_text(ledger)}.",
        "",
        "| field | 表头 | 必填 | 类型和格式 | 其他表头（同义） | 说明 |",
        "|---|---|---|---|---|---|",
    ]
    for column in ledger.bound_columns():
        note = column.help
        if column.virtual:
            note = (note + "；" if note else "") + "只用于查找，不单独保存"
        if column.personal:
            note = (
                note + "；" if note else ""
            ) + "个人信息：预览、错误清单和错误报告中打码，打码的值（含“*”）不能导入"
        lines.append(
            "| "
            + " | ".join(
                _cell(part)
                for part in (
                    f"`{column.field}`",
                    column.header,
                    "必填" if column.required else "",
                    _type_text(column),
                    "、".join(column.synonyms),
                    note,
                )
            )
            + " |"
        )
    for lookup in ledger.lookups:
        model = lookup.model_class()._meta.verbose_name
        sources = " + ".join(f"`{s}`" for s in lookup.sources)
        lines += ["", f"The row's {model} is found by {sources}."]
    return "\n".join(lines) + "\n"


def field_reference(names: Iterable[str] | None = None) -> str:
    """The whole reference (every ledger, or those named), as Markdown."""
    chosen = [LEDGERS[n] for n in names] if names is not None else list(LEDGERS.values())
    text = HEAD.format(path=DOC_PATH)
    text += "".join(
        f"| [`{ledger.name}`](#{ledger.name}-{ledger.title}) | {ledger.title} | {_key_text(ledger)} |\n"
        for ledger in chosen
    )
    return text + "".join("\n" + ledger_reference(ledger) for ledger in chosen)
