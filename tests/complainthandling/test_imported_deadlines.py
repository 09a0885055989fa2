"""Imported complaints (12315 exports) get the deadlines of complaints filed on the public form
(issue 16): the same dates give the same 受理决定期限, 办结期限 and 告知终止期限 (第二十一条: 7
working days after the end of mediation), and a 举报's 核查期限; where the file's dates do not
allow a deadline, the handling page says why.

The 2021 calendar used by hand: National Day Fri 1 – Thu 7 Oct off, Sat 9 Oct a make-up working
day; no holiday or make-up day from mid-October to the end of December.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from foodsafe.complainthandling import services
from foodsafe.complaints.models import Complaint
from foodsafe.complaints.selectors import end_notice_absent_reason
from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.services import ledger_import
from tests.complainthandling.test_handling import submission
from tests.imports.helpers import write_csv

from ..conftest import SUB_A

HEADER = [
    "投诉举报编号",
    "类型",
    "区划代码",
    "登记日期",
    "受理决定",
    "决定日期",
    "办结日期",
    "告知终止日期",
]
# Received Thu 30 Sep 2021 (the public form's day below, 10:00 in Shanghai).
FILED_AT = datetime(2021, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _import(tmp_path, rows):
    return ledger_import(ledger="complaints", path=write_csv(tmp_path / "c.csv", [HEADER, *rows]))


@time_machine.travel(datetime(2022, 1, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_imported_and_public_complaints_get_the_same_deadlines(district, office_admin, tmp_path):
    with time_machine.travel(FILED_AT, tick=False):
        public = services.complaint_submit(submission=submission(), submission_key="same")[0]
    public = services.complaint_decide(
        complaint=public, accept=True, decided_on=date(2021, 10, 15), actor=office_admin
    )
    public = services.complaint_close(
        complaint=public,
        outcome="ended",
        closed_on=date(2021, 12, 17),
        reply="终止调解",
        actor=office_admin,
    )
    _import(
        tmp_path,
        [["C1", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-15", "2021-12-17", "2021-12-28"]],
    )
    imported = Complaint.objects.get(complaint_number="C1")
    # 受理决定期限: Fri 8 Oct (1), Sat 9 Oct make-up (2), Mon 11 – Fri 15 Oct (7) → 15 Oct.
    # 办结期限: 45 working days after Fri 15 Oct = 9 full weeks, Mon 18 Oct … Fri 17 Dec.
    # 告知终止期限: 7 working days after Fri 17 Dec: Mon 20 – Fri 24 (5), Mon 27, Tue 28 Dec.
    expected = (date(2021, 10, 15), date(2021, 12, 17), date(2021, 12, 28))
    for c in (public, imported):
        assert (c.acceptance_due_on, c.closing_due_on, c.end_notice_due_on) == expected
    assert imported.end_notified_on == date(2021, 12, 28)
    assert end_notice_absent_reason(imported) == ""


def test_an_imported_report_gets_its_verification_deadline(district, tmp_path):
    # 举报 received Thu 30 Sep 2021, 15 working days to verify (report-limits.yaml [M]):
    # Fri 8 Oct (1), Sat 9 Oct make-up (2), 11–15 Oct (3–7), 18–22 Oct (8–12), Mon 25, Tue 26,
    # Wed 27 Oct (15).
    _import(tmp_path, [["J1", "举报", SUB_A, "2021-09-30", "", "", "", ""]])
    report = Complaint.objects.get(complaint_number="J1")
    assert report.verification_due_on == date(2021, 10, 27)
    # No case decision or real-name column in the file: the later limits are not guessed.
    assert report.reporter_notice_due_on is None and report.case_due_on is None


def test_where_the_dates_allow_no_end_notice_the_reason_is_given(district, tmp_path):
    _import(
        tmp_path,
        [
            # refused: told with the refusal (第十四条)
            ["C2", "投诉", SUB_A, "2021-09-30", "不予受理", "2021-10-08", "2021-10-08", ""],
            # accepted, mediation not ended yet
            ["C3", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "", ""],
            # accepted and closed, nobody told yet: the deadline is there, the notice is not
            ["C4", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "2021-11-01", ""],
            # a report is not mediated
            ["J2", "举报", SUB_A, "2021-09-30", "", "", "", ""],
        ],
    )
    c2, c3, c4, j2 = (Complaint.objects.get(complaint_number=n) for n in ("C2", "C3", "C4", "J2"))
    assert c2.end_notice_due_on is None
    assert "第十四条" in end_notice_absent_reason(c2)
    assert c3.end_notice_due_on is None
    assert "尚未办结" in end_notice_absent_reason(c3)
    # Mon 1 Nov + 7 working days: Tue 2 – Fri 5 (4), Mon 8 – Wed 10 Nov (7).
    assert c4.end_notice_due_on == date(2021, 11, 10) and c4.end_notified_on is None
    assert end_notice_absent_reason(c4) == ""
    assert "举报不经调解" in end_notice_absent_reason(j2)


def test_the_handling_page_says_why_there_is_no_end_notice(
    district, tmp_path, client, office_admin
):
    _import(tmp_path, [["C3", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "", ""]])
    client.force_login(office_admin)
    pk = Complaint.objects.get(complaint_number="C3").pk
    page = client.get(reverse("complainthandling:detail", kwargs={"pk": pk}))
    assert page.status_code == 200
    assert "尚未办结：办结后7个工作日内告知终止（第二十一条）" in page.content.decode()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            [
                "C5",
                "投诉",
                SUB_A,
                "2021-09-30",
                "不予受理",
                "2021-10-08",
                "2021-10-08",
                "2021-10-09",
            ],
            "只有已受理的投诉有告知终止日期（不予受理随决定告知）",
        ),
        (
            ["C6", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "2021-11-01", "2021-10-29"],
            "告知终止日期不能早于办结日期（2021-11-01）",
        ),
        (
            ["C7", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "", "2021-11-01"],
            "填写了告知终止日期，办结日期不能为空",
        ),
        (
            ["J3", "举报", SUB_A, "2021-09-30", "", "", "", "2021-11-01"],
            "举报不经调解，不应填写告知终止日期",
        ),
    ],
)
def test_a_bad_end_notice_date_is_refused_with_its_row_and_column(district, tmp_path, row, reason):
    good = ["C0", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "2021-11-01", "2021-11-02"]
    with pytest.raises(ImportValidationError) as excinfo:
        _import(tmp_path, [good, row])
    found = [(e.row, e.column, e.reason) for e in excinfo.value.errors]
    assert (3, "告知终止日期", reason) in found  # row 3: the header is row 1, the good row 2
    assert not Complaint.objects.exists()  # all or nothing: the good row is not written either


def test_the_monthly_statistics_count_on_time_as_item_9_does(district, tmp_path):
    from foodsafe.complainthandling.selectors import monthly_statistics

    # Received Thu 30 Sep, accepted Fri 8 Oct (in time: due 15 Oct), closed Mon 1 Nov (in
    # time); end notice due Wed 10 Nov (Tue 2 – Fri 5, Mon 8 – Wed 10 Nov). Told on the 10th:
    # on time; told on the 11th or not at all: closed, not on time (item 9's reading).
    _import(
        tmp_path,
        [
            ["C1", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "2021-11-01", "2021-11-10"],
            ["C2", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "2021-11-01", "2021-11-11"],
            ["C3", "投诉", SUB_A, "2021-09-30", "受理", "2021-10-08", "2021-11-01", ""],
        ],
    )
    stats = monthly_statistics(2021, 9)
    # 办结 (done): the three ended; 其中按时 only C1.
    assert stats.received == {"complaint": 3, "accepted": 3, "closed": 3, "done": 3, "on_time": 1}
