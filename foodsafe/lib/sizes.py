"""Sizes as people read them."""

from __future__ import annotations


def size_text(size: int) -> str:
    """A byte count as people read it: 20 MB, 512 KB, 300 字节."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".rstrip("0").rstrip(".") + " KB"
    return f"{size} 字节"
