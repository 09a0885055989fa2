"""Dashboard views (placeholder while the page is built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def home(request: HttpRequest) -> HttpResponse:
    raise Http404


@login_required
def dashboard(request: HttpRequest, org_code: str, period: str) -> HttpResponse:
    raise Http404
