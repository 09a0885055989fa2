"""Files generated on request and sent to the browser as a download.

The name a user sees is Chinese (``和平区2021年指标评价表.xlsx``). A ``Content-Disposition``
header is Latin-1, so the name goes in ``filename*=UTF-8''…`` (RFC 6266 §4.3, encoded as in
RFC 5987 / RFC 8187), which every current browser reads, with an ASCII ``filename="…"`` before it
for clients that do not (RFC 6266 §4.3: a client that understands ``filename*`` prefers it).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# RFC 8187 attr-char: ALPHA / DIGIT / "!" "#" "$" "&" "+" "-" "." "^" "_" "`" "|" "~";
# everything else (Chinese, spaces, quotes, "%", "/", ";") is percent-encoded as UTF-8.
_ATTR_CHAR_SAFE = "!#$&+-.^_`|~"
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_fallback(name: str) -> str:
    """``name`` reduced to ``[A-Za-z0-9._-]`` (runs of anything else become one ``-``), so it
    is safe inside a quoted ``filename="…"``; a name with nothing left becomes ``download``."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _UNSAFE_ASCII.sub("-", stem).strip("-.") or "download"
    ext = _UNSAFE_ASCII.sub("", ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """``attachment; filename="<fallback>"; filename*=UTF-8''<filename, percent-encoded>``.

    ``fallback`` (ASCII, e.g. ``scorecard-120101000000-2021.xlsx``) is cleaned with
    :func:`ascii_fallback`; without one it is derived from ``filename``. Path separators and
    control characters in ``filename`` never reach the header raw: they are percent-encoded.
    """
    plain = ascii_fallback(fallback if fallback is not None else filename)
    encoded = quote(filename, safe=_ATTR_CHAR_SAFE, encoding="utf-8")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}"


def attachment(
    content: bytes, *, content_type: str, filename: str, fallback: str | None = None
) -> HttpResponse:
    """An ``HttpResponse`` carrying ``content`` as a download named ``filename`` (with an ASCII
    ``fallback``), never cached by a shared cache (the bytes are one user's view of the data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
