"""Web pages: login required, the scorecard page, drill-down, period selector, 404s.

The engine is replaced by hand-built scorecards (foodsafe.reports.sample) so these tests do not
depend on ledger data; one test at the end runs the real engine on empty ledgers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import DISTRICT, SUB_A, SUB_B

WEB_DIR = Path(__file__).resolve().parents[2] / "foodsafe" / "web"
NAMES = {DISTRICT: "和平区（测试）", SUB_A: "A街道（测试）", SUB_B: "B街道（测试）"}


def url(org: str, period: str) -> str:
    return reverse("web:scorecard", kwargs={"org_code": org, "period": period})


@pytest.fixture
def logged_in(client, office_user):
    client.force_login(office_user)
    return client


def test_anonymous_is_sent_to_login(client, db):
    for path in ("/", url(DISTRICT, "2021")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_login_page_renders_in_chinese(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录" in html and "用户名" in html and "密码" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_with_password_goes_home(client, office_user, fake_engine):
    response = client.post("/login/", {"username": "office", "password": "office-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_home_redirects_to_programme_unit_and_year(logged_in, fake_engine):
    response = logged_in.get("/")
    assert response.status_code == 302
    assert response["Location"] == url(DISTRICT, "2021")


def test_scorecard_page(logged_in, fake_engine):
    response = logged_in.get(url(DISTRICT, "2021"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "和平区（测试）" in html and DISTRICT in html
    assert "示例数据" in html  # the banner
    assert "存在差距" in html
    for group in ("一、基础工作", "二、能力建设", "四、食品安全状况", "五、示范引领"):
        assert group in html
    assert "农药兽药残留抽检量" in html
    assert "398/355000" in html and "1.12 批次/千人" in html and "≥ 2 批次/千人" in html
    assert "还需抽检 312 批次" in html
    assert 'class="badge not-met"' in html and 'class="badge met"' in html
    assert "区市场监管局、区教育局、各街道办事处" in html
    assert "群众食品安全满意度未达到80分" in html  # veto items
    assert response.context["page"].scorecard.org_unit.code == DISTRICT


def test_no_banner_for_real_data(logged_in, fake_engine):
    fake_engine.example = False
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    assert "example-banner" not in html


def test_drill_down_links_to_children(logged_in, fake_engine):
    html = logged_in.get(url(DISTRICT, "2021Q3")).content.decode()
    assert "下级区划" in html
    for child in (SUB_A, SUB_B):
        assert f'href="{url(child, "2021Q3")}"' in html
    assert sorted((c.org_unit, c.period) for c in fake_engine.calls) == sorted(
        [(DISTRICT, "2021Q3"), (SUB_A, "2021Q3"), (SUB_B, "2021Q3")]
    )
    page_rows = re.findall(r'<tr>\s*<td><a href="/scorecard/(\d{12})/2021Q3/">', html)
    assert page_rows == [SUB_A, SUB_B]


def test_drill_down_key_indicators(logged_in, fake_engine):
    page = logged_in.get(url(DISTRICT, "2021")).context["page"]
    codes = [k.code for k in page.key_indicators]
    # Veto-linked indicators first, then what is not met here.
    assert codes[:2] == ["satisfaction_score", "evaluation_pass_rate"]
    assert "residue_sampling_per_thousand" in codes and len(codes) == 6
    assert len(page.children[0].cells) == 6
    everything = logged_in.get(url(DISTRICT, "2021") + "?cols=all").context["page"]
    assert len(everything.key_indicators) == 13


def test_breadcrumb_up_to_the_programme_unit(logged_in, fake_engine):
    html = logged_in.get(url(SUB_A, "2021")).content.decode()
    assert f'href="{url(DISTRICT, "2021")}"' in html
    crumbs = logged_in.get(url(SUB_A, "2021")).context["page"].breadcrumbs
    # The city above the programme's district is not offered.
    assert [c.code for c in crumbs] == [DISTRICT, SUB_A]


def test_period_selector(logged_in, fake_engine):
    response = logged_in.get(url(DISTRICT, "2021"))
    html = response.content.decode()
    options = re.findall(r'<option value="([^"]+)"', html)
    assert options[:7] == ["2021", "2021S1", "2021S2", "2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    assert options[7:] == [f"2021{m:02d}" for m in range(1, 13)]
    assert '<option value="2021" selected>' in html
    redirect = logged_in.get(url(DISTRICT, "2021"), {"period": "2021Q2"})
    assert redirect.status_code == 302 and redirect["Location"] == url(DISTRICT, "2021Q2")
    assert logged_in.get(url(DISTRICT, "2021"), {"period": "2021Q9"}).status_code == 400


@pytest.mark.parametrize("period", ["2021Q5", "2021S3", "202113", "abc"])
def test_bad_period_is_404(logged_in, fake_engine, period):
    assert logged_in.get(url(DISTRICT, period)).status_code == 404


def test_unknown_org_unit_is_404(logged_in, fake_engine):
    assert logged_in.get(url("999999999999", "2021")).status_code == 404


def test_templates_have_no_external_urls():
    for path in WEB_DIR.rglob("*"):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path


def test_real_engine_page(logged_in, district):
    """The real engine and spec on empty ledgers: the page renders, children are drilled."""
    response = logged_in.get(url(DISTRICT, "2021"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "和平区（测试）" in html and "无数据" in html
    assert f'href="{url(SUB_A, "2021")}"' in html


def test_page_shows_open_in_time_and_the_other_reading(logged_in, district):
    """Issue 10 §3 on the page: a case filed 20 Dec 2021 and open on 31 Dec is inside its
    90-day limit — shown as 依法期限内未结 1 件, the rate 1 closed of 1 = 100 % 达标; the other
    reading (every filed case) is 1 / 2 = 50 % 未达标, flagged 结论不同. The as-of note says why
    a past period is taken at its end."""
    from datetime import date

    from tests.factories import CaseFactory

    CaseFactory(
        org_unit__code=SUB_A,
        lead_received_on=date(2021, 3, 1),
        filed_on=date(2021, 3, 2),
        closed_on=date(2021, 4, 1),
    )
    CaseFactory(
        org_unit__code=SUB_A, lead_received_on=date(2021, 12, 18), filed_on=date(2021, 12, 20)
    )
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    row = re.search(r'<tr id="indicator-case_closing_rate">(.*?)</tr>', html, re.S).group(1)
    assert "依法期限内未结 1 件" in row
    assert "100%" in row and "达标" in row
    other = re.search(r'data-reading="all_filed">(.*?)</div>', row, re.S).group(1)
    assert "50%" in other and "未达标" in other and "结论不同" in other
    assert "已结束的期间默认以期末为数据截至日" in html


def _row(html: str, code: str) -> str:
    return re.search(rf'<tr id="indicator-{code}">(.*?)</tr>', html, re.S).group(1)


def test_page_shows_pending_not_applicable_unreported_and_data_through(logged_in, district):
    """Issue 10 §1–§2 on the page. Ledgers: 3 surveillance batches and 40 evaluation batches
    still 待检 in A街道, all sampled on 2021-08-30; no complaint row, no zero report.

    - 评价性抽检合格率 (district): 0 decided, 40 待检 — best 40/40 = 100 %, worst 0/40 = 0 %,
      so 不完整 with the breakdown ``0 合格，0 不合格，40 待检`` (before: 无数据 or 100 %).
    - 投诉按时办结率: the complaint ledger was never reported: 无数据, noted 未上报, and the gap
      says a ledger or a zero report is needed.
    - The as-of date is 2021-12-31 but the ledgers end on 2021-08-30: said beside it.
    - 数据上报情况: 投诉举报台账 未上报; 食品安全事件台账 0 of 2 subdistricts.
    - B街道: the sampling ledger is reported (the district keeps it) and B has no evaluation
      batch: 不适用, which reads differently from 投诉按时办结率's 未上报.
    """
    from datetime import date

    from tests.factories import SamplingBatchFactory

    on = date(2021, 8, 30)
    SamplingBatchFactory.create_batch(3, org_unit__code=SUB_A, sampled_on=on)
    SamplingBatchFactory.create_batch(
        40, org_unit__code=SUB_A, sampled_on=on, sampling_type="evaluation", conclusion="pending"
    )
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    row = _row(html, "evaluation_pass_rate")
    assert "不完整" in row and "0 合格，0 不合格，40 待检" in row
    row = _row(html, "complaint_on_time_rate")
    assert "无数据" in row and "未上报" in row and "需补录台账或零报告" in row
    assert "台账数据只到 2021-08-30" in html
    table = re.search(r'<table class="data reporting">(.*?)</table>', html, re.S).group(1)
    complaints = re.search(r'<tr id="reporting-complaints"(.*?)</tr>', table, re.S).group(1)
    assert 'class="unreported"' in complaints and "未上报" in complaints
    assert "区市场监管局" in complaints
    sampling = re.search(r'<tr id="reporting-sampling"(.*?)</tr>', table, re.S).group(1)
    assert "已上报" in sampling and "有台账数据" in sampling
    incidents = re.search(r'<tr id="reporting-incidents"(.*?)</tr>', table, re.S).group(1)
    assert "0/2" in incidents and "A街道（测试）：未上报" in incidents

    html_b = logged_in.get(url(SUB_B, "2021")).content.decode()
    row = _row(html_b, "evaluation_pass_rate")
    assert "不适用" in row and "未上报" not in row
    assert "未上报" in _row(html_b, "complaint_on_time_rate")


def test_page_says_which_part_of_an_item_is_missing(logged_in, district, office_admin):
    """Item 24: 50 evaluation batches, 47 合格 and 3 不合格 — 94 % < 98 %, 未达标 — and one
    of its two evidence requirements approved: the item's line names both parts."""
    from foodsafe.programme.models import ItemAssignment
    from foodsafe.programme.services import programme_sync
    from tests.evidence.fixtures import make_evidence
    from tests.factories import SamplingBatchFactory
    from tests.scorecard.conftest import full_spec

    programme_sync(spec=full_spec())
    SamplingBatchFactory.create_batch(47, org_unit__code=SUB_A, sampling_type="evaluation")
    SamplingBatchFactory.create_batch(
        3, org_unit__code=SUB_A, sampling_type="evaluation", conclusion="nonconforming"
    )
    one, two = full_spec().item(24).evidence
    make_evidence(
        assignment=ItemAssignment.objects.get(
            item__programme__code="heping-2021",
            item__number=24,
            responsible_unit__code="market-regulation",
        ),
        requirement=one,
        uploaded_by=office_admin,
        status="approved",
    )
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    name = full_spec().indicator("evaluation_pass_rate").name
    line = re.search(r"<li[^>]*>24\. (.*?)</li>", html, re.S).group(1)
    assert "未达标" in line
    assert f"指标：{name} 未达标；证据缺：{two}" in line
    assert one not in line.split("证据缺：")[1]


