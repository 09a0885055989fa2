"""Running a mapping profile: a foreign file → standard ledger rows → the normal import path.

``profile_import`` reads the file (with the source's declared encoding, if any), finds the
source's columns by header and synonyms (the header row may sit below a title), evaluates the
profile's expressions row by row, sets aside the rows its filters and checks reject (each with
its row number and reason), and writes each step's rows as a standard ledger CSV (the ledger's
own Chinese headers) that it imports with ``services.ledger_import``: the same validation,
upsert, history and import log as a hand-made ledger file. All steps of the source run in one
transaction; an error in any step (not a declared rejection) writes nothing and is reported
against the row of the original file. A dry run does the whole import and rolls it back.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from ..errors import ImportValidationError, RowError
from ..ledgers import get_ledger
from ..ledgers.base import Column, Ledger, Ref, display
from ..readers import ReadError, Table, match_columns, read_table
from ..scope import import_scope, ledger_allowed
from ..services import ImportResult, ledger_import
from ..validation import chunked
from .expressions import TransformError, as_text, evaluate, expr_sources, holds, is_blank, render
from .spec import Expr, Profile, Source, Step, load_profile


@dataclass(frozen=True)
class Rejected:
    """A source row (or one child row of it) that a profile's filters or checks set aside.

    ``ledger`` is the step's ledger ("" for a source filter); ``check`` names the profile
    rule that set it aside (``filters[0]``, ``require_existing[0]``, ``drop_repeats``).
    """

    file: str
    sheet: str
    row: int
    ledger: str
    check: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.sheet}:{self.row}" if self.sheet else f"{self.file}:{self.row}"
        target = f" [{self.ledger}]" if self.ledger else ""
        return f"{where}{target}: {self.reason}"


@dataclass(frozen=True)
class ProfileResult:
    """What a profile import did with one file: per-ledger results and the rows set aside."""

    profile: str
    source: str
    file_name: str
    rows_read: int
    results: tuple[ImportResult, ...]
    rejected: tuple[Rejected, ...]
    dry_run: bool = False

    def summary(self) -> str:
        """One line: rows read, then each ledger's counts. Rows the profile's rules set aside
        are named as such ("按配置规则另列"), not as rows lost: each has its reason."""
        parts = "；".join(r.summary() for r in self.results)
        note = "（试运行，未写入）" if self.dry_run else ""
        aside = (
            f"，其中{len(self.rejected)}行按配置规则另列（逐行有原因，见各步骤说明）"
            if self.rejected
            else ""
        )
        return (
            f"{self.file_name}（映射配置 {self.profile}/{self.source}）：读取{self.rows_read}行"
            f"{aside}{note}。{parts}"
        )

    def step_lines(self) -> list[str]:
        """Per step, what it imported and what its rules set aside and why (first reason of
        each rule); the source's filters first. For the command line and the report."""
        from ..error_groups import group_rejected

        groups = group_rejected(self.rejected)
        lines = []
        filtered = [g for g in groups if not g.ledger]
        for g in filtered:
            lines.append(
                f"来源筛选 {g.check}：另列{g.count}行（第{g.rows_text()}行），如：{g.example}"
            )
        for result in self.results:
            line = (
                f"步骤 {result.ledger}：导入{result.rows}行（新增{result.added}，更新{result.updated}，"
                f"未变{result.unchanged}）"
            )
            mine = [g for g in groups if g.ledger == result.ledger]
            if mine:
                line += "；另列" + "；".join(
                    f"{g.count}行（{g.check}，第{g.rows_text()}行，如：{g.example}）" for g in mine
                )
            lines.append(line)
        return lines


class ProfileUsageError(ValueError):
    """The profile cannot be used as asked (no step for the ledger, a parameter missing)."""


# -- running a profile ------------------------------------------------------------------------


@dataclass
class _Out:
    """One standard ledger row made from a source row (or one split item of it)."""

    row: int
    ctx: dict[str, Any]
    values: dict[str, Any]


