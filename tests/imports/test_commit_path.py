"""The commit path: chunked writes, re-import of every ledger, the import log, size limit."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from foodsafe.accounts.models import Profile
from foodsafe.example.generate import generate_example_district
from foodsafe.imports import validation
from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.models import ImportLog
from foodsafe.imports.services import (
    FileTooLargeError,
    directory_import,
    ledger_import,
    ledger_preview,
)
from foodsafe.sampling.models import SamplingBatch
from tests.factories import FoodBusinessFactory

from .helpers import row_counts, write_csv, write_xlsx
from .test_importer import SAMPLING_HEADER, SUB


@pytest.fixture
def units(district):
    """The test district (its subdistrict A is ``SUB``) and business B001."""
    FoodBusinessFactory(registry_number="B001", org_unit_id=SUB)


def history_counts() -> dict[str, int]:
    counts = {}
    for ledger in LEDGERS.values():
        model = ledger.model_class()
        try:
            counts[ledger.name] = get_history_manager_for_model(model).count()
        except NotHistoricalModelError:
            pass
    return counts


def sampling_rows(n: int, *, start: int = 0) -> list[list]:
    return [
        [f"S{i:05d}", "2021-05-06", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"]
        for i in range(start, start + n)
    ]


def test_every_ledger_reimports_unchanged_and_each_file_is_logged(db, tmp_path, django_user_model):
    user = django_user_model.objects.create_user("office", password="x-pass-12345")
    # The office imports every ledger (a user without a role may import none).
    Profile.objects.create(user=user, role="office_admin")
    out = tmp_path / "district"
    generate_example_district(out=out, population=35_000, seed=2021)
    first = directory_import(directory=out, actor=user)
    assert {r.ledger for r in first} == set(LEDGERS)
    assert all(r.added == r.rows > 0 and r.updated == r.unchanged == 0 for r in first)
    counts, histories = row_counts(), history_counts()
    assert all(histories[r.ledger] == r.added for r in first if r.ledger in histories)

    again = directory_import(directory=out, actor=user)
    assert [(r.ledger, r.added, r.updated, r.unchanged) for r in again] == [
        (r.ledger, 0, 0, r.rows) for r in first
    ]
    assert history_counts() == histories  # nothing rewritten, no new history rows
    counts["imports.ImportLog"] += len(again)
    assert row_counts() == counts

    for result in again:
        log = ImportLog.objects.get(pk=result.log_id)
        path = out / log.file_name
        assert log.ledger == result.ledger
        assert log.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert log.imported_by == user and log.imported_at is not None
        assert (log.rows_added, log.rows_updated, log.rows_unchanged) == (0, 0, result.rows)


def test_history_rows_carry_who_and_why(units, tmp_path, django_user_model):
    user = django_user_model.objects.create_user("office", password="x-pass-12345")
    Profile.objects.create(user=user, role="office_admin")
    rows = [SAMPLING_HEADER, *sampling_rows(2)]
    ledger_import(ledger="sampling", path=write_xlsx(tmp_path / "a.xlsx", rows), actor=user)
    rows[2][8] = "不合格"
    result = ledger_import(
        ledger="sampling", path=write_xlsx(tmp_path / "b.xlsx", rows), actor=user
    )
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    history = SamplingBatch.history.filter(sample_number="S00001").order_by("history_id")
    assert [(h.history_type, h.conclusion, h.history_change_reason) for h in history] == [
        ("+", "conforming", "导入 a.xlsx"),
        ("~", "nonconforming", "导入 b.xlsx"),
    ]
    assert {h.history_user for h in history} == {user}
    batch = SamplingBatch.objects.get(sample_number="S00001")
    assert (batch.conclusion, batch.business.registry_number) == ("nonconforming", "B001")
    assert history.last().sampled_on == batch.sampled_on


def test_error_in_a_later_chunk_undoes_the_chunks_written_before(units, tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 3)
    rows = [SAMPLING_HEADER, *sampling_rows(10)]
    rows[9][1] = "2021-02-30"
    rows.append(rows[2][:])  # S00001 again, in another chunk
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="sampling", path=write_csv(tmp_path / "s.csv", rows))
    assert [(e.row, e.column, e.reason) for e in excinfo.value.errors] == [
        (10, "抽样日期", "不是有效的日期"),
        (12, "抽样单编号", "与第3行重复（抽样单编号相同）"),
    ]
    assert row_counts() == before
    assert SamplingBatch.history.count() == 0


def test_many_chunks_are_all_written_and_dry_run_writes_none(units, tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 4)
    path = write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, *sampling_rows(11)])
    before = row_counts()
    dry = ledger_import(ledger="sampling", path=path, dry_run=True)
    assert (dry.added, dry.log_id) == (11, None)
    assert row_counts() == before
    seen = []
    result = ledger_import(ledger="sampling", path=path, progress=lambda r, t: seen.append(r))
    assert result.added == SamplingBatch.objects.count() == SamplingBatch.history.count() == 11
    assert seen == [5, 9, 12]  # the row number reached after each chunk of 4


def test_preview_shows_columns_first_rows_and_counts(units, tmp_path):
    path = write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, *sampling_rows(15)])
    preview = ledger_preview(ledger="sampling", path=path, file_name="抽检.csv")
    assert preview.columns[0] == ("抽样单编号", "抽样单编号", "A")
    assert [n for n, _cells in preview.rows] == list(range(2, 12))
    assert preview.rows[0][1][:3] == ["S00000", "2021-05-06", SUB]
    assert preview.errors == [] and preview.result.added == 15
    assert SamplingBatch.objects.count() == 0


def test_file_over_the_limit_is_refused_before_reading(units, tmp_path, settings):
    settings.FOODSAFE_MAX_UPLOAD_BYTES = 100
    path = write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, *sampling_rows(5)])
    with pytest.raises(FileTooLargeError) as excinfo:
        ledger_import(ledger="sampling", path=path)
    reason = excinfo.value.errors[0].reason
    assert reason.startswith("文件大小为") and "超过导入文件的上限 100 字节" in reason
    with pytest.raises(CommandError, match="超过导入文件的上限 100 字节"):
        call_command("import", "sampling", str(path))
    assert SamplingBatch.objects.count() == 0


def test_import_command_progress_and_summary(units, tmp_path, capsys, monkeypatch):
    from foodsafe.imports.management.commands import _progress

    monkeypatch.setattr(_progress, "PLAIN_MIN_ROWS", 10)
    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 5)
    path = write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, *sampling_rows(19)])
    call_command("import", "sampling", str(path))
    out, err = capsys.readouterr()
    assert "sampling s.csv: 共19行，新增19，更新0，未变0" in out and "用时" in out
    # Chunks of 5 rows end at rows 6, 11, 16, 20 of 21: 6/21 is 28% (past the 2nd tenth), then
    # 52%, 76% and 95%. One line per chunk, never the same count twice.
    assert err.splitlines() == [
        "导入：已处理 6/21 行（20%）",
        "导入：已处理 11/21 行（50%）",
        "导入：已处理 16/21 行（70%）",
        "导入：已处理 20/21 行（90%）",
    ]


def test_progress_bar_on_a_terminal():
    import io

    from django.core.management.base import OutputWrapper

    from foodsafe.imports.management.commands._progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    bar = ProgressBar(OutputWrapper(screen))
    bar(50_000, 100_000)
    bar(100_000, 100_000)
    bar.close()
    text = screen.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert " 50%  50,000/100,000 行" in text and "100%" in text


def test_every_history_model_is_written_directly():
    """The fast path (executemany, history by INSERT … SELECT) covers every ledger model."""
    from foodsafe.imports.writer import Writer

    for ledger in LEDGERS.values():
        writer = Writer(ledger, ledger.written_fields(), user=None, reason="")
        assert writer.fast, ledger.name


def seen_tables() -> list[str]:
    """Temporary tables of validation.SeenValues left on the test's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't'")
        return [n for (n,) in cursor.fetchall() if n.startswith("foodsafe_import_seen_")]


