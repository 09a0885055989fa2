"""Issue 9 point 3 in a real browser: hostile names imported through the import page never run.

The office imports, through /imports/ (upload → preview → 确认导入), an org-unit file that renames
subdistrict A to ``<img src=x onerror=window.__xss=1>`` and adds a subdistrict called
``"><script>window.__xss=2</script>``, a business file with such names, and a complaint whose
complainant and summary are hostile; the uploaded file's own name is hostile too. Then it opens
every page that shows those names (the dashboard of the district and of the renamed unit, the
scorecard, the import pages, the complaints ledger, the rectification and supervision pages) and
hovers every data point of every chart, both with ECharts' ``showTip`` action and with the mouse
over each canvas.

Two runs: one as served (escaping *and* the Content-Security-Policy), one with the CSP header
removed by the browser's request interception, so that escaping alone must hold. Each run ends
with a control that shows the detector works: the same name put into the page as raw HTML by the
test itself sets ``window.__xss`` when there is no CSP, and is blocked when there is.

Asserted on every page: ``window.__xss`` is undefined, no dialog opened, the hostile names are
shown as text (so escaping, not chance, kept them inert), and every HTML response carried the
strict CSP (when not stripped).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management import call_command

from foodsafe.complaints.models import Complaint
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import PopulationFactory, SamplingBatchFactory

from .conftest import login, screenshot

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = '"><script>window.__xss=2</script>'
SVG = "<svg onload=alert(3)>"  # a dialog, if it ever ran
QUOTE = "'><img src=x onerror=window.__xss=4>"
SUB_C = "120101003000"
FILE_NAME = "<img src=x onerror=window.__xss=5>.csv"

ORGUNITS_CSV = (
    "区划代码,名称,上级区划代码,示例数据\r\n"
    f"{SUB_A},{IMG},{DISTRICT},否\r\n"
    f'{SUB_C},"{SCRIPT.replace(chr(34), chr(34) * 2)}",{DISTRICT},否\r\n'
)
BUSINESSES_CSV = (
    "登记编号,名称,类别,业态,区划代码,地址\r\n"
    f"B001,{SVG},食品销售,超市,{SUB_A},{QUOTE}\r\n"
    f'B002,"{SCRIPT.replace(chr(34), chr(34) * 2)}",餐饮服务,小餐饮,{SUB_C},和平路1号\r\n'
)
COMPLAINTS_CSV = (
    "投诉举报编号,类型,区划代码,登记编号,投诉人,联系电话,投诉内容,登记日期\r\n"
    f"TS-1,投诉,{SUB_A},B001,{IMG},13812345678,{QUOTE},2021-09-01\r\n"
)

STRICT_SCRIPT_SRC = re.compile(r"(^|;)\s*script-src 'self'\s*(;|$)")


def csv(text: str, name: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": ("\ufeff" + text).encode("utf-8")}


def import_through_page(page, ledger: str, text: str, name: str) -> None:
    """Upload, look at the preview (hostile values shown as text), confirm."""
    page.goto("/imports/")
    page.select_option("#id_ledger", ledger)
    page.set_input_files("#id_file", csv(text, name))
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url("**/imports/preview/**")
    assert page.locator("table.data.errors").count() == 0, page.locator("table.errors").inner_text()
    assert_inert(page, "preview " + ledger)
    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_url("**/imports/log/**")
    assert_inert(page, "log entry " + ledger)


def assert_inert(page, where: str) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", where
    assert page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0


#: Hover every data point of every chart on the page; return the tooltips' text.
HOVER_ALL = """
async () => {
  const seen = [];
  for (const el of document.querySelectorAll('.chart')) {
    const chart = window.echarts.getInstanceByDom(el);
    if (!chart) { continue; }
    const series = chart.getOption().series || [];
    for (let s = 0; s < series.length; s++) {
      const n = (series[s].data || []).length;
      for (let i = 0; i < n; i++) {
        chart.dispatchAction({ type: 'showTip', seriesIndex: s, dataIndex: i });
        document.querySelectorAll('.chart-tooltip').forEach((t) => seen.push(t.textContent));
      }
    }
    chart.dispatchAction({ type: 'hideTip' });
  }
  return seen;
}
"""


def hover_with_mouse(page) -> list[str]:
    """Move the mouse across each chart's canvas, 12 steps at two heights."""
    seen: list[str] = []
    charts = page.locator(".chart canvas")
    for n in range(charts.count()):
        canvas = charts.nth(n)
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        if not box:
            continue
        for fy in (0.4, 0.75):
            for step in range(12):
                page.mouse.move(
                    box["x"] + box["width"] * (step + 0.5) / 12, box["y"] + box["height"] * fy
                )
            seen += page.locator(".chart-tooltip").all_text_contents()
    page.mouse.move(0, 0)
    return seen


