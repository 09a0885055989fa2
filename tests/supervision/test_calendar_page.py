"""The office's working-day calendar page /supervision/calendar/ (issue 9 point 1): the years
stored, a year's days, the template, upload or entry → preview with the stored deadlines that
would change (old → new) → confirm (arrangement_load: one transaction, revision, audit).

Dates worked out by hand (the 2027 arrangement is made up, see tests/workdays/sheet_helpers.py;
2027 statutory holidays: 春节 除夕–初三 = Fri 5 – Mon 8 Feb):
- a rectification created Mon 2027-02-01 with 10 working days, statutory only: Tue 2 (1),
  Wed 3 (2), Thu 4 (3), [Fri 5 – Mon 8 off], Tue 9 (4) … Fri 12 (7), Mon 15 (8), Tue 16 (9),
  Wed 17 (10) → 2027-02-17 暂定. With the arrangement (9–11 Feb also off, Sat 13 worked):
  Tue 2, Wed 3, Thu 4 (3), Fri 12 (4), Sat 13 (5), Mon 15 (6) … Fri 19 (10) → 2027-02-19.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from foodsafe.rectification.models import Rectification
from foodsafe.workdays.models import CalendarRevision, HolidayArrangement, SpecialDay
from tests.rectification.helpers import frozen
from tests.supervision.helpers import rectification
from tests.workdays.sheet_helpers import filled_template

pytestmark = pytest.mark.django_db

URL = "/supervision/calendar/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes, name: str = "安排2027.xlsx"):
    return client.post(
        reverse("supervision:calendar_submit"), {"file": SimpleUploadedFile(name, data)}
    )


@frozen(date(2026, 12, 6))
def test_the_page_lists_stored_years_and_the_provisional_ones(office_admin):
    html = _client(office_admin).get(URL).content.decode()
    # 2026 is seeded (chinese-calendar 1.x: 33 holidays and 6 make-up working days);
    # the expected counts are read from the stored rows, not typed here.
    holidays = SpecialDay.objects.filter(date__year=2026, kind="holiday").count()
    workdays = SpecialDay.objects.filter(date__year=2026, kind="workday").count()
    assert (holidays, workdays) != (0, 0)
    row_2026 = html[html.index('href="/supervision/calendar/2026/"') :].split("</tr>")[0]
    assert f'<td class="num">{holidays}</td>' in row_2026
    assert f'<td class="num">{workdays}</td>' in row_2026
    # 2027 and 2028 (today's year + 2) have no arrangement: statutory only, 暂定. 2027 has 13
    # statutory days (元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3; 中秋 is 15 Sep).
    row_2027 = html[html.index('href="/supervision/calendar/2027/"') :].split("</tr>")[0]
    assert "暂定" in row_2027 and '<td class="num">13</td>' in row_2027
    assert 'href="/supervision/calendar/2028/"' in html
    assert 'href="/supervision/calendar/2029/"' not in html
    assert reverse("supervision:calendar_template", args=[2027]) in html


def test_a_year_without_arrangement_shows_its_statutory_days_as_provisional(office_admin):
    html = _client(office_admin).get(reverse("supervision:calendar_year", args=[2028])).content
    text = html.decode()
    assert 'id="year-provisional"' in text
    # 2028 春节: 正月初一 Wed 26 Jan, so 除夕 Tue 25 – 初三 Fri 28 Jan.
    for day in ("2028-01-25", "2028-01-28"):
        assert day in text
    assert "2028-01-24" not in text and "2028-01-29" not in text


def test_years_outside_the_range_are_404(office_admin):
    client = _client(office_admin)
    assert client.get(reverse("supervision:calendar_year", args=[1999])).status_code == 404
    assert client.get(reverse("supervision:calendar_template", args=[2101])).status_code == 404


def test_the_template_download_is_the_prefilled_sheet(office_admin):
    import openpyxl

    response = _client(office_admin).get(reverse("supervision:calendar_template", args=[2027]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["通知", "日期"]
    assert book["通知"]["B2"].value == 2027
    # 13 statutory days prefilled (see above) after the header row.
    filled = [r for r in book["日期"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert len(filled) == 13


def test_upload_preview_confirm_recomputes_and_audits(office_admin):
    with frozen(date(2027, 2, 1)):
        rect = rectification(
            owner="health", created_on=date(2027, 2, 1), working_days=10, creator=office_admin
        )
    # Written straight to the model with the statutory calendar: 2027-02-17 暂定 (see above).
    assert (rect.deadline, rect.deadline_provisional) == (date(2027, 2, 17), True)
    before = CalendarRevision.objects.order_by("-version").first().version
    client = _client(office_admin)

    with frozen(date(2026, 12, 6)):
        response = _upload(client, filled_template())
        assert response.status_code == 302
        preview_url = response["Location"]
        html = client.get(preview_url).content.decode()
    # Nothing is written by the preview.
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    rect.refresh_from_db()
    assert rect.deadline == date(2027, 2, 17)
    changes = html[html.index('id="deadline-changes"') :].split("</table>")[0]
    row = changes[changes.index(rect.number) :].split("</tr>")[0]
    assert "2027-02-17" in row and "2027-02-19" in row
    assert row.index("2027-02-17") < row.index("2027-02-19")  # old → new
    assert row.count("暂定") == 1  # only the old deadline was provisional
    # 13 statutory + 7 bridging days off, 2 make-up Saturdays.
    assert "放假 20 天，调休上班 2 天" in html

    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    with frozen(date(2026, 12, 6)):
        response = client.post(reverse("supervision:calendar_confirm", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:calendar_year", args=[2027])
    rect.refresh_from_db()
    assert (rect.deadline, rect.deadline_provisional) == (date(2027, 2, 19), False)
    assert rect.deadline_calendar_revision == before + 1
    arrangement = HolidayArrangement.objects.get(year=2027)
    assert arrangement.loaded_by == office_admin
    assert arrangement.source_number == "国办发明电〔2026〕X号"
    revision = CalendarRevision.objects.get(version=before + 1)
    assert revision.changed_by == office_admin
    assert (revision.deadlines_recomputed, revision.deadlines_changed) == (1, 1)
    # (latest by id: the creation was dated 2027-02-01, the load 2026-12-06)
    assert rect.history.order_by("-history_id").first().history_user == office_admin
    # The token is spent: confirming again is a 404, not a second load.
    assert client.post(reverse("supervision:calendar_confirm", args=[token])).status_code == 404
    page = client.get(response["Location"]).content.decode()
    assert "已载入 2027 年节假日安排" in page and "2027-02-13" in page


def test_entry_form_previews_the_same_way(office_admin):
    client = _client(office_admin)
    response = client.post(
        reverse("supervision:calendar_submit"),
        {
            "year": 2027,
            "title": "国务院办公厅关于2027年部分节假日安排的通知",
            "number": "",
            "published_on": "",
            "days": "2027-01-01 放假 元旦\n\n2027-02-13 调休上班 春节\n2027-02-05 放假 春节",
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    days = html[html.index('id="preview-days"') :]
    # sorted by date; Sat 13 Feb a make-up working day
    assert days.index("2027-01-01") < days.index("2027-02-05") < days.index("2027-02-13")
    assert "放假 2 天，调休上班 1 天" in html


def test_entry_errors_name_the_line(office_admin):
    response = _client(office_admin).post(
        reverse("supervision:calendar_submit"),
        {
            "year": 2027,
            "title": "通知",
            # line 1 fine; line 2 not a date; line 3 Wed 10 Feb cannot be a make-up day;
            # line 4 repeats line 1; line 5 is 2028.
            "days": "2027-02-05 放假\n2027-02-30 放假\n2027-02-10 调休上班\n2027-02-05 放假\n"
            "2028-01-01 放假",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "日期列表第 2 行" in html and "2027-02-30" in html
    assert "日期列表第 3 行：2027-02-10 是周三" in html
    assert "日期列表第 4 行：2027-02-05 与第 1 行重复" in html
    assert "日期列表第 5 行：2028-01-01 不在 2027 年内" in html
    assert not HolidayArrangement.objects.filter(year=2027).exists()


def test_a_bad_template_names_sheet_row_and_column(office_admin):
    data = filled_template(rows=[("2027-13-01", "放假", "x"), (date(2027, 2, 10), "调休上班", "")])
    response = _upload(_client(office_admin), data, name="坏表.xlsx")
    assert response.status_code == 400
    html = response.content.decode()
    # The template has a header and 13 statutory rows (2–14) and the hint row (15); the added
    # rows are 16 and 17.
    assert "坏表.xlsx 工作表“日期”第 16 行 A 列（日期）" in html
    assert "坏表.xlsx 工作表“日期”第 17 行 B 列（类别）：2027-02-10 是周三" in html


def test_an_upload_that_is_not_xlsx_is_refused_by_content(office_admin):
    response = _upload(_client(office_admin), b"MZ\x90\x00 not a workbook", name="安排.xlsx")
    assert response.status_code == 400
    assert "安排.xlsx：不是 .xlsx 文件" in response.content.decode()


def test_a_body_over_the_limit_is_refused_before_reading(office_admin):
    response = _client(office_admin).post(
        reverse("supervision:calendar_submit"), data=b"x", content_type="application/octet-stream",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413


def test_csrf_is_checked(office_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_admin)
    response = client.post(reverse("supervision:calendar_submit"), {"year": 2027})
    assert response.status_code == 403


def test_another_office_user_cannot_confirm_my_preview(office_admin, django_user_model):
    from tests.conftest import _persona

    other = _persona(django_user_model, "office2", "office_admin")
    mine = _client(office_admin)
    token = _upload(mine, filled_template())["Location"].rstrip("/").rsplit("/", 1)[1]
    theirs = _client(other)
    assert theirs.get(reverse("supervision:calendar_preview", args=[token])).status_code == 404
    assert theirs.post(reverse("supervision:calendar_confirm", args=[token])).status_code == 404
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    assert Rectification.objects.count() == 0


def test_holiday_names_in_english(office_admin):
    # The statutory names are translated on an English page; Chinese pages keep them.
    client = _client(office_admin)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("supervision:calendar_year", args=[2028])).content.decode()
    assert "<td>Spring Festival</td>" in text and "<td>National Day</td>" in text
    assert "<td>春节</td>" not in text
    client.cookies["django_language"] = "zh-hans"
    text = client.get(reverse("supervision:calendar_year", args=[2028])).content.decode()
    assert "<td>春节</td>" in text and "Spring Festival" not in text