def test_a_key_repeated_in_later_chunks_names_its_first_row(units, tmp_path, monkeypatch):
    # Chunks of 3 data rows: rows 2-4, 5-7, 8-10. S00001 is first on row 3, then again on
    # row 6 (second chunk) and twice on rows 8 and 10 (third chunk).
    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 3)
    rows = [SAMPLING_HEADER, *sampling_rows(9)]
    for index in (5, 7, 9):
        rows[index][0] = "S00001"
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="sampling", path=write_csv(tmp_path / "s.csv", rows))
    assert [(e.row, e.reason) for e in excinfo.value.errors] == [
        (6, "与第3行重复（抽样单编号相同）"),
        (8, "与第3行重复（抽样单编号相同）"),
        (10, "与第3行重复（抽样单编号相同）"),
    ]
    assert SamplingBatch.objects.count() == 0
    assert seen_tables() == []


def test_a_unique_value_repeated_in_a_later_chunk_names_its_first_row(units, tmp_path, monkeypatch):
    from .test_importer import BUSINESS_HEADER

    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 2)
    uscc = "91110000600037341L"
    rows = [
        BUSINESS_HEADER,
        ["B010", "示例店甲", uscc, "食品销售", "食杂店", SUB, ""],  # row 2, chunk 1
        ["B011", "示例店乙", "", "食品销售", "食杂店", SUB, ""],
        ["B012", "示例店丙", "", "食品销售", "食杂店", SUB, ""],  # row 4, chunk 2
        ["B013", "示例店丁", uscc, "食品销售", "食杂店", SUB, ""],  # row 5, chunk 2
    ]
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="businesses", path=write_csv(tmp_path / "b.csv", rows))
    assert [(e.row, e.column, e.reason) for e in excinfo.value.errors] == [
        (5, "统一社会信用代码", "与第2行的统一社会信用代码重复"),
    ]
    assert row_counts() == before


