"""Rate limits of the public pages (限流), in the shared Django cache (every server worker sees
the same counts; ``FOODSAFE_CACHE``): a fixed window per client address and scope.

The client address is ``REMOTE_ADDR``. Behind a reverse proxy every request has the proxy's
address: set the proxy to pass the client's and ``FOODSAFE_PUBLIC_TRUSTED_PROXY_HEADER`` (e.g.
``HTTP_X_REAL_IP``) to read it from there. No library: django-ratelimit is not a dependency
and the rule is these few lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "FOODSAFE_PUBLIC_TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def allow(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request in ``scope`` and say whether it is within ``limit`` per window."""
    if limit <= 0:
        return True
    bucket = int(time.time() // window_seconds)
    key = f"public-rate:{scope}:{client_address(request)}:{bucket}"
    cache.add(key, 0, window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds + 5)
        count = 1
    return count <= limit


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