# -- 认定否决项: the office records its finding on veto 1 --------------------------------------


def finding_url(org: str = DISTRICT, period: str = "2021", veto: str = "veto_leadership") -> str:
    return reverse(
        "web:veto_finding", kwargs={"org_code": org, "period": period, "veto_code": veto}
    )


def veto_row(html: str, number: int) -> str:
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>(.*?)</tr>", html, re.S)
    return next(row for n, row in rows if int(n) == number)


def test_office_sees_the_finding_form_for_veto_1(logged_in, district):
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    row = veto_row(html, 1)
    assert "待认定" in row and f'action="{finding_url()}"' in row
    assert 'name="basis"' in row and "csrfmiddlewaretoken" in row
    assert 'data-veto="veto_major_incident"' not in html  # incidents decide veto 2


def test_others_see_no_finding_form(client, district, inspector):
    client.force_login(inspector)
    html = client.get(url(DISTRICT, "2021")).content.decode()
    assert "待认定" in veto_row(html, 1) and 'name="basis"' not in html


def test_recording_not_vetoed_shows_clear(logged_in, district, office_user):
    from foodsafe.programme.models import VetoFinding

    response = logged_in.post(finding_url(), {"vetoed": "no", "basis": "经考核，职责已落实"})
    assert response.status_code == 302
    assert response["Location"] == url(DISTRICT, "2021") + "#vetoes-title"
    finding = VetoFinding.objects.get()
    assert (finding.veto_code, finding.org_unit_id, finding.year, finding.vetoed) == (
        "veto_leadership",
        DISTRICT,
        2021,
        False,
    )
    assert finding.recorded_by == office_user and finding.programme_code
    html = logged_in.get(response["Location"]).content.decode()
    row = veto_row(html, 1)
    assert "未触发" in row and "经考核，职责已落实" in row and "待认定" not in row
    assert "修改认定" in row  # the office may change it
    assert logged_in.get(url(DISTRICT, "2021")).context["scorecard"].overall != "vetoed"


