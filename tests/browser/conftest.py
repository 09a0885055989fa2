"""Browser tests: Playwright's sync API driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. Playwright comes from the optional extra ``browser``; its own
browser download is never used. Without Playwright or Chromium every test here is skipped with
the reason, so the README's test command passes without them; ``.ci/run`` installs both.

Time is frozen (ticking) at a fixed 2021 working day so that deadlines in Chinese working days
are the same every run; the browser keeps its own clock, so the cookies the server sets must not
carry an expiry date (``SESSION_EXPIRE_AT_BROWSER_CLOSE``, ``CSRF_COOKIE_AGE = None``).
Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Monday 27 September 2021, 09:30 Beijing time: a working day before National Day.
NOW = datetime(2021, 9, 27, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # the optional extra "browser" is not installed
    sync_playwright = None

_missing = (
    "playwright is not installed (uv sync --extra browser)"
    if sync_playwright is None
    else "no /usr/bin/chromium (apt-get install chromium)"
    if not CHROMIUM.exists()
    else None
)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = Path(__file__).parent
    mine = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    if mine and _missing and os.environ.get("FOODSAFE_REQUIRE_BROWSER"):
        # CI sets this: there the browser tests must run, never be skipped.
        raise pytest.UsageError(f"FOODSAFE_REQUIRE_BROWSER is set but {_missing}")
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if _missing:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {_missing}"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; the ORM calls the tests (and their fixtures' teardown) make are ordinary
    # synchronous calls, so Django's async guard is lifted while it is open, and only then.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:  # type: ignore[misc]
            launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def frozen_time() -> Iterator[None]:
    import time_machine

    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def site(settings, tmp_path, live_server, transactional_db, frozen_time):
    """The live server's base URL, with cookies that ignore the frozen clock and private
    uploads in a temporary directory."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path
    return live_server.url


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=site, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


def login(page: Page, username: str, password: str | None = None) -> None:
    """Log in through the login form (persona passwords are ``<username>-pass-123``)."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or f"{username}-pass-123")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_load_state("load")


def logout(page: Page) -> None:
    page.click("form[action='/logout/'] button[type=submit]")
    page.wait_for_url("**/login/")


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
