"""The one error every reader raises: the file cannot be read as a table."""

from __future__ import annotations


class ReadError(Exception):
    """The file cannot be read as a table; ``reason`` is in Chinese.

    ``sheet`` names the worksheet concerned when there is one ("" otherwise).
    """

    def __init__(self, reason: str, *, sheet: str = ""):
        self.reason = reason
        self.sheet = sheet
        super().__init__(reason)
