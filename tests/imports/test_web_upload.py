"""The upload pages: permission, CSRF, size and content checks, preview, confirm, the log."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from foodsafe.imports.models import ImportLog
from foodsafe.imports.views import SESSION_KEY
from foodsafe.sampling.models import SamplingBatch
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

from .helpers import row_counts

HEADER = "抽样单编号,抽样日期,区划代码,登记编号,抽检类型,环节,业态,食品大类,检验结论"
GOOD = f"{HEADER}\r\nS1,2021-05-06,{SUB_A},B001,监督抽检,流通,超市,蔬菜,合格\r\nS2,2021/5/7,{SUB_A},B001,监督抽检,流通,超市,蔬菜,不合格\r\n"
BAD = f"{HEADER}\r\nS1,2021-02-30,{SUB_A},B001,监督抽检,流通,超市,蔬菜,合格\r\nS2,2021-05-07,{SUB_A},B404,监督抽检,流通,超市,蔬菜,合格\r\n"
UPLOAD = "/imports/"


@pytest.fixture(autouse=True)
def private_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def business(district):
    return FoodBusinessFactory(registry_number="B001", org_unit_id=SUB_A)


@pytest.fixture
def importer(db, django_user_model):
    user = django_user_model.objects.create_user("unit", password="unit-pass-12345")
    user.user_permissions.add(Permission.objects.get(codename="add_importlog"))
    return user


@pytest.fixture
def outsider(db, django_user_model):
    return django_user_model.objects.create_user("outsider", password="out-pass-12345")


def csv_file(text: str, name: str = "抽检.csv", encoding: str = "gbk") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(client: Client, file, ledger: str = "sampling"):
    return client.post(UPLOAD, {"ledger": ledger, "file": file, "sheet": ""})


def test_anonymous_is_sent_to_login(client, db):
    for url in (UPLOAD, "/imports/log/", "/imports/preview/" + "0" * 32 + "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_user_without_role_or_permission_gets_403(client, outsider, business):
    client.force_login(outsider)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_file(GOOD)).status_code == 403
    assert client.get("/imports/log/").status_code == 403
    assert SamplingBatch.objects.count() == 0


def test_upload_preview_confirm_writes_the_rows(client, importer, business, settings):
    client.force_login(importer)
    page = client.get(UPLOAD)
    assert page.status_code == 200 and "上传并预览" in page.content.decode()
    response = upload(client, csv_file(GOOD))
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    stored = list((settings.VAR_DIR / "uploads").iterdir())
    assert [p.name for p in stored] == [f"{token}.upload"]  # random name, outside the web root
    assert SamplingBatch.objects.count() == 0

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "校验通过" in html and "确认导入" in html
    assert re.search(r"新增</span>\s*2", html)
    assert "S1" in html and "2021/5/7" in html and "抽样单编号" in html
    assert SamplingBatch.objects.count() == 0  # the preview writes nothing

    done = client.post(reverse("imports:confirm", args=[token]))
    assert done.status_code == 302
    log = ImportLog.objects.get()
    assert done["Location"] == reverse("imports:log_entry", args=[log.pk])
    assert (log.ledger, log.file_name, log.imported_by, log.rows_added) == (
        "sampling",
        "抽检.csv",
        importer,
        2,
    )
    assert set(SamplingBatch.objects.values_list("sample_number", flat=True)) == {"S1", "S2"}
    assert SamplingBatch.history.filter(history_user=importer).count() == 2
    result = client.get(done["Location"]).content.decode()
    assert "导入完成" in result and "抽检.csv" in result
    assert not list((settings.VAR_DIR / "uploads").iterdir())  # removed after the import
    assert client.get(reverse("imports:preview", args=[token])).status_code == 404


@pytest.mark.parametrize("persona", ["office_admin", "market_user", "inspector"])
def test_import_roles_may_import(client, request, business, persona):
    """Office admins (the demo login ``office``: not staff), member units and inspectors."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert not user.is_staff and not user.has_perm("imports.add_importlog")
    assert client.get(UPLOAD).status_code == 200
    assert client.get("/imports/log/").status_code == 200
    assert upload(client, csv_file(GOOD)).status_code == 302


def test_reviewer_may_not_import(client, reviewer, business):
    client.force_login(reviewer)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_file(GOOD)).status_code == 403
    assert client.get("/imports/log/").status_code == 403


def test_staff_may_import(client, db, django_user_model, business):
    staff = django_user_model.objects.create_user("s", password="s-pass-12345", is_staff=True)
    client.force_login(staff)
    assert upload(client, csv_file(GOOD)).status_code == 302


