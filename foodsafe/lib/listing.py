"""List pages: one page of rows and the query string of the page's filters, so that the pager's
links (``web/_pager.html``: first, previous, next, last) keep the filters in the URL."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

#: Longest search text a list page accepts (longer input is cut, not refused).
SEARCH_MAX = 100


def search_text(request: HttpRequest, name: str = "q") -> str:
    """The page's search text, trimmed and cut to ``SEARCH_MAX`` characters."""
    return request.GET.get(name, "").strip()[:SEARCH_MAX]


def paged(request: HttpRequest, rows: Any, size: int) -> dict[str, Any]:
    """``{"page": …, "query": …}``: ``?page=`` of ``rows`` (an out-of-range or malformed page
    gives the nearest valid one) and the other GET parameters, URL-encoded, for the links."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(rows, size).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