@dataclass
class _Run:
    profile: Profile
    source_name: str
    source: Source
    path: Path
    table: Table
    rejected: list[Rejected] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Source column name → its header as written in the file (columns found only).
    headers: dict[str, str] = field(default_factory=dict)
    #: The file's name as the user knows it (an upload is stored under a random name).
    name: str = ""

    def sources(self, expr: Expr) -> list[str]:
        return expr_sources(expr, self.source, self.headers)

    def reject(self, row: int, ledger: str, check: str, reason: str) -> None:
        self.rejected.append(Rejected(self.name, self.table.sheet, row, ledger, check, reason))

    def error(self, row: int, column: str, value: Any, reason: str) -> None:
        self.errors.append(
            RowError(self.name, self.table.sheet, row, column, as_text(value), reason)
        )


def resolve_params(profile: Profile, given: Mapping[str, str] | None) -> dict[str, str]:
    """The profile's parameters: given values over defaults; unknown or missing ones fail."""
    given = dict(given or {})
    unknown = sorted(set(given) - set(profile.parameters))
    if unknown:
        known = ", ".join(profile.parameters) or "无"
        raise ProfileUsageError(
            f"映射配置 {profile.profile} 没有参数 {', '.join(unknown)}（可用：{known}）"
        )
    params: dict[str, str] = {}
    for name, spec in profile.parameters.items():
        value = given.get(name, spec.default)
        if value is None or not str(value).strip():
            if spec.required:
                raise ProfileUsageError(
                    f"映射配置 {profile.profile} 需要参数 {name}（{spec.help}），"
                    f"请用 --param {name}=…"
                )
            value = ""
        params[name] = str(value).strip()
    return params


def pick_source(profile: Profile, *, ledger: str | None, source: str | None) -> str:
    """The source to read: named, or the one with a step for ``ledger``, or the only one."""
    if source is not None:
        if source not in profile.sources:
            raise ProfileUsageError(
                f"映射配置 {profile.profile} 没有来源 {source}（可用：{', '.join(profile.sources)}）"
            )
        return source
    if ledger is not None:
        found = profile.source_for(ledger)
        if found is None:
            raise ProfileUsageError(
                f"映射配置 {profile.profile} 不导入台账 {ledger}"
                f"（它导入：{', '.join(profile.ledgers())}）"
            )
        return found
    if len(profile.sources) == 1:
        return next(iter(profile.sources))
    raise ProfileUsageError(
        f"映射配置 {profile.profile} 有多个来源（{', '.join(profile.sources)}），请指明台账"
    )


def _source_columns(source: Source) -> list[Column]:
    return [
        Column(c.header, name, required=c.required, synonyms=tuple(c.synonyms))
        for name, c in source.columns.items()
    ]


def read_source(
    source: Source, path: Path, *, sheet: str | None = None, name: str | None = None
) -> Table:
    """The source file as a table whose header is found by the source's columns.

    A CSV in a declared ``encoding`` (e.g. cp1252) is decoded with it first: a Latin-1
    "CAFÉ" must not be taken for GB18030. Raises ``ImportValidationError`` naming the file
    ``name`` (default: the path's).
    """
    shown: str = name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportValidationError(
            [RowError(shown, "", 0, "", "", f"无法读取文件：{exc.strerror}")]
        ) from exc
    if source.encoding and not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        try:
            data = b"\xef\xbb\xbf" + data.decode(source.encoding).encode("utf-8")
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportValidationError(
                [RowError(shown, "", 0, "", "", f"文件不是 {source.encoding} 编码：{exc}")]
            ) from exc
    try:
        return read_table(
            path, sheet=sheet or source.sheet, data=data, columns=_source_columns(source)
        )
    except ReadError as exc:
        reason = exc.reason
        if "编码" in reason and not source.encoding:
            # The fix lies in the profile, not in re-saving a file from another system.
            reason += "；或在映射配置的来源中写明编码，如 encoding: cp1252（西文 Windows）"
        raise ImportValidationError(
            [RowError(shown, exc.sheet or sheet or "", 0, "", "", reason)]
        ) from exc