def test_bad_file_lists_every_error_and_writes_nothing(client, importer, business):
    client.force_login(importer)
    before = row_counts()
    response = upload(client, csv_file(BAD, name="坏.csv"))
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    html = client.get(response["Location"]).content.decode()
    assert "共 2 处错误，不能导入" in html and "确认导入" not in html
    assert "2021-02-30" in html and "不是有效的日期" in html
    assert "未找到登记编号为“B404”的食品生产经营者" in html
    report_url = reverse("imports:error_report", args=[token])
    assert report_url in html
    report = client.get(report_url)
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert "attachment" in report["Content-Disposition"]
    confirm = client.post(reverse("imports:confirm", args=[token]))
    assert confirm.status_code == 400 and "导入失败，未写入任何数据" in confirm.content.decode()
    assert row_counts() == before


def test_file_over_the_limit_is_refused(client, importer, business, settings):
    settings.FOODSAFE_MAX_UPLOAD_BYTES = 200
    client.force_login(importer)
    response = upload(client, csv_file(GOOD * 3))
    html = response.content.decode()
    assert response.status_code == 400
    assert "超过导入文件的上限 200 字节" in html
    # A body far over the limit is refused from its Content-Length, before it is read.
    big = SimpleUploadedFile("big.csv", b"a,b\r\n" * 40_000, content_type="text/csv")
    response = upload(client, big)
    assert (
        response.status_code == 413 and "超过导入文件的上限 200 字节" in response.content.decode()
    )
    assert not (settings.VAR_DIR / "uploads").exists() or not list(
        (settings.VAR_DIR / "uploads").iterdir()
    )


def test_program_renamed_xlsx_is_refused(client, importer, business):
    client.force_login(importer)
    exe = SimpleUploadedFile("台账.xlsx", b"MZ\x90\x00\x03" + bytes(200), content_type=XLSX)
    response = upload(client, exe)
    assert response.status_code == 400
    assert "文件是Windows 可执行程序，不是表格" in response.content.decode()
    pdf = SimpleUploadedFile("台账.csv", b"%PDF-1.7\n...", content_type="text/csv")
    assert "PDF 文件" in upload(client, pdf).content.decode()


def test_xlsx_recognised_whatever_its_name(client, importer, business, tmp_path):
    from .helpers import write_xlsx

    rows = [line.split(",") for line in GOOD.strip().split("\r\n")]
    data = write_xlsx(tmp_path / "x.xlsx", rows).read_bytes()
    client.force_login(importer)
    response = upload(client, SimpleUploadedFile("台账.csv", data))
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert client.session[SESSION_KEY][token]["kind"] == "xlsx"


def test_csrf_is_enforced(importer, business, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer)
    response = upload(client, csv_file(GOOD))
    assert response.status_code == 403
    assert not (settings.VAR_DIR / "uploads").exists() or not list(
        (settings.VAR_DIR / "uploads").iterdir()
    )
    page = client.get(UPLOAD)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        UPLOAD, {"ledger": "sampling", "file": csv_file(GOOD), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_another_users_upload_is_not_reachable(client, importer, business, django_user_model):
    client.force_login(importer)
    location = upload(client, csv_file(GOOD))["Location"]
    other = django_user_model.objects.create_user("other", password="o-pass-12345")
    other.user_permissions.add(Permission.objects.get(codename="add_importlog"))
    second = Client()
    second.force_login(other)
    assert second.get(location).status_code == 404
    assert second.post(location + "confirm/").status_code == 404
    assert SamplingBatch.objects.count() == 0


def test_template_download(client, outsider):
    client.force_login(outsider)  # any signed-in user may fetch a blank template
    response = client.get(reverse("imports:template", args=["sampling"]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert client.get("/imports/templates/nope.xlsx").status_code == 404


def test_log_page_lists_imports_in_few_queries(client, importer, django_assert_max_num_queries):
    for n in range(30):
        ImportLog.objects.create(
            ledger="sampling", file_name=f"f{n}.xlsx", sha256="0" * 64, imported_by=importer
        )
    client.force_login(importer)
    with django_assert_max_num_queries(8):
        html = client.get("/imports/log/").content.decode()
    assert html.count("f1") >= 1 and "抽检批次" in html and "unit" in html


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_preview_groups_errors_and_lists_the_first_200(client, importer, business):
    """Issue 18 point 2 on the page: 250 rows with one bad date are one line of the 错误汇总
    (250 处, rows 2-6 first), and the row-by-row list stops at 200 (the report has all)."""
    client.force_login(importer)
    rows = "".join(
        f"S{i},2021-02-30,{SUB_A},B001,监督抽检,流通,超市,蔬菜,合格\r\n" for i in range(250)
    )
    response = upload(client, csv_file(f"{HEADER}\r\n{rows}", name="多.csv"))
    html = client.get(response["Location"]).content.decode()
    assert "共 250 处错误，不能导入" in html
    groups = html[html.index('class="data error-groups"') : html.index("errors-title")]
    assert re.search(
        r"抽样日期</td>\s*<td class=\"reason\">不是有效的日期</td>\s*"
        r"<td class=\"num\">250</td>\s*<td>2、3、4、5、6…</td>",
        groups,
    )
    assert "这里列出前 200 处，共 250 处" in html
    listed = html[html.index('class="data errors"') :]
    assert listed.count("不是有效的日期") == 200
