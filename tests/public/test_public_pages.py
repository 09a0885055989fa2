"""The public pages (/public/): no login, CSRF, CSP, the challenge, the rate limit, and nothing
of the internal site reachable from them."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from foodsafe.complaints.models import Complaint
from foodsafe.public.challenge import chinese_number, english_number
from tests.conftest import SUB_A

from .helpers import chinese_to_int, english_to_int, solve

pytestmark = pytest.mark.django_db
PUBLIC_PAGES = (
    "public:index",
    "public:complaint",
    "public:status",
    "public:survey",
    "public:notices",
    "public:statistics",
)


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS = 0


def form_data(html: str, **changes) -> dict[str, str]:
    token, answer = solve(html)
    data = {
        "token": token,
        "answer": answer,
        "website": "",
        "is_complaint": "on",
        "name": "王小明",
        "phone": "13812345678",
        "address": "和平区某路1号",
        "org_unit_code": SUB_A,
        "respondent": "示例面包店",
        "category": "expired",
        "claim": "退款",
        "facts": "面包过期",
    }
    data.update(changes)
    return data


def test_chinese_numerals_both_ways():
    for n in range(100):
        assert chinese_to_int(chinese_number(n)) == n
    assert [chinese_number(n) for n in (7, 10, 15, 40, 37)] == [
        "七",
        "十",
        "十五",
        "四十",
        "三十七",
    ]


def test_english_numerals_both_ways():
    for n in range(100):
        assert english_to_int(english_number(n)) == n
    assert [english_number(n) for n in (7, 10, 15, 40, 37)] == [
        "seven",
        "ten",
        "fifteen",
        "forty",
        "thirty-seven",
    ]


def test_an_english_reader_can_answer_the_challenge_and_the_survey(district):
    """New-user finding N12: on the English pages the challenge read 四十三加五等于几, so an
    English-only reader could not send a complaint, a status query or an objection; the
    survey's answers were Chinese only. Now the question is in English words and the
    questionnaire's English labels are used; a wrong answer is refused in English."""
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("public:complaint")).content.decode()
    question = re.search(r'class="question">([^<]+)<', html).group(1)
    assert re.fullmatch(r"What is [a-z-]+ (plus|minus) [a-z-]+\?", question), question
    token, answer = solve(html)
    wrong = client.post(
        reverse("public:complaint"), {**form_data(html), "answer": str(int(answer) + 1)}
    )
    assert "answer is not right" in wrong.content.decode()
    assert Complaint.objects.count() == 0
    fresh = wrong.content.decode()
    client.post(reverse("public:complaint"), form_data(fresh))
    assert Complaint.objects.count() == 1
    survey = client.get(reverse("public:survey")).content.decode()
    for label in ("Very satisfied", "Very dissatisfied", "Don&#x27;t know / no answer"):
        assert label in survey, label
    assert "非常满意" not in survey
    assert "Overall, are you satisfied with food safety in the district?" in survey


