"""Whole rendered scorecard and dashboard pages, kept per user session (issue 11 §4).

With the scorecard cache on (``FOODSAFE_SCORECARD_CACHE_SECONDS`` > 0) the cards of a page come
from the shared cache, but every request still rendered the template (10–40 ms) — at 20 users
at once that is most of a worker's time. :func:`cached_page` keeps the rendered HTML of a GET
for the same time, in the same cache, under a key made of

- the **user's session**: the session key, the CSRF secret of the request (the page carries
  a CSRF token for it), the user's id and role — so HTML is never shared between users or
  sessions: another user, or the same user after logging in again, never gets it;
- the page: its URL name and full path with the query string, the language, today's date
  (a period not over yet is evaluated as of today) and the programme spec file;
- a **data version** over every table of every foodsafe app (``cache.data_version``): the
  highest primary key of each table and of its history table, so a new ledger row, an
  approval, a rectification… is a new key and shows at once.

Not kept: a page with messages waiting to be shown (they are shown once), a response other
than 200, a request without a session or CSRF cookie.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from foodsafe.accounts.permissions import user_role
from foodsafe.scorecard.cache import data_version


def _foodsafe_apps() -> list[str]:
    return [a.label for a in apps.get_app_configs() if a.name.startswith("foodsafe.")]


def page_key(request: HttpRequest, name: str) -> str | None:
    """The cache key of this request's page, or ``None`` where it is not to be kept."""
    user = request.user
    secret = request.META.get("CSRF_COOKIE")
    session = request.session.session_key
    if not (user.is_authenticated and secret and session):
        return None
    if len(messages.get_messages(request)):
        return None
    spec = str(settings.FOODSAFE_PROGRAMME_SPEC)
    try:
        spec_stamp = os.stat(spec).st_mtime_ns
    except OSError:
        spec_stamp = 0
    parts = [
        name,
        request.get_full_path(),
        session,
        secret,
        user.pk,
        user_role(user),
        translation.get_language(),
        timezone.localdate().isoformat(),
        spec,
        spec_stamp,
        data_version(_foodsafe_apps()),
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return f"foodsafe:page:{digest}"


def cached_page(
    request: HttpRequest, name: str, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """``render_page()``, or the same user session's page kept for the same data (see the
    module docstring). Checks of who may open the page are the caller's, before this."""
    seconds: int = getattr(settings, "FOODSAFE_SCORECARD_CACHE_SECONDS", 0)
    if seconds <= 0 or request.method != "GET":
        return render_page()
    key = page_key(request, name)
    if key is None:
        return render_page()
    found = cache.get(key)
    if found is not None:
        get_token(request)  # the CSRF cookie is sent again, as a rendering would
        return HttpResponse(found["content"], content_type=found["content_type"])
    response = render_page()
    if response.status_code == 200 and not response.streaming:
        cache.set(
            key,
            {"content": response.content, "content_type": response["Content-Type"]},
            seconds,
        )
    return response
