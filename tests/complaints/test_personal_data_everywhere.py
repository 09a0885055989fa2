# ruff: noqa: F811  (the matrix fixtures are imported from test_permissions and used by name)
"""Issue 9 point 4, every place at once: a complainant's name and phone number (个人信息) reach no
response, export or message in full: every page of the permission matrix as every persona, the
admin (list, change form, history), the import preview, its error report, the command line's
error lines and error report, the scorecard's Excel/Word/JSON reports and the Parquet export.
The one exception is a complaint handler's audited reveal (tests/complaints/test_personal_data.py).

The canary values are unusual enough that a hit can only be the complaint's own data:
name 欧阳娜娜 (masked 欧***), phone 13912345678 (masked 139****5678).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from foodsafe.complaints.models import Complaint
from tests.conftest import DISTRICT, SUB_A
from tests.imports.helpers import write_csv
from tests.web.test_permissions import (  # noqa: F401 (fixtures)
    PERSONAS,
    RULES,
    sample,
)

NAME, PHONE = "欧阳娜娜", "13912345678"
MASKED_NAME, MASKED_PHONE = "欧***", "139****5678"  # first character; first 3 and last 4 digits
HEADER = ["投诉举报编号", "类型", "区划代码", "登记日期", "投诉人", "联系电话"]
#: A valid 居民身份证号码 (GB 11643: region 110101, born 1990-03-07, check digit 3 from the
#: ISO 7064 MOD 11-2 sum) and mask_id's form of it: the first and last 4 characters kept.
ID, ID_MASKED = "110101199003071233", "1101**********1233"


def leaks(content: bytes) -> list[str]:
    """Which canary values ``content`` holds, looking inside zip containers (xlsx, docx)."""
    texts = [content.decode("utf-8", "replace")]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return [value for value in (NAME, PHONE) if any(value in text for text in texts)]


def canary(**extra) -> Complaint:
    return Complaint.objects.create(
        complaint_number="TS-CANARY",
        kind="complaint",
        org_unit_id=SUB_A,
        complainant_name=NAME,
        complainant_phone=PHONE,
        received_on=date(2021, 3, 1),
        acceptance_due_on=date(2021, 3, 10),
        **extra,
    )


def test_the_canary_is_found_when_present():
    # The detector itself: plain text, and a value inside a zipped XML part.
    assert leaks(f"<td>{NAME}</td>".encode()) == [NAME]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", f"<t>{PHONE}</t>")
    assert leaks(buffer.getvalue()) == [PHONE]
    assert leaks(f"{MASKED_NAME} {MASKED_PHONE}".encode()) == []


def test_no_page_of_the_matrix_shows_personal_data(sample, complaint_handler):
    """Every GET URL of the permission matrix, as every persona that may open it (and as a
    complaint handler, who may reveal but whose pages are masked too)."""
    canary()
    users = {**sample.users, "complaint_handler": complaint_handler}
    opened = 0
    found = {}
    for name, rule in sorted(RULES.items()):
        if rule.method != "get":
            continue
        url = reverse(name, kwargs=rule.kwargs(sample) if rule.kwargs else None)
        for persona, user in users.items():
            client = Client()
            client.force_login(user)
            response = client.get(url)
            if response.status_code != 200:
                continue
            opened += 1
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if leaks(content):
                found[(url, persona)] = leaks(content)
    assert opened >= 40  # the walk really opened pages (complaints:list among them)
    assert found == {}


def test_the_complaints_list_shows_the_masked_values(sample, complaint_handler):
    canary()
    for user in (sample.users["office_admin"], sample.users["inspector"], complaint_handler):
        client = Client()
        client.force_login(user)
        text = client.get(reverse("complaints:list")).content.decode()
        assert MASKED_NAME in text and MASKED_PHONE in text and leaks(text.encode()) == []


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="root-pass-123")


def test_the_admin_never_shows_them(district, superuser):
    """The change list, the change form, the history list and a historical version."""
    complaint = canary()
    complaint.summary = "过期面包"
    complaint.save()
    client = Client()
    client.force_login(superuser)
    history = complaint.history.order_by("history_id").first()
    urls = [
        reverse("admin:complaints_complaint_changelist"),
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        reverse("admin:complaints_complaint_history", args=[complaint.pk]),
        reverse(
            "admin:complaints_complaint_simple_history",
            args=[complaint.pk, history.history_id],
        ),
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if leaks(response.content):
            found[url] = leaks(response.content)
    assert found == {}


def test_the_import_error_report_lists_them_masked(district, office_admin, tmp_path, settings):
    """The web error report: its 错误清单 sheet names the bad cell masked, and the marked-up
    copy of the uploaded file holds the personal cells masked too (a report is a file that is
    passed on to whoever fixes it; the uploader keeps the original). An 18-digit personal ID
    number in a column the ledger does not read (身份证号) is masked as well."""
    from openpyxl import load_workbook

    settings.VAR_DIR = tmp_path / "var"
    long_phone = PHONE + "0123456789"  # 21 characters: longer than the field (20)
    path = write_csv(
        tmp_path / "complaints.csv",
        [[*HEADER, "身份证号"], ["TS-9", "投诉", SUB_A, "2021-03-01", NAME, long_phone, ID]],
    )
    client = Client()
    client.force_login(office_admin)
    with path.open("rb") as fh:
        response = client.post(reverse("imports:upload"), {"ledger": "complaints", "file": fh})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    preview = client.get(reverse("imports:preview", args=[token]))
    assert leaks(preview.content) == [] and "联系电话" in preview.content.decode()
    report = client.get(reverse("imports:error_report", args=[token]))
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.content))["错误清单"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if PHONE in c], cells
    assert "139**************6789" in cells  # mask_phone: 3 + 14 stars + last 4 of 21 digits
    # the whole report, the copy included (its shared strings and comments), holds no canary
    assert leaks(report.content) == []
    copy = load_workbook(io.BytesIO(report.content))["数据"]
    assert [c.value for c in copy[2]] == [
        "TS-9", "投诉", SUB_A, "2021-03-01", MASKED_NAME, "139**************6789", ID_MASKED,
    ]  # fmt: skip
    assert copy["F2"].comment is not None  # the bad cell is still marked where it was


def test_a_report_imported_again_as_it_is_refuses_its_masked_cells(district, tmp_path):
    """The copy's personal cells are masked, so the corrected report cannot go back in as it
    is: a masked value (it has "*", which no name or phone number has) would overwrite the
    real one. Each such cell is refused, naming its row and column and what to do."""
    from openpyxl import load_workbook

    from foodsafe.imports.error_report import error_workbook
    from foodsafe.imports.errors import ImportValidationError
    from foodsafe.imports.services import ledger_import

    path = write_csv(
        tmp_path / "complaints.csv",
        [HEADER, ["TS-9", "投诉", SUB_A, "2021-02-30", NAME, PHONE]],  # no 30 February
    )
    with pytest.raises(ImportValidationError) as first:
        ledger_import(ledger="complaints", path=path)
    assert [(e.row, e.column) for e in first.value.errors] == [(2, "登记日期")]
    book = load_workbook(io.BytesIO(error_workbook(path, first.value.errors, ledger="complaints")))
    book["数据"]["D2"] = "2021-02-28"  # the user corrects the marked cell, and only that
    corrected = tmp_path / "corrected.xlsx"
    book.save(corrected)
    with pytest.raises(ImportValidationError) as again:
        ledger_import(ledger="complaints", path=corrected)
    found = [(e.row, e.column, e.value) for e in again.value.errors]
    assert found == [(2, "投诉人", MASKED_NAME), (2, "联系电话", MASKED_PHONE)]
    assert all("打码" in e.reason for e in again.value.errors)
    assert Complaint.objects.count() == 0


def test_the_command_line_prints_errors_masked(district, tmp_path, capsys):
    """``foodsafe import`` lists every error on stderr; a personal cell is shown masked there
    and in the --errors-out report's 错误清单 (cron mails and terminal logs are read by others)."""
    from openpyxl import load_workbook

    long_phone = PHONE + "0123456789"
    long_name = NAME * 16  # 64 characters: longer than the field (60)
    path = write_csv(
        tmp_path / "complaints.csv",
        [HEADER, ["TS-9", "投诉", SUB_A, "2021-03-01", long_name, long_phone]],
    )
    out = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError):
        call_command("import", "complaints", str(path), "--errors-out", str(out))
    stderr = capsys.readouterr().err
    assert "投诉人" in stderr and "联系电话" in stderr  # both cells are reported...
    assert NAME not in stderr and PHONE not in stderr  # ...masked
    assert "欧" + "*" * 63 in stderr and "139**************6789" in stderr
    sheet = load_workbook(out)["错误清单"]
    cells = [str(c.value) for c in sheet["D"] if c.value is not None]
    assert not [c for c in cells if NAME in c or PHONE in c], cells
    # the --errors-out file stays on disk (cron's directory): its copy of the file is masked too
    assert leaks(out.read_bytes()) == []