def test_recording_vetoed_fails_the_programme_and_replaces_the_finding(logged_in, district):
    from foodsafe.programme.models import VetoFinding

    logged_in.post(finding_url(period="2021Q3"), {"vetoed": "no", "basis": "初步认定"})
    logged_in.post(finding_url(), {"vetoed": "yes", "basis": "未落实责任制规定"})
    finding = VetoFinding.objects.get()  # one finding per unit and year: replaced
    assert finding.vetoed and finding.basis == "未落实责任制规定"
    response = logged_in.get(url(DISTRICT, "2021"))
    assert response.context["scorecard"].overall == "vetoed"
    assert "触发否决" in veto_row(response.content.decode(), 1)


def test_finding_form_refused_without_basis(logged_in, district):
    from foodsafe.programme.models import VetoFinding

    response = logged_in.post(finding_url(), {"vetoed": "yes", "basis": "  "}, follow=True)
    assert "认定未保存" in response.content.decode()
    assert not VetoFinding.objects.exists()


def test_finding_unknown_unit_period_or_veto_is_404(logged_in, district):
    data = {"vetoed": "yes", "basis": "x"}
    assert logged_in.post(finding_url(org="999999999999"), data).status_code == 404
    assert logged_in.post(finding_url(period="20x1"), data).status_code == 404
    assert logged_in.post(finding_url(veto="nope"), data).status_code == 404
    assert logged_in.post(finding_url(veto="veto_major_incident"), data).status_code == 404
    # A GET (a shared link) goes to the page that owns the form, the scorecard's veto section.
    response = logged_in.get(finding_url())
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("web:scorecard", kwargs={"org_code": DISTRICT, "period": "2021"}) + "#vetoes-title"
    )


