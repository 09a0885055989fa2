"""Photos of checklist items (检查要点照片, issue 12 point 2): checks and storage.

A photo is judged by its bytes, never its name or the type the browser sent
(:func:`foodsafe.evidence.sniffing.sniff`): only PNG and JPEG are kept, each at most
``settings.FOODSAFE_MAX_PHOTO_BYTES``, at most ``MAX_PER_ITEM`` per item and ``MAX_PER_CHECKLIST``
per inspection. Files go to the evidence files' private storage under a random name with our
extension; nothing of the user's file name reaches the file system.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from foodsafe.evidence.services import clean_original_name
from foodsafe.evidence.sniffing import JPEG, PNG, FileKind, UnsupportedFile, sniff
from foodsafe.lib.sizes import size_text

from .models import Checklist, ChecklistPhoto

MAX_PER_ITEM = 5
MAX_PER_CHECKLIST = 20
KINDS = (PNG, JPEG)


def max_photo_bytes() -> int:
    return int(settings.FOODSAFE_MAX_PHOTO_BYTES)


def max_request_bytes() -> int:
    """The largest checklist form worth reading: every photo at its limit, plus 256 KiB for
    the answers and the multipart boundaries."""
    return MAX_PER_CHECKLIST * max_photo_bytes() + 256 * 1024


def _kind(upload: UploadedFile) -> FileKind | None:
    try:
        kind = sniff(upload)  # type: ignore[arg-type]
    except UnsupportedFile:
        return None
    return kind if kind in KINDS else None


def photo_problems(photos: dict[str, list[UploadedFile]], item_codes: set[str]) -> list[str]:
    """Every reason to refuse ``photos`` (item code → uploaded files), in Chinese, naming the
    item and the file; ``[]`` when all may be stored."""
    problems: list[str] = []
    total = 0
    for code, files in photos.items():
        if code not in item_codes:
            problems.append(f"照片所属的检查项 {code} 不在检查要点表中")
            continue
        if len(files) > MAX_PER_ITEM:
            problems.append(f"检查项 {code} 最多上传 {MAX_PER_ITEM} 张照片，实际 {len(files)} 张")
        total += len(files)
        for upload in files:
            name = clean_original_name(upload.name)
            size = upload.size or 0
            if size == 0:
                problems.append(f"检查项 {code} 的照片“{name}”是空文件（0 字节）")
            elif size > max_photo_bytes():
                problems.append(
                    f"检查项 {code} 的照片“{name}”大小为 {size_text(size)}，"
                    f"超过上限 {size_text(max_photo_bytes())}"
                )
            elif _kind(upload) is None:
                problems.append(
                    f"检查项 {code} 的文件“{name}”不是 PNG 或 JPEG 图片（按文件内容判断）"
                )
    if total > MAX_PER_CHECKLIST:
        problems.append(f"一次检查最多上传 {MAX_PER_CHECKLIST} 张照片，实际 {total} 张")
    return problems


def photos_store(
    *, checklist: Checklist, photos: dict[str, list[UploadedFile]], actor: Any, stored: list[str]
) -> list[ChecklistPhoto]:
    """Save ``photos`` (already passed by :func:`photo_problems`) for ``checklist`` with their
    history rows. Call inside the checklist's transaction; the name of every file written is
    appended to ``stored`` so that the caller can delete them if the transaction fails."""
    saved = []
    for code, files in photos.items():
        for upload in files:
            kind = _kind(upload)
            if kind is None:  # refused by photo_problems already; never store an unchecked file
                raise ValueError(f"unchecked photo for item {code}")
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            photo = ChecklistPhoto(
                checklist=checklist,
                item=code,
                original_name=clean_original_name(upload.name),
                content_type=kind.content_type,
                size=upload.size or 0,
                sha256=digest.hexdigest(),
                uploaded_by=actor if getattr(actor, "pk", None) is not None else None,
            )
            photo.file.save(f"{secrets.token_hex(16)}{kind.extension}", upload, save=False)
            stored.append(photo.file.name or "")
            if getattr(actor, "pk", None) is not None:
                photo._history_user = actor  # type: ignore[attr-defined]
            photo.save()
            saved.append(photo)
    return saved


def photos_delete_files(names: list[str]) -> None:
    """Remove files written by a checklist whose transaction did not commit."""
    storage = ChecklistPhoto._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        if name:
            storage.delete(name)
