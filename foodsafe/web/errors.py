"""Error pages in the site's layout, never Django's debug page or a bare status.

403/404/500 are Django's default handlers rendering ``403.html`` … ``500.html`` (in
``web/templates``); this module adds the two Django does not render from a template: a CSRF
failure (``CSRF_FAILURE_VIEW``) and 405 (``require_POST`` answers with an empty body), and the
400 handler, which says what was wrong with a year, month or date parameter
(``foodsafe.lib.params.BadParameter``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

from foodsafe.lib.params import BadParameter


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 (``handler400``). For a ``BadParameter`` the page, in the site's layout with the
    menu, shows its message (which parameter, what form it takes); for anything else
    (``SuspiciousOperation`` …) the page as Django renders it, with no detail and no request
    (a request with a disallowed host must not be rendered)."""
    if isinstance(exception, BadParameter):
        body = render_to_string("400.html", {"message": str(exception)}, request=request)
    else:
        body = render_to_string("400.html")
    return HttpResponseBadRequest(body)


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