def profile_import(
    *,
    profile: str | Path | Profile,
    path: Path,
    ledger: str | None = None,
    source: str | None = None,
    params: Mapping[str, str] | None = None,
    actor: Any = None,
    dry_run: bool = False,
    sheet: str | None = None,
    for_unit: str | None = None,
    file_name: str | None = None,
) -> ProfileResult:
    """Import ``path`` through a mapping profile; all of its ledgers or none.

    ``profile`` is a shipped profile's name, a YAML path or a loaded ``Profile``; the source
    read is ``source``, else the one with a step for ``ledger``, else the only one. Rows the
    profile's filters and checks set aside are listed in the result; any other problem raises
    ``ImportValidationError`` (located in the original file) and nothing is written.
    ``file_name`` is the name shown in messages and the import log (default: the path's).
    Raises ``ProfileError`` for a bad profile and ``ProfileUsageError`` for a bad request.
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    source_name = pick_source(prof, ledger=ledger, source=source)
    src = prof.sources[source_name]
    # Every ledger the profile fills is checked against the importer's scope before reading.
    scope = import_scope(actor=actor, for_unit=for_unit)
    for step in src.steps:
        ledger_allowed(scope, get_ledger(step.ledger), file_name=file_name or path.name)
    values = resolve_params(prof, params)
    table = read_source(src, path, sheet=sheet, name=file_name)
    run = _Run(prof, source_name, src, path, table, name=file_name or path.name)
    rows = _source_rows(run, values)
    results: list[ImportResult] = []
    with transaction.atomic():
        for step in src.steps:
            out = _step_rows(run, step, rows)
            if run.errors:
                raise ImportValidationError(run.errors)
            out = _checks(run, step, out)
            results.append(_import_step(run, step, out, actor, for_unit))
        if dry_run:
            transaction.set_rollback(True)
            results = [replace(r, dry_run=True, log_id=None) for r in results]
    return ProfileResult(
        profile=prof.profile,
        source=source_name,
        file_name=run.name,
        rows_read=len(rows) + len({r.row for r in run.rejected if not r.ledger}),
        results=tuple(results),
        rejected=tuple(sorted(run.rejected, key=lambda r: (r.row, r.ledger))),
        dry_run=dry_run,
    )


def _source_rows(run: _Run, params: dict[str, str]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, context) of each source row that passes the filters; errors collected."""
    src, table = run.source, run.table
    positions, problems = match_columns(_source_columns(src), table.header)
    run.headers = {name: display(table.header[i]) for name, i in positions.items()}
    for header, reason in problems:
        run.error(table.header_row, header, "", reason)
    if run.errors:
        raise ImportValidationError(run.errors)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells in table.rows:
        ctx: dict[str, Any] = dict(params)
        ctx["row_number"] = number
        width = len(cells)
        for name, index in positions.items():
            cell = cells[index] if index < width else None
            ctx[name] = cell.strip() if isinstance(cell, str) else cell
        for name in src.columns:
            ctx.setdefault(name, None)
        ok = True
        for name, expr in src.values.items():
            try:
                ctx[name] = evaluate(expr, ctx)
            except TransformError as exc:
                run.error(number, "、".join(run.sources(expr)) or name, exc.value, exc.reason)
                ok = False
        if not ok:
            continue
        for i, flt in enumerate(src.filters):
            if holds(flt.when, ctx):
                run.reject(number, "", f"filters[{i}]", render(flt.reason, ctx))
                break
        else:
            rows.append((number, ctx))
    if run.errors:
        raise ImportValidationError(run.errors)
    return rows


def _alternatives(separators: list[str]) -> re.Pattern[str]:
    """A pattern matching any of ``separators``, the longest first ("||" before "|")."""
    ordered = sorted(separators, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in ordered))


#: The most child rows ``split: {count: true}`` makes of one row (a typo of 30000 for 3 must
#: not make 30,000 findings).
MAX_COUNT = 1000


