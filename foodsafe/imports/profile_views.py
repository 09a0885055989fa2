"""The upload pages' path for a file in a foreign layout: a mapping profile on the web.

The upload form (``forms.UploadForm``) offers the shipped profiles and, for the office, an
uploaded .yaml profile (kept beside the file under its own random token), with parameters.
The preview runs the profile as a dry run as the user (``profile_import``: the same import
scope, validation and all-or-nothing as the command line) and shows what each step would
import, the rows the profile's rules set aside (grouped, with reasons) or the errors grouped
by column and reason; the confirm step runs it for real. Called by ``views``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import uploads
from .error_groups import group_errors, group_rejected
from .errors import ImportValidationError, RowError


@dataclass
class ProfilePreview:
    """A dry run of a profile import for the preview page."""

    profile: Any
    result: Any = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def error_groups(self) -> list[Any]:
        return group_errors(self.errors)

    @property
    def set_aside_groups(self) -> list[Any]:
        return group_rejected(self.result.rejected) if self.result is not None else []


def entry_profile(entry: dict) -> Any:
    """The profile an upload was given: a shipped one by name, or the office's stored .yaml."""
    from .profiles import load_profile
    from .profiles.upload import parse_uploaded_profile

    if entry.get("profile"):
        return load_profile(entry["profile"])
    path = uploads.upload_path(entry["profile_token"])
    return parse_uploaded_profile(path.read_bytes(), name=entry["profile_name"])


def has_profile(entry: dict) -> bool:
    return bool(entry.get("profile") or entry.get("profile_token"))


def run_profile(entry: dict, path: Path, user: Any, *, dry_run: bool) -> Any:
    """``profile_import`` of the stored upload as ``user``; raises ``ImportValidationError``."""
    from .profiles import profile_import

    return profile_import(
        profile=entry_profile(entry),
        path=path,
        ledger=entry["ledger"],
        params=entry.get("params") or {},
        actor=user,
        dry_run=dry_run,
        sheet=entry["sheet"],
        file_name=entry["name"],
    )


def profile_preview(entry: dict, path: Path, user: Any) -> ProfilePreview:
    preview = ProfilePreview(profile=entry_profile(entry))
    try:
        preview.result = run_profile(entry, path, user, dry_run=True)
    except ImportValidationError as exc:
        preview.errors = exc.errors
    return preview


def discard_profile(entry: dict) -> None:
    """Remove an uploaded profile kept for this upload (after the import or on expiry)."""
    if entry.get("profile_token"):
        uploads.upload_delete(entry["profile_token"])