@pytest.fixture
def hostile_site(site, district, office_admin):
    call_command("loadprogramme", verbosity=0)
    for code in (SUB_A, SUB_B):
        PopulationFactory(org_unit_id=code, resident_population=1000)
    for code, day in ((SUB_A, date(2021, 3, 10)), (SUB_B, date(2021, 6, 3))):
        SamplingBatchFactory(org_unit_id=code, sampled_on=day, department="market_regulation")
    return site


@pytest.mark.parametrize("csp", ["served", "stripped"])
def test_hostile_names_never_run(page, hostile_site, csp):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    documents: list[tuple[str, str | None]] = []

    def on_response(response):
        if response.request.resource_type == "document":
            documents.append((response.url, response.headers.get("content-security-policy")))

    if csp == "stripped":
        # Escaping alone must hold: the browser gets every page without its CSP header.
        def strip(route):
            response = route.fetch(max_redirects=0)
            headers = {
                k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"
            }
            route.fulfill(response=response, headers=headers)

        page.route("**/*", strip)
    else:
        page.on("response", on_response)

    login(page, "office_admin")
    import_through_page(page, "orgunits", ORGUNITS_CSV, FILE_NAME)
    import_through_page(page, "businesses", BUSINESSES_CSV, "经营者.csv")
    import_through_page(page, "complaints", COMPLAINTS_CSV, "投诉.csv")
    # The names went in as typed: the importer neither refused nor "cleaned" them.
    assert OrgUnit.objects.get(code=SUB_A).name == IMG
    assert OrgUnit.objects.get(code=SUB_C).name == SCRIPT
    assert FoodBusiness.objects.get(registry_number="B001").name == SVG
    assert Complaint.objects.get(complaint_number="TS-1").summary == QUOTE

    # The dashboard: the subdistricts' chart carries the hostile names as series names.
    page.goto(f"/dashboard/{DISTRICT}/2021/")
    page.wait_for_selector("body[data-charts-ready]")
    assert int(page.get_attribute("body", "data-charts-ready") or 0) >= 3
    tips = page.evaluate(HOVER_ALL)
    # The tooltips were shown and carry the names as text, "<img ..." visible to the reader.
    assert any(IMG in t for t in tips) and any(SCRIPT in t for t in tips), tips[:5]
    tips = hover_with_mouse(page)
    assert tips, "the mouse raised no tooltip"
    assert_inert(page, "dashboard after hovering")
    screenshot(page, f"hostile-dashboard-{csp}")

    # The renamed unit's own dashboard (breadcrumb, heading, title) and every page with names.
    pages = [
        f"/dashboard/{SUB_A}/2021/",
        f"/dashboard/{SUB_C}/2021/",
        f"/scorecard/{DISTRICT}/2021/",
        f"/scorecard/{SUB_A}/2021/",
        f"/scorecard/{SUB_C}/2021/",
        "/imports/log/",
        "/complaints/",
        "/rectifications/",
        "/supervision/overdue/",
        "/supervision/performance/",
        "/programme/tasks/",
    ]
    for url in pages:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if url.startswith("/dashboard/"):
            page.wait_for_selector("body[data-charts-ready]")
            page.evaluate(HOVER_ALL)
            hover_with_mouse(page)
        assert_inert(page, url)
    # The heading of the renamed unit's pages shows the name as characters.
    page.goto(f"/dashboard/{SUB_A}/2021/")
    assert IMG in page.locator("h1").inner_text()
    page.goto(f"/scorecard/{SUB_C}/2021/")
    assert SCRIPT in page.locator("h1").inner_text()
    page.goto("/imports/log/")
    assert FILE_NAME in page.locator("main").inner_text()

    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    if csp == "served":
        assert documents, "no HTML response seen"
        missing = [url for url, header in documents if not header]
        assert missing == []
        loose = [url for url, header in documents if not STRICT_SCRIPT_SRC.search(header or "")]
        assert loose == []

    # Control: the detector is live. The same name inserted as raw HTML by the test runs when
    # there is no CSP, and is blocked by the CSP when there is one.
    page.evaluate("(html) => document.body.insertAdjacentHTML('beforeend', html)", IMG)
    page.wait_for_timeout(300)
    ran = page.evaluate("window.__xss === undefined ? null : window.__xss")
    assert ran == (1 if csp == "stripped" else None)