def _split(step: Step, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    split = step.split
    if split is None:
        return [ctx]
    text = as_text(ctx.get(split.column))
    if split.count:
        if not text.strip():
            return []
        try:
            n = int(text.strip())
        except ValueError:
            raise TransformError(f"“{text}”不是整数，无法按数量拆分", text) from None
        if not 0 <= n <= MAX_COUNT:
            raise TransformError(f"数量{n}不在0至{MAX_COUNT}之间", text)
        return [{**ctx, split.names[0]: k} for k in range(1, n + 1)]
    parts_pattern = _alternatives(split.parts) if split.parts else None
    children = []
    for item in _alternatives(split.items).split(text):
        item = item.strip()
        if not item:
            continue
        if parts_pattern is None:
            parts = [item]
        else:
            parts = [p.strip() for p in parts_pattern.split(item, maxsplit=len(split.names) - 1)]
        child = dict(ctx)
        for i, name in enumerate(split.names):
            child[name] = parts[i] if i < len(parts) and parts[i] else None
        children.append(child)
    return children


def _fields(ledger: Ledger, step: Step) -> list[tuple[Column, Expr]]:
    """The ledger columns a step fills, in the ledger's column order, with their expressions."""
    columns = {c.field: c for c in ledger.columns}
    by_header = {c.header: c.field for c in ledger.columns}
    wanted = {by_header.get(k, k): e for k, e in step.fields.items()}
    return [(columns[f], wanted[f]) for f in columns if f in wanted]


def _step_rows(run: _Run, step: Step, rows: list[tuple[int, dict[str, Any]]]) -> list[_Out]:
    ledger = get_ledger(step.ledger)
    fields = _fields(ledger, step)
    out: list[_Out] = []
    for number, ctx in rows:
        try:
            children = _split(step, ctx)
        except TransformError as exc:
            assert step.split is not None
            name = step.split.column
            run.error(number, run.headers.get(name, name), exc.value, exc.reason)
            continue
        for child in children:
            rule = next((i for i, f in enumerate(step.filters) if holds(f.when, child)), None)
            if rule is not None:
                reason = render(step.filters[rule].reason, child)
                run.reject(number, step.ledger, f"filters[{rule}]", reason)
                continue
            values: dict[str, Any] = {}
            for column, expr in fields:
                try:
                    values[column.field] = evaluate(expr, child)
                except TransformError as exc:
                    shown = "、".join(run.sources(expr)) or column.header
                    run.error(number, f"{column.header}（{shown}）", exc.value, exc.reason)
            out.append(_Out(number, child, values))
    return out


def _field_name(ledger: Ledger, name: str) -> str:
    return {c.header: c.field for c in ledger.columns}.get(name, name)


def _checks(run: _Run, step: Step, out: list[_Out]) -> list[_Out]:
    """Set aside the rows that ``require_existing`` and ``drop_repeats`` reject; number repeats."""
    ledger = get_ledger(step.ledger)
    columns = {c.field: c for c in ledger.columns}
    for i, existing in enumerate(step.require_existing):
        name = _field_name(ledger, existing.field)
        ref = columns[name].type
        assert isinstance(ref, Ref)
        wanted = sorted({r.values[name] for r in out if not is_blank(r.values.get(name))})
        found: set[Any] = set()
        manager = ref.model_class()._default_manager
        for chunk in chunked(wanted):
            found.update(
                manager.filter(**{f"{ref.key}__in": chunk}).values_list(ref.key, flat=True)
            )
        kept = []
        for r in out:
            value = r.values.get(name)
            if is_blank(value) or value in found:
                kept.append(r)
            else:
                run.reject(
                    r.row, step.ledger, f"require_existing[{i}]", render(existing.reason, r.ctx)
                )
        out = kept
    if step.drop_repeats is not None:
        out = _drop_repeats(run, step, ledger, out)
    if step.number_repeats is not None:
        name = _field_name(ledger, step.number_repeats.field)
        seen: dict[Any, int] = {}
        for r in out:
            value = r.values.get(name)
            if is_blank(value):
                continue
            n = seen[value] = seen.get(value, 0) + 1
            if n > 1:
                r.values[name] = step.number_repeats.format.format(value=value, n=n)
    return out


def _drop_repeats(run: _Run, step: Step, ledger: Ledger, out: list[_Out]) -> list[_Out]:
    """Of the rows sharing ``drop_repeats.fields``, keep the first, the last, or the latest by
    ``by``; set the others aside, naming the row kept. The kept row stays in file order."""
    rule = step.drop_repeats
    assert rule is not None
    names = [_field_name(ledger, n) for n in rule.fields]
    by = _field_name(ledger, rule.by) if rule.by else None
    kept: dict[tuple[Any, ...], int] = {}  # key → index in out of the row kept so far
    for index, r in enumerate(out):
        key = tuple(as_text(r.values.get(n)) for n in names)
        if key not in kept:
            kept[key] = index
            continue
        if rule.keep == "last":
            kept[key] = index
        elif rule.keep == "latest":
            assert by is not None
            if _order(_by_value(r, by)) >= _order(_by_value(out[kept[key]], by)):
                kept[key] = index
    winners = set(kept.values())
    result = []
    for index, r in enumerate(out):
        if index in winners:
            result.append(r)
            continue
        key = tuple(as_text(r.values.get(n)) for n in names)
        row = out[kept[key]].row
        ctx = {**r.ctx, "first_row": row, "kept_row": row}
        run.reject(r.row, step.ledger, "drop_repeats", render(rule.reason, ctx))
    return result


def _by_value(r: _Out, name: str) -> Any:
    """The value a ``keep: latest`` rule compares: the field the step fills, else the row's."""
    return r.values[name] if name in r.values else r.ctx.get(name)


def _order(value: Any) -> tuple[int, Any]:
    """A sort key across kinds: blank < numbers < dates < text (each compared as itself)."""
    if is_blank(value):
        return (0, 0)
    if isinstance(value, datetime):
        return (2, value.date())
    if isinstance(value, date):
        return (2, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (1, value)
    text = as_text(value).strip()
    try:
        return (1, float(text.replace(",", "")))
    except ValueError:
        pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return (2, datetime.strptime(text, fmt).date())  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return (3, text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return display(value)


def _import_step(
    run: _Run, step: Step, out: list[_Out], actor: Any, for_unit: str | None = None
) -> ImportResult:
    """Write the step's rows as a standard ledger CSV and import it the normal way."""
    ledger = get_ledger(step.ledger)
    fields = _fields(ledger, step)
    name = f"{run.name} [{run.profile.profile}]"
    with tempfile.TemporaryDirectory(prefix="foodsafe-profile-") as tmp:
        # A fixed name on disk: the user's file name (an upload's) never reaches the file
        # system; the log and messages get it through ``file_name``.
        standard = Path(tmp) / "standard.csv"
        with standard.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.header for c, _e in fields])
            for r in out:
                writer.writerow([_cell(r.values.get(c.field)) for c, _e in fields])
        try:
            return ledger_import(
                ledger=step.ledger, path=standard, actor=actor, for_unit=for_unit, file_name=name
            )
        except ImportValidationError as exc:
            raise ImportValidationError(_locate(run, fields, out, exc.errors)) from exc


def _locate(
    run: _Run, fields: list[tuple[Column, Expr]], out: list[_Out], errors: list[RowError]
) -> list[RowError]:
    """Errors of the standard file, located in the original: its row, the columns used."""
    sources = {c.header: run.sources(e) for c, e in fields}
    located = []
    for error in errors:
        index = error.row - 2  # the standard file: header on row 1, one row per _Out
        row = out[index].row if 0 <= index < len(out) else 0
        used = sources.get(error.column)
        column = f"{error.column}（{'、'.join(used)}）" if used else error.column
        reason = error.reason
        match = re.match(r"与第(\d+)行重复", reason)
        if match and 0 <= int(match[1]) - 2 < len(out):
            reason = reason.replace(match[0], f"与第{out[int(match[1]) - 2].row}行重复", 1)
        located.append(RowError(run.name, run.table.sheet, row, column, error.value, reason))
    return located
