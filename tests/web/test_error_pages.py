"""The styled 403 and 404 pages: the site's layout, a short message and a link home."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_403_page_has_the_site_nav(db, reviewer, settings):
    settings.DEBUG = False
    client = Client()
    client.force_login(reviewer)
    response = client.get("/imports/")  # reviewers may not import
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="site-nav"' in html and reverse("tasks:board") in html
    assert "无权访问" in html and f'href="{reverse("web:home")}"' in html


def test_404_page_has_the_site_nav(db, reviewer, settings):
    settings.DEBUG = False
    client = Client()
    client.force_login(reviewer)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-nav"' in html and "页面不存在" in html
    assert f'href="{reverse("web:home")}"' in html


def test_404_page_for_anonymous_users(db, settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in html
    assert 'class="site-nav"' not in html
