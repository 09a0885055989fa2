"""Rate limits of the public pages (限流): a fixed window per client address and scope, counted
in the database with one atomic statement per request.

The count is ``INSERT … ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count``
(PostgreSQL; SQLite ≥ 3.35): the database adds one and returns the new count in the same
statement, so two workers can never both read 19 and both write 20. The site's shared cache
(files, or Django's database cache) cannot do that: Django's ``incr`` on those backends is a get
and a set, and concurrent requests lose counts — the race django-ratelimit's documentation warns
of, which is why it (and django-throttle-requests, DRF's throttles) is not used here; the libraries
with atomic counters (``limits``, django-ratelimit on Redis or Memcached) need a server this site
does not run. docs/public.md has the comparison.

The client address is ``REMOTE_ADDR``. Behind a reverse proxy every request has the proxy's
address: set the proxy to pass the client's and ``FOODSAFE_PUBLIC_TRUSTED_PROXY_HEADER`` (e.g.
``HTTP_X_REAL_IP``) to read it from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import RateCount


def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "FOODSAFE_PUBLIC_TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def count_hit(key: str, expires_at: int) -> int:
    """Add one to the counter ``key`` (created at 1, kept until ``expires_at``, Unix seconds)
    and return its new value, atomically. A counter's first hit also deletes the expired ones,
    so the table holds about one row per address and scope in use."""
    q = connection.ops.quote_name
    table, key_col, count_col = q(RateCount._meta.db_table), q("window_key"), q("hits")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_col}, {q('expires_at')}, {count_col}) "  # noqa: S608
            f"VALUES (%s, %s, 1) ON CONFLICT ({key_col}) "
            f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 RETURNING {count_col}",
            [key, expires_at],
        )
        count = int(cursor.fetchone()[0])
        if count == 1:
            cursor.execute(
                f"DELETE FROM {table} WHERE {q('expires_at')} < %s",  # noqa: S608
                [int(time.time())],
            )
    return count


def allow(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request in ``scope`` and say whether it is within ``limit`` per window."""
    if limit <= 0:
        return True
    bucket = int(time.time() // window_seconds)
    key = f"{scope}:{client_address(request)}:{bucket}"[:200]
    return count_hit(key, (bucket + 1) * window_seconds) <= limit


def rate_limited(
    scope: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a public view: every request against ``FOODSAFE_PUBLIC_VIEWS_PER_MINUTE``, and each
    POST of ``scope`` against ``FOODSAFE_PUBLIC_POSTS_PER_HOUR``; over either, 429 in the
    site's layout."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ok = allow(request, "views", settings.FOODSAFE_PUBLIC_VIEWS_PER_MINUTE, 60)
            if ok and request.method == "POST":
                ok = allow(request, scope, settings.FOODSAFE_PUBLIC_POSTS_PER_HOUR, 3600)
            if not ok:
                return render(request, "public/429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
