# ruff: noqa: F811  (the matrix fixtures are imported from test_permissions and used by name)
"""Issue 9 point 3 and the last bullet of point 5: a Content-Security-Policy on every HTML
page with no inline script or style anywhere (so a value that slips into HTML unescaped cannot
run), and error pages in the site's layout instead of Django's debug page or a bare status.

The pages are every GET URL of the permission matrix (``tests/web/test_permissions.py``
``RULES``) that some persona opens with 200, so a new page is covered as soon as it gets a rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.web.test_permissions import (  # noqa: F401 (fixtures)
    PERSONAS,
    RULES,
    sample,
)

FOODSAFE = Path(__file__).resolve().parents[2] / "foodsafe"

#: A <script> that runs: any without src, except a JSON data block (json_script), which the
#: browser never executes.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def inline_code(html: str) -> list[str]:
    """Every inline script, style, event handler or javascript: URL in ``html``."""
    found: list[str] = []
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER, JS_URL):
        found += [m.group(0)[:80] for m in pattern.finditer(html)]
    return found


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response, where: str) -> None:
    d = csp_directives(response)
    assert d, f"{where}: no Content-Security-Policy header"
    # Scripts and styles only from the site's own files; nothing inline, no eval.
    assert d["script-src"] == ["'self'"], where
    assert d["style-src"] == ["'self'"], where
    assert d["default-src"] == ["'self'"] and d["object-src"] == ["'none'"], where
    assert d["frame-ancestors"] == ["'none'"], where
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, where


def html_pages() -> list[tuple[str, str]]:
    """(URL name, persona) of each GET page with a 200 for some persona (the first)."""
    pages = []
    for name, rule in sorted(RULES.items()):
        if rule.method != "get":
            continue
        persona = next((p for p in PERSONAS if rule.expected[p] == 200), None)
        if persona is not None:
            pages.append((name, persona))
    return pages


@pytest.mark.parametrize(("name", "persona"), html_pages())
def test_every_html_page_has_a_strict_csp_and_no_inline_code(name, persona, sample):
    rule = RULES[name]
    client = Client()
    if persona != "anonymous":
        client.force_login(sample.users[persona])
    url = reverse(name, kwargs=rule.kwargs(sample) if rule.kwargs else None)
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return  # a file (export, template, evidence download): no HTML to run
    assert_strict_csp(response, url)
    assert inline_code(response.content.decode()) == [], url


def test_no_template_has_inline_script_or_style():
    """The source of every template, including pages no test above opens (e.g. an error only a
    broken form shows). ``json_script`` output is generated, not in the source."""
    offenders = {}
    for path in sorted(FOODSAFE.glob("**/templates/**/*.html")):
        found = inline_code(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(FOODSAFE))] = found
    assert offenders == {}


def test_the_patterns_catch_what_they_must():
    # The checks above are only as good as these patterns: each hostile shape is found...
    assert inline_code("<script>alert(1)</script>") == ["<script>"]
    assert inline_code('<div style="color:red">') == [" style="]
    assert inline_code("<style>p{}</style>") == ["<style"]
    assert inline_code('<img src=x onerror="x()">') == ["<img src=x onerror="]
    assert inline_code('<a href="javascript:x()">') == ['href="javascript:']
    # ...and the two legitimate shapes are not.
    assert inline_code('<script src="/static/web/dashboard.js" defer></script>') == []
    assert inline_code('<script id="d" type="application/json">{"a": 1}</script>') == []


def test_admin_allows_only_the_hash_of_simple_history_style(sample):
    """The admin's object-history list carries ``style="border-top: 0"``; the policy allows that
    one attribute value by its hash (sha256 of the exact text, base64), nothing else inline."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(b"border-top: 0").digest()).decode()
    client = Client()
    client.force_login(sample.users["office_admin"])
    response = client.get("/login/")
    d = csp_directives(response)
    assert d["style-src-attr"] == ["'unsafe-hashes'", f"'sha256-{digest}'"]


# -- error pages --------------------------------------------------------------------------------

DEBUG_MARKERS = ("Traceback", "Django tried these URL patterns", "DEBUG = True", "technical")


def assert_site_page(response, title: str) -> None:
    html = response.content.decode()
    assert title in html, html[:400]
    assert 'class="site-header"' in html and 'href="/"' in html  # the layout, a link home
    for marker in DEBUG_MARKERS:
        assert marker not in html
    assert_strict_csp(response, title)


def test_debug_is_off_by_default():
    # Settings read FOODSAFE_DEBUG with default False; the test run does not set it.
    import os

    assert "FOODSAFE_DEBUG" not in os.environ or os.environ["FOODSAFE_DEBUG"] in ("0", "")
    assert django_settings.DEBUG is False


def test_404_for_a_member_unit_is_the_site_page(sample):
    client = Client()
    client.force_login(sample.users["market_user"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page(response, "页面不存在")


def test_405_is_a_page_with_its_allow_header(sample):
    # Logout is POST-only (a GET must not log anyone out): 405, in the layout, Allow kept.
    client = Client()
    client.force_login(sample.users["office_admin"])
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert_site_page(response, "不支持此操作")


def test_csrf_failure_is_a_page(sample):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sample.users["office_admin"])
    response = client.post(reverse("rectification:create"), {})
    assert response.status_code == 403
    assert_site_page(response, "表单已失效")
    assert "CSRF" not in response.content.decode()  # Django's technical reason is not shown


def test_400_and_500_templates_render_in_the_layout(db):
    # Django renders 400.html with the request and 500.html with an empty context (the error
    # may be in a context processor): both must render and link home.
    request = RequestFactory().get("/")
    for template, title in (("400.html", "请求有误"), ("500.html", "服务器出错")):
        html = render_to_string(template, request=request if template == "400.html" else None)
        assert title in html and 'href="/"' in html and "site-header" in html


def test_a_server_error_is_the_500_page(sample, monkeypatch):
    from foodsafe.web import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.selectors, "home_scorecard_args", boom)
    client = Client(raise_request_exception=False)
    client.force_login(sample.users["office_admin"])
    response = client.get(reverse("web:home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错" in html and "secret detail" not in html and "Traceback" not in html