def test_the_seen_values_table_is_dropped_after_an_import_and_a_dry_run(units, tmp_path):
    path = write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, *sampling_rows(5)])
    assert ledger_import(ledger="sampling", path=path, dry_run=True).added == 5
    assert seen_tables() == []
    assert ledger_import(ledger="sampling", path=path).added == 5
    assert seen_tables() == []
    assert ledger_import(ledger="sampling", path=path).unchanged == 5


def test_a_reimport_in_many_chunks_finds_the_one_changed_row(units, tmp_path, monkeypatch):
    # Chunks of 4: the first chunk's keys all exist, so later chunks skip the key probe and
    # read the stored values directly; a new row in the last chunk is still added.
    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 4)
    rows = [SAMPLING_HEADER, *sampling_rows(11)]
    ledger_import(ledger="sampling", path=write_csv(tmp_path / "s.csv", rows))
    rows[10][8] = "不合格"  # S00009, in the third chunk
    rows.append(sampling_rows(1, start=11)[0])
    again = ledger_import(ledger="sampling", path=write_csv(tmp_path / "s2.csv", rows))
    assert (again.added, again.updated, again.unchanged) == (1, 1, 10)
    assert SamplingBatch.objects.get(sample_number="S00009").conclusion == "nonconforming"
    assert SamplingBatch.objects.count() == 12


def test_an_interrupted_import_command_says_nothing_was_written(units, tmp_path, monkeypatch):
    from foodsafe.imports.management.commands import _progress

    def interrupt(self, reached, last):  # Ctrl-C after the first chunk was written
        raise KeyboardInterrupt

    monkeypatch.setattr(_progress.ProgressBar, "__call__", interrupt)
    monkeypatch.setattr(validation, "ROWS_PER_CHUNK", 2)
    path = write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, *sampling_rows(5)])
    with pytest.raises(CommandError, match="已中断，未写入任何数据") as caught:
        call_command("import", "sampling", str(path))
    assert caught.value.returncode == 130
    assert SamplingBatch.objects.count() == 0  # the first chunk had been written, then undone


def test_template_to_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法写入"):
        call_command("template", "sampling", "--out", str(tmp_path / "no" / "such" / "t.xlsx"))
