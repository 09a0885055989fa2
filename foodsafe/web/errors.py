"""Error pages in the site's layout, never Django's debug page or a bare status.

400/403/404/500 are Django's default handlers rendering ``400.html`` … ``500.html`` (in
``web/templates``); this module adds the two Django does not render from a template: a CSRF
failure (``CSRF_FAILURE_VIEW``) and 405 (``require_POST`` answers with an empty body).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (often: the page was open too long, or cookies are
    off): 403 with the page explaining what to do. ``reason`` is Django's technical text and is
    not shown."""
    return HttpResponse(render_to_string("403_csrf.html", request=request), status=403)


class MethodNotAllowedPageMiddleware:
    """Give an empty 405 (a GET to a POST-only URL) the site's page; the Allow header stays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            response.content = render_to_string("405.html", request=request).encode()
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
