"""Uploaded ledger files, kept between the preview and the confirm step.

Files go to ``settings.VAR_DIR / "uploads"`` (outside the web root, mode 0700) under a random
name; nothing of the user's file name reaches the file system. What the web knows of an upload
(ledger, original name, sheet) lives in the user's session under the same random token, so one
user can never reach another's upload. Uploads older than ``MAX_AGE`` are removed whenever a
new one is stored.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 3600  # seconds
TOKEN = re.compile(r"[0-9a-f]{32}")


def upload_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "uploads"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def upload_path(token: str) -> Path:
    """Where the upload ``token`` is stored; ValueError for anything but a token."""
    if not TOKEN.fullmatch(token):
        raise ValueError("not an upload token")
    return upload_dir() / f"{token}.upload"


def upload_store(chunks: Iterable[bytes]) -> str:
    """Write the upload's bytes under a new random name; return its token."""
    upload_cleanup()
    token = secrets.token_hex(16)
    path = upload_path(token)
    with path.open("xb") as out:
        for chunk in chunks:
            out.write(chunk)
    path.chmod(0o600)
    return token


def upload_delete(token: str) -> None:
    try:
        upload_path(token).unlink(missing_ok=True)
    except ValueError:
        pass


def upload_cleanup(*, now: float | None = None) -> int:
    """Remove uploads older than ``MAX_AGE``; return how many."""
    now = time.time() if now is None else now
    removed = 0
    for path in upload_dir().glob("*.upload"):
        try:
            if now - path.stat().st_mtime > MAX_AGE:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