def test_a_citizen_files_and_tracks_a_complaint(district):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(datetime(2021, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get(reverse("public:complaint"))
        assert page.status_code == 200
        html = page.content.decode()
        csrf = client.cookies["csrftoken"].value
        done = client.post(
            reverse("public:complaint"), {**form_data(html), "csrfmiddlewaretoken": csrf}
        )
    assert done.status_code == 200
    c = Complaint.objects.get()
    assert c.complaint_number in done.content.decode()
    assert "2021-10-15" in done.content.decode()  # 7 working days across National Day
    # Track it: the number and the phone.
    page = client.get(reverse("public:status")).content.decode()
    token, answer = solve(page)
    found = client.post(
        reverse("public:status"),
        {
            "token": token,
            "answer": answer,
            "number": c.complaint_number.lower(),
            "phone": "138 1234 5678",
            "csrfmiddlewaretoken": csrf,
        },
    ).content.decode()
    assert "已登记，待作出受理决定" in found
    # A wrong phone gets "not found" and nothing of the complaint.
    token, answer = solve(found)
    wrong = client.post(
        reverse("public:status"),
        {
            "token": token,
            "answer": answer,
            "number": c.complaint_number,
            "phone": "13900000000",
            "csrfmiddlewaretoken": csrf,
        },
    ).content.decode()
    assert "未找到" in wrong and c.complaint_number not in wrong


def test_without_csrf_token_nothing_is_stored(district):
    client = Client(enforce_csrf_checks=True)
    html = client.get(reverse("public:complaint")).content.decode()
    response = client.post(reverse("public:complaint"), form_data(html))
    assert response.status_code == 403
    assert Complaint.objects.count() == 0


def test_wrong_answer_honeypot_and_reused_token_store_nothing(client, district):
    html = client.get(reverse("public:complaint")).content.decode()
    data = form_data(html)
    wrong = client.post(
        reverse("public:complaint"), {**data, "answer": str(int(data["answer"]) + 1)}
    )
    assert "验证答案不正确" in wrong.content.decode()
    html = wrong.content.decode()  # a new challenge, the fields kept
    assert 'value="王小明"' in html
    bot = client.post(reverse("public:complaint"), {**form_data(html), "website": "http://spam"})
    assert "提交未通过校验" in bot.content.decode()
    assert Complaint.objects.count() == 0
    # A good submission, then the very same form again: stored once, same number shown.
    data = form_data(bot.content.decode())
    first = client.post(reverse("public:complaint"), data)
    again = client.post(reverse("public:complaint"), data)
    assert Complaint.objects.count() == 1
    number = Complaint.objects.get().complaint_number
    assert number in first.content.decode()
    assert "该表单已经提交过" in again.content.decode()


def test_another_error_does_not_say_the_answered_challenge_is_missing(client, district):
    """New-user finding: a form refused for another field came back with a new question
    marked "这个字段是必填项" although the person had answered the old one (rightly)."""
    html = client.get(reverse("public:complaint")).content.decode()
    refused = client.post(reverse("public:complaint"), form_data(html, facts=""))
    form = refused.context["form"]
    assert "facts" in form.errors  # the real error, beside its field
    assert "answer" not in form.errors  # the new question is simply unanswered
    # a wrong answer (the rest now right) is still said, beside the new question
    html = refused.content.decode()
    data = form_data(html)
    wrong = client.post(
        reverse("public:complaint"), {**data, "answer": str(int(data["answer"]) + 1)}
    )
    assert "验证答案不正确" in " ".join(wrong.context["form"].errors.get("answer", []))


def test_too_fast_is_refused(client, district, settings):
    settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS = 60
    html = client.get(reverse("public:complaint")).content.decode()
    response = client.post(reverse("public:complaint"), form_data(html))
    assert "提交过快" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_rate_limit_answers_429(client, district, settings):
    settings.FOODSAFE_PUBLIC_VIEWS_PER_MINUTE = 3
    codes = [client.get(reverse("public:index")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_post_limit_per_hour(client, district, settings):
    settings.FOODSAFE_PUBLIC_POSTS_PER_HOUR = 2
    html = client.get(reverse("public:complaint")).content.decode()
    for _ in range(2):
        html = client.post(reverse("public:complaint"), form_data(html, name="")).content.decode()
    assert client.post(reverse("public:complaint"), form_data(html)).status_code == 429


def test_pages_carry_the_sites_csp_and_no_outside_assets(client, district):
    for name in PUBLIC_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp
        html = response.content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), name
        assert "<script" not in html  # the public pages need no script at all
        if name in ("public:complaint", "public:status", "public:survey"):
            # a page with a one-time token is never cached
            assert "no-store" in response["Cache-Control"]


def _links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|action)="([^"#]*)"', html))


def test_every_link_from_the_public_pages_stays_public(client, district):
    """Walk every link and form target reachable from /public/ anonymously: each is a public
    page, a static file or the language switch, and each public page answers 200."""
    seen: set[str] = set()
    todo = [reverse("public:index")]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        for link in _links(response.content.decode()):
            allowed = link.startswith(("/public/", "/static/")) or link == reverse("set_language")
            assert allowed, f"{url} links to {link}"
            if link.startswith("/public/"):
                todo.append(link)
    assert {reverse(n) for n in PUBLIC_PAGES} <= seen


def test_no_internal_page_answers_an_anonymous_visitor():
    """From the permission matrix (tests/web/test_permissions.py RULES): the only URLs that
    answer an anonymous visitor with a page are the public ones, the login page and the
    language switch; every other URL sends them to the login page or refuses."""
    from tests.web.test_permissions import RULES

    open_to_anonymous = {name for name, rule in RULES.items() if rule.expected["anonymous"] == 200}
    assert {n for n in open_to_anonymous if not n.startswith("public:")} == {"login"}
    public = {n for n in RULES if n.startswith("public:")}
    assert public - open_to_anonymous == {"public:notice"}  # the matrix asks for a draft: 404


def test_public_statistics_has_counts_only(client, district):
    from foodsafe.complaints.models import Complaint

    with time_machine.travel(datetime(2021, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        html = client.get(reverse("public:complaint")).content.decode()
        client.post(reverse("public:complaint"), form_data(html))
    c = Complaint.objects.get()
    page = client.get(reverse("public:statistics") + "?month=2021-09").content.decode()
    assert "2021年9月" in page
    assert "过期变质" in page
    assert c.complaint_number not in page and "王" not in page and "示例面包店" not in page