def test_finding_needs_csrf(district, office_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    response = client.post(finding_url(), {"vetoed": "yes", "basis": "x"})
    assert response.status_code == 403


def test_a_quarter_page_judges_no_veto_and_links_to_the_year(logged_in, district):
    # F7: vetoes are the year's (incidents look back three years; satisfaction and the pass
    # rate are yearly results). On 2021Q1 every veto reads 按年度判定, the summary links to the
    # 2021 page, nothing says 否决, and the office is offered no finding form for a quarter.
    html = logged_in.get(url(DISTRICT, "2021Q1")).content.decode()
    for number in range(1, 6):
        assert "按年度判定" in veto_row(html, number)
    assert f'id="vetoes-year" href="{url(DISTRICT, "2021")}"' in html
    assert "触发否决" not in html and "一票否决" not in html
    assert 'name="basis"' not in html
    # The year keeps its verdicts: veto 1 is still 待认定 with the office's form.
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    assert "待认定" in veto_row(html, 1) and 'name="basis"' in html


def test_a_yearly_target_in_a_quarter_is_progress_linked_to_the_year(logged_in, district):
    """h-newuser3 N2: 业务培训覆盖率 is a yearly target (spec ``cycle: year``). One inspector in
    A街道 trained on 2021-05-01 and one on 2021-02-01: 2021Q1 shows 1/2 = 50.00 % as progress,
    按年度判定 (not 未达标), the counts name it and link to the 2021 page; 2021 is 2/2 达标."""
    from datetime import date
    from decimal import Decimal

    from tests.factories import StaffMemberFactory, TrainingRecordFactory

    for day in (date(2021, 2, 1), date(2021, 5, 1)):
        person = StaffMemberFactory(org_unit__code=SUB_A)
        TrainingRecordFactory(staff=person, class_hours=Decimal(8), trained_on=day)
    html = logged_in.get(url(DISTRICT, "2021Q1")).content.decode()
    row = _row(html, "training_coverage")
    assert "按年度判定" in row and "期内进度，目标按年度判定" in row
    assert re.search(r'class="num value"[^>]*>50(\.00)?\s*%', row)
    assert '<span class="badge info">按年度判定</span>' in row and "badge not-met" not in row
    assert f'id="indicators-year" href="{url(DISTRICT, "2021")}"' in html
    html = logged_in.get(url(DISTRICT, "2021")).content.decode()
    assert "达标" in _row(html, "training_coverage")
