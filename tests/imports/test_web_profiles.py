"""Issue 18 point 1: a mapping profile on the upload page, with the same preview and confirm.

The shipped profiles are offered to whoever may import; the office may also upload a .yaml
profile of its own (refused for others, refused with YAML aliases, checked like a shipped one).
The preview is a dry run as the user: per step what would be imported, the rows the
profile's rules set aside (grouped), or the errors grouped by column and reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from foodsafe.imports.models import ImportLog
from foodsafe.imports.profiles import load_profile
from foodsafe.sampling.models import SamplingBatch
from foodsafe.sampling.models import TestItem as SampleTestItem
from tests.conftest import DISTRICT

from .helpers import row_counts

NOTICE = Path(__file__).resolve().parents[1] / "data" / "profiles" / "sampling_notice.xlsx"
UPLOAD = "/imports/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def notice() -> SimpleUploadedFile:
    return SimpleUploadedFile("通告.xlsx", NOTICE.read_bytes(), content_type=XLSX)


def post(client: Client, **extra):
    data = {"ledger": "sampling", "file": notice(), "sheet": "", "profile": "", "params": ""}
    data.update(extra)
    return client.post(UPLOAD, data)


def test_shipped_profile_preview_and_confirm(client, office_admin, district):
    client.force_login(office_admin)
    page = client.get(UPLOAD).content.decode()
    assert 'value="sampling_notice"' in page and "上传映射配置" in page
    response = post(client, profile="sampling_notice", params=f"org_unit={DISTRICT}")
    assert response.status_code == 302
    before = row_counts()
    html = client.get(response["Location"]).content.decode()
    # The notice: 8 rows read, 7 batches with 12 failed items; the note under the table
    # (row 11, 序号 not a number) is set aside by the source filter.
    assert "校验通过" in html and "读取 8 行" in html and "确认导入" in html
    steps = html[html.index('class="data profile-steps"') :]
    assert re.search(r"sampling</td><td class=\"num\">7</td><td class=\"num\">7</td>", steps)
    assert re.search(r"test_items</td><td class=\"num\">12</td><td class=\"num\">12</td>", steps)
    aside = html[html.index('class="data set-aside"') :]
    assert re.search(r"filters\[0\]</td><td class=\"num\">1</td><td>11</td>", aside)
    assert row_counts() == before  # the preview writes nothing
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    done = client.post(reverse("imports:confirm", args=[token]))
    assert done.status_code == 302
    assert SamplingBatch.objects.count() == 7 and SampleTestItem.objects.count() == 12
    log = ImportLog.objects.get(ledger="sampling")
    assert done["Location"] == reverse("imports:log_entry", args=[log.pk])
    assert (log.file_name, log.imported_by) == ("通告.xlsx [sampling_notice]", office_admin)
    # The set-aside list downloads before the confirm only; after it the upload is gone.
    assert client.get(reverse("imports:preview", args=[token])).status_code == 404


def test_missing_parameter_is_a_form_error(client, market_user, district):
    client.force_login(market_user)
    response = post(client, profile="sampling_notice")
    assert response.status_code == 400
    assert "需要参数 org_unit" in response.content.decode()
    response = post(client, profile="", params="org_unit=1")
    assert "没有选择映射配置，不需要参数" in response.content.decode()


def test_errors_are_grouped_and_nothing_is_written(client, office_admin, district):
    """An org unit that does not exist: all 7 batches fail on 区划代码, one group of 7."""
    client.force_login(office_admin)
    response = post(client, profile="sampling_notice", params="org_unit=120101999000")
    before = row_counts()
    html = client.get(response["Location"]).content.decode()
    assert "共 7 处错误，不能导入" in html and "确认导入" not in html
    groups = html[html.index('class="data error-groups"') : html.index("errors-title")]
    assert re.search(r"<td class=\"num\">7</td>\s*<td>4、5、6、7、8…</td>", groups)
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    report = client.get(reverse("imports:error_report", args=[token]))
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert client.post(reverse("imports:confirm", args=[token])).status_code == 400
    assert row_counts() == before


def _yaml(name: str = "my_notice") -> bytes:
    text = Path(load_profile("sampling_notice").path).read_text(encoding="utf-8")
    return text.replace("profile: sampling_notice", f"profile: {name}").encode("utf-8")


def test_office_uploads_its_own_profile(client, office_admin, district):
    client.force_login(office_admin)
    mine = SimpleUploadedFile("my.yaml", _yaml(), content_type="application/x-yaml")
    response = post(client, profile_file=mine, params=f"org_unit={DISTRICT}")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "my_notice" in html and "校验通过" in html
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert client.post(reverse("imports:confirm", args=[token])).status_code == 302
    assert ImportLog.objects.get(ledger="sampling").file_name == "通告.xlsx [my_notice]"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"profile: &a x\nversion: *a\n", "锚点或别名"),
        (b"profile: x\nversion: '1'\ntitle: t\nsources: {}\n", "sources"),
        ("标题: [".encode(), "YAML 语法错误"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_bad_uploaded_profiles_are_refused(client, office_admin, district, content, words):
    client.force_login(office_admin)
    bad = SimpleUploadedFile("bad.yaml", content, content_type="application/x-yaml")
    response = post(client, profile_file=bad)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_only_the_office_may_upload_a_profile(client, market_user, district):
    """A member unit sees no profile upload; a profile file it posts anyway is ignored (the
    form has no such field for it), so the file is read as a plain ledger file."""
    client.force_login(market_user)
    assert "上传映射配置" not in client.get(UPLOAD).content.decode()
    mine = SimpleUploadedFile("my.yaml", _yaml(), content_type="application/x-yaml")
    response = post(client, profile_file=mine)
    html = client.get(response["Location"]).content.decode()
    assert "my_notice" not in html and "映射配置" not in html


def test_profile_upload_needs_csrf(office_admin, district):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_admin)
    response = post(client, profile="sampling_notice", params=f"org_unit={DISTRICT}")
    assert response.status_code == 403