def test_the_parquet_export_masks_them(district, tmp_path):
    """The Parquet export (``generate --parquet``, DuckDB/Spark) carries the ledgers the
    scorecard reads; the scorecard never needs a complainant's name or phone."""
    import pyarrow.parquet as pq

    from foodsafe.synthetic.parquet import export_table

    canary()
    path = tmp_path / "complaints_complaint.parquet"
    assert export_table(Complaint, path) == 1
    row = pq.read_table(path).to_pylist()[0]
    assert (row["complainant_name"], row["complainant_phone"]) == (MASKED_NAME, MASKED_PHONE)
    assert row["complaint_number"] == "TS-CANARY"  # the rest as stored


def test_the_scorecard_reports_never_hold_them(district, tmp_path):
    """``assess --out`` writes the Excel scorecard, the Word report and JSON with the real
    engine over a database that holds the complaint (it counts in the complaint indicators)."""
    canary(decision="accepted", decided_on=date(2021, 3, 2))
    call_command("loadprogramme", verbosity=0)
    call_command("assess", "--org", DISTRICT, "--period", "2021", "--out", str(tmp_path))
    files = sorted(p for p in tmp_path.iterdir() if p.is_file())
    assert {p.suffix for p in files} >= {".xlsx", ".docx", ".json"}
    assert {p.name: leaks(p.read_bytes()) for p in files} == {p.name: [] for p in files}
