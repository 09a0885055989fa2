"""The login address printed by ``demo-user`` and ``create-user``.

It used to be the constant http://127.0.0.1:8000/login/ whatever port served the site (issue 18,
point 9). Now it is ``--url`` when given, else the address ``foodsafe serve`` binds
(``FOODSAFE_BIND``; a wildcard host 0.0.0.0/:: is shown as 127.0.0.1, where a browser on the
same machine reaches it). ``runserver`` on another port needs ``--url``.
"""

from __future__ import annotations

from django.conf import settings


def add_url_argument(parser) -> None:
    parser.add_argument(
        "--url",
        default=None,
        help="网站地址（默认按 FOODSAFE_BIND，如 http://127.0.0.1:8000）"
        " / the site's address (default: from FOODSAFE_BIND)",
    )


def login_url(url: str | None = None) -> str:
    """``<url>/login/``; without ``url``, from ``settings.FOODSAFE_BIND`` (host:port)."""
    if url:
        base = url.rstrip("/")
        if "://" not in base:
            base = f"http://{base}"
        return f"{base}/login/"
    bind = str(getattr(settings, "FOODSAFE_BIND", "") or "127.0.0.1:8000")
    if bind.startswith("unix:"):
        return "http://127.0.0.1:8000/login/"
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - a wildcard bind, shown as loopback
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port or 8000}/login/"
